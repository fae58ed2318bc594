"""The work liqbot has acknowledged to Slack and not finished: Bolt's background listener tasks.

With ``process_before_response=False`` Bolt runs each listener in a task of its own
(``asyncio.ensure_future`` in ``AsyncioListenerRunner.run``) and answers Slack's HTTP request as
soon as the listener calls ``ack()``; the task then goes on (the exchange fetch, the reply through
``response_url``) with no reference kept anywhere. A graceful stop must wait for those tasks, so
``ListenerTasks.track(app)`` registers each one from inside it: Bolt calls its listener *start
handler* first thing in that task. Bolt has no public setter for that handler; it is replaced on
``app._async_listener_runner`` (slack-bolt is pinned in pyproject.toml, and
tests/slack/test_graceful_stop.py fails if the tracking stops seeing the tasks).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

logger = logging.getLogger(__name__)


class ListenerTasks:
    """The listener tasks running now; ``finish`` waits for them, within a deadline."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[Any]] = set()

    @classmethod
    def track(cls, app: AsyncApp) -> ListenerTasks:
        """Starts tracking every listener task ``app`` runs from now on."""
        tasks = cls()
        runner = app._async_listener_runner
        runner.listener_start_handler = _TrackingStartHandler(tasks, runner.listener_start_handler)
        return tasks

    def add_current(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    def __len__(self) -> int:
        return len(self._running)

    async def finish(self, timeout_s: float, hurry: asyncio.Event | None = None) -> int:
        """Waits until every running listener is done, ``timeout_s`` has passed or ``hurry`` is
        set; cancels the ones left and returns how many that was."""
        running = set(self._running)
        if not running:
            return 0
        # asyncio.wait never cancels what it waits for: cancelling these waiters is harmless.
        waiters: list[asyncio.Future[Any]] = [asyncio.ensure_future(asyncio.wait(running))]
        if hurry is not None:
            waiters.append(asyncio.ensure_future(hurry.wait()))
        try:
            await asyncio.wait(waiters, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        left = {task for task in running if not task.done()}
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=1)
        return len(left)


class _TrackingStartHandler(AsyncListenerStartHandler):
    """Bolt's listener start handler, run inside the listener's task: records that task."""

    def __init__(self, tasks: ListenerTasks, previous: AsyncListenerStartHandler) -> None:
        self._tasks = tasks
        self._previous = previous

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self._tasks.add_current()
        await self._previous.handle(request=request, response=response)
