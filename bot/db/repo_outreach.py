"""Market-maker engagements on record: a firm engaged by a token's project (from a reply or an
analyst), or a recorded "no market maker".

Writes are inserts only (SPEC 8: a correction is a new row). The outreach case's timeline
(``bot.db.repo_cases``) links each answer to the engagement row it wrote; the market-maker status
reads these rows. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor
from bot.db.models import MarketMakerEngagement
from bot.domain.outreach import EngagementRecord

ENGAGEMENTS = cast(Table, MarketMakerEngagement.__table__)


async def _insert(session: Executor, table: Table, values: dict[str, Any]) -> int:
    stmt = insert(table).values(**values).returning(table.c.id)
    return int((await session.execute(stmt)).scalar_one())


async def insert_engagement(
    session: Executor,
    *,
    symbol: str,
    status: str,
    source: str,
    logged_by: str,
    logged_at: datetime,
    mm_name: str | None = None,
    since: date | None = None,
    until: date | None = None,
    max_spread_bps: float | None = None,
    min_depth_usd: float | None = None,
    reply_id: int | None = None,
    uptime: float | None = None,
    supersedes_id: int | None = None,
) -> int:
    """Store a market maker on record (``status`` engaged) or a recorded "none"; its id.
    Obligations: ``max_spread_bps`` (bps), ``min_depth_usd`` (±2% USD per side), ``uptime``
    (share 0..1 of a day's snapshots); ``supersedes_id`` the record it corrects."""
    values = {
        "symbol": symbol,
        "status": status,
        "source": source,
        "logged_by": logged_by,
        "logged_at": logged_at,
        "mm_name": mm_name,
        "since": since,
        "until": until,
        "max_spread_bps": max_spread_bps,
        "min_depth_usd": min_depth_usd,
        "reply_id": reply_id,
        "uptime": uptime,
        "supersedes_id": supersedes_id,
    }
    return await _insert(session, ENGAGEMENTS, values)


def _engagement(row: RowMapping) -> EngagementRecord:
    return EngagementRecord(
        id=row["id"],
        symbol=row["symbol"],
        status=row["status"],
        source=row["source"],
        mm_name=row["mm_name"],
        since=row["since"],
        until=row["until"],
        max_spread_bps=row["max_spread_bps"],
        min_depth_usd=row["min_depth_usd"],
        logged_by=row["logged_by"],
        logged_at=row["logged_at"],
        reply_id=row["reply_id"],
        uptime=row["uptime"],
        supersedes_id=row["supersedes_id"],
    )


async def engagements(
    session: Executor, symbols: Collection[str] | None = None
) -> list[EngagementRecord]:
    """Market-maker records of ``symbols`` (all when None), oldest first."""
    stmt = select(ENGAGEMENTS).order_by(ENGAGEMENTS.c.logged_at, ENGAGEMENTS.c.id)
    if symbols is not None:
        stmt = stmt.where(ENGAGEMENTS.c.symbol.in_(sorted(set(symbols))))
    return [_engagement(row) for row in (await session.execute(stmt)).mappings()]


async def engaged_firms(session: Executor) -> list[tuple[str, str]]:
    """Every (symbol, firm name) an engagement was ever recorded for, once each: where a firm's
    scorecard looks."""
    c = ENGAGEMENTS.c
    stmt = (
        select(c.symbol, c.mm_name)
        .where(c.status == "engaged", c.mm_name.is_not(None))
        .distinct()
        .order_by(c.symbol, c.mm_name)
    )
    return [(row.symbol, row.mm_name) for row in await session.execute(stmt)]
