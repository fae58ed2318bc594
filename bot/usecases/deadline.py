"""A deadline for the writes of one request (SPEC 6: a modal's write has 2 s inside Slack's 3 s).

The Slack layer sets it around the use case it runs (``write_deadline``); ``Services.session``
checks it right before it commits (``check_write_deadline``), so a write that could not finish
in time rolls back instead of committing after the user was told it was not saved. The write
is never cancelled half-way: SQLite runs a statement in a driver thread that cancelling the
awaiting task does not stop, and the connection would keep its write lock.

The deadline lives in a context variable: it follows the request into the task it starts, and
nothing else (the jobs, the CLI, the reads that redraw the message afterwards) ever sees it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.errors import UserFacingError

_deadline: ContextVar[float | None] = ContextVar("liqbot_write_deadline", default=None)


class WriteTooLate(UserFacingError):
    """The write reached its commit after the request's deadline and was rolled back."""

    def __init__(self) -> None:
        super().__init__(
            "Not saved: the database did not answer in time, so nothing was stored. "
            "Please try again."
        )


@contextmanager
def write_deadline(seconds: float) -> Iterator[float]:
    """Writes begun inside the block (and in tasks created inside it) commit only within
    ``seconds`` from now; yields the deadline on the ``time.monotonic`` clock."""
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


def check_write_deadline() -> None:
    """Raises ``WriteTooLate`` when the current request's write deadline has passed."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() >= deadline:
        raise WriteTooLate()
