"""Single flight: concurrent callers asking for the same thing share one computation.

Ten analysts typing `/liquidity PEPE` during a PEPE move cost one answer, and that answer one
order-book fetch per venue, not ten. A caller that stops waiting (its answer deadline passed) does
not cancel the shared work: the others still get it, and a later caller within the flight reuses
it. The market gateway (per token, per order book) and the Slack edge (per command line) share
this one implementation; like ``bot.settings`` and ``bot.errors`` it sits outside the layers, for
every layer above the domain to use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class SingleFlight(Generic[K, T]):
    """One in-flight task per key; it is forgotten as soon as it finishes (no result cache)."""

    def __init__(self) -> None:
        self._tasks: dict[K, asyncio.Future[T]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    def run(self, key: K, start: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """The task computing ``key``: the one in flight, or ``start()`` begun now. Await it
        through ``asyncio.shield`` so that a caller's cancellation leaves it running."""
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(start())
            self._tasks[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return task

    def _finished(self, key: K, task: asyncio.Future[T]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not task.cancelled():
            # Retrieved here, so a flight whose every caller gave up (deadline) does not log
            # "Task exception was never retrieved"; callers still waiting get the exception.
            task.exception()
