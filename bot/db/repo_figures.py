"""A token's markets as one past scan saw them: what a pledge, an agreement or a receipt is
valued at ("USD at that day's mid", SPEC 6).

The scan is the latest finished one at or before the moment asked about that stored a snapshot
of the token on the home exchange; every market of the token that scan stored comes back (all
venues, so the figures aggregate as the scan's did), with the moment it was taken.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.db.dialect import Executor
from bot.db.finished_scans import of_finished_scans
from bot.db.repo_market import metrics_from_row
from bot.db.tables import MARKETS, SNAPSHOTS
from bot.domain.models import MarketMetrics


async def markets_as_of(
    session: Executor, home_exchange: str, base: str, until: datetime
) -> tuple[list[MarketMetrics], datetime | None]:
    """Token ``base``'s markets in the latest scan up to ``until`` that covered its home
    exchange, and when that scan took them (``([], None)`` when there is none)."""
    s, m = SNAPSHOTS.c, MARKETS.c
    taken = (
        select(func.max(s.taken_at))
        .join(MARKETS, m.id == s.market_id)
        .where(
            s.base == base,
            m.exchange == home_exchange,
            s.taken_at <= until,
            of_finished_scans(s.scan_id),
        )
        .scalar_subquery()
    )
    stmt = (
        select(SNAPSHOTS, m.exchange, m.symbol, m.quote)
        .join(MARKETS, m.id == s.market_id)
        .where(s.base == base, s.taken_at == taken, of_finished_scans(s.scan_id))
        .order_by(m.exchange, m.symbol)
    )
    rows = (await session.execute(stmt)).mappings().all()
    if not rows:
        return [], None
    return [metrics_from_row(row) for row in rows], rows[0]["taken_at"]
