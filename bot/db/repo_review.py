"""Monitoring-tag review decisions: insert once per idempotency key, read back oldest first.

Inserts only (a later decision supersedes, SPEC 8). ``insert_decision`` is ``INSERT … ON CONFLICT
DO NOTHING`` on the key, as ``bot.db.repo_outreach`` does for replies, so a double click stores one
row and the loser learns it (``None``). The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor, upsert_insert
from bot.db.models import ReviewDecisionRow
from bot.domain.review import DecisionRecord

DECISIONS = cast(Table, ReviewDecisionRow.__table__)


async def insert_decision(
    session: Executor,
    *,
    idempotency_key: str,
    symbol: str,
    decision: str,
    until: datetime | None,
    evidence: dict[str, Any],
    decided_by: str,
    decided_at: datetime,
) -> int | None:
    """Store one decision; its id, or None when ``idempotency_key`` is already stored."""
    stmt = (
        upsert_insert(session, DECISIONS)
        .values(
            idempotency_key=idempotency_key,
            symbol=symbol,
            decision=decision,
            until=until,
            evidence=evidence,
            decided_by=decided_by,
            decided_at=decided_at,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(DECISIONS.c.id)
    )
    return cast(int | None, (await session.execute(stmt)).scalar_one_or_none())


def _record(row: RowMapping) -> DecisionRecord:
    return DecisionRecord(
        id=row["id"],
        symbol=row["symbol"],
        decision=row["decision"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        until=row["until"],
        evidence=dict(row["evidence"] or {}),
    )


async def decision_by_key(session: Executor, idempotency_key: str) -> DecisionRecord | None:
    stmt = select(DECISIONS).where(DECISIONS.c.idempotency_key == idempotency_key)
    row = (await session.execute(stmt)).mappings().first()
    return _record(row) if row is not None else None


async def decisions(
    session: Executor, symbols: Collection[str] | None = None
) -> list[DecisionRecord]:
    """Decisions about ``symbols`` (all when None), oldest first."""
    c = DECISIONS.c
    stmt = select(DECISIONS).order_by(c.decided_at, c.id)
    if symbols is not None:
        stmt = stmt.where(c.symbol.in_(sorted(set(symbols))))
    return [_record(row) for row in (await session.execute(stmt)).mappings()]
