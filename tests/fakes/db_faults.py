"""A database that fails one kind of statement, the way a lost connection or a killed process
would at that point: what the crash-recovery tests inject between two writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class InjectedFault(Exception):
    """The statement the test made fail."""


@contextmanager
def failing(engine: AsyncEngine, matches: Callable[[str, Any], bool]) -> Iterator[list[str]]:
    """While open, every statement on ``engine`` for which ``matches(sql, parameters)`` holds
    raises ``InjectedFault`` before it reaches the database; yields the statements failed."""
    failed: list[str] = []

    def before(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if matches(statement, parameters):
            failed.append(statement)
            raise InjectedFault(statement.split("\n", 1)[0])

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    try:
        yield failed
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)
