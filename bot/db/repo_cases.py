"""The outreach cases' timelines: events appended, and read back oldest first.

Writes are inserts only (SPEC 8; the database refuses UPDATE and DELETE on ``case_events``,
triggers from migration 0006). ``insert_event`` is idempotent on its ``idempotency_key``:
``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL, so a double click, a retried Slack
submission or two replicas recording the same reminder store one event, and the second writer
learns it lost (``None``) without an aborted transaction. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor, upsert_insert
from bot.db.models import CaseEventRow
from bot.domain.timeline import CaseEvent

CASE_EVENTS = cast(Table, CaseEventRow.__table__)


async def insert_event(
    session: Executor,
    *,
    idempotency_key: str,
    symbol: str,
    kind: str,
    at: datetime,
    actor: str,
    actor_name: str | None,
    details: Mapping[str, Any],
    refers_to: int | None = None,
) -> int | None:
    """Append one event to ``symbol``'s case; its id, or None when ``idempotency_key`` is
    already stored."""
    stmt = (
        upsert_insert(session, CASE_EVENTS)
        .values(
            idempotency_key=idempotency_key,
            symbol=symbol,
            kind=kind,
            at=at,
            actor=actor,
            actor_name=actor_name,
            details=dict(details),
            refers_to=refers_to,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(CASE_EVENTS.c.id)
    )
    return cast(int | None, (await session.execute(stmt)).scalar_one_or_none())


def _event(row: RowMapping) -> CaseEvent:
    return CaseEvent(
        id=row["id"],
        symbol=row["symbol"],
        kind=row["kind"],
        at=row["at"],
        actor=row["actor"],
        actor_name=row["actor_name"],
        details=dict(row["details"] or {}),
        refers_to=row["refers_to"],
    )


async def event_by_key(session: Executor, idempotency_key: str) -> CaseEvent | None:
    """The event stored under ``idempotency_key``, if any."""
    stmt = select(CASE_EVENTS).where(CASE_EVENTS.c.idempotency_key == idempotency_key)
    row = (await session.execute(stmt)).mappings().first()
    return _event(row) if row is not None else None


async def case_events(
    session: Executor,
    symbols: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
) -> list[CaseEvent]:
    """The events of ``symbols``' cases (every case when None; only ``kinds`` when given),
    oldest first: by time, then id."""
    c = CASE_EVENTS.c
    stmt = select(CASE_EVENTS).order_by(c.at, c.id)
    if symbols is not None:
        stmt = stmt.where(c.symbol.in_(sorted(set(symbols))))
    if kinds is not None:
        stmt = stmt.where(c.kind.in_(sorted(set(kinds))))
    return [_event(row) for row in (await session.execute(stmt)).mappings()]


def by_symbol(events: Collection[CaseEvent]) -> dict[str, list[CaseEvent]]:
    """Events grouped per token, each list in the order given."""
    grouped: dict[str, list[CaseEvent]] = {}
    for event in events:
        grouped.setdefault(event.symbol, []).append(event)
    return grouped
