"""The few places where SQLite and PostgreSQL need different SQL, in one module."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Table, cast, func, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.elements import ColumnElement

Executor = AsyncSession | AsyncConnection
"""What the repositories execute on: a session (the caller's transaction) or a connection."""


def dialect_name(executor: Executor) -> str:
    if isinstance(executor, AsyncSession):
        return executor.get_bind().dialect.name
    return executor.dialect.name


def upsert_insert(executor: Executor, table: Table) -> Any:
    """``INSERT`` with ``on_conflict_do_update`` / ``on_conflict_do_nothing`` for the dialect
    (both SQLite and PostgreSQL speak ``ON CONFLICT``)."""
    if dialect_name(executor) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def utc_day(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp column (SQLite keeps naive UTC text; PostgreSQL's
    timestamptz must be shifted to UTC first, not to the session's zone)."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


async def serialize(executor: Executor, lock_id: int) -> None:
    """Make the writers of one kind of rows take turns until their transaction ends: a
    PostgreSQL advisory transaction lock. SQLite needs none: it has one writer at a time, and the
    callers have written already in their transaction, so they hold its lock."""
    if dialect_name(executor) == "postgresql":
        await executor.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
