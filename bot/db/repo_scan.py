"""One stored scan read back: its record, the one before it, its markets of one exchange, and when
the exchange first listed each token (what the alerts of a scheduled snapshot read).

Scans are ordered by the time their snapshots were taken (``finished_at``), the ``taken_at`` of
every snapshot they stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import func, select

from bot.db.dialect import Executor
from bot.db.records import ScanRecord
from bot.db.repo_market import _scan_record, metrics_from_row
from bot.db.tables import MARKETS, SCANS, SNAPSHOTS
from bot.domain.models import MarketMetrics


async def scan_record(session: Executor, scan_id: int) -> ScanRecord | None:
    """The scan ``scan_id`` once it is finished, or None."""
    stmt = select(SCANS).where(SCANS.c.id == scan_id, SCANS.c.finished_at.is_not(None))
    row = (await session.execute(stmt)).mappings().first()
    return _scan_record(row) if row is not None else None


async def scan_before(session: Executor, taken_before: datetime) -> ScanRecord | None:
    """The latest scan whose snapshots were taken before ``taken_before``, or None."""
    stmt = (
        select(SCANS)
        .where(SCANS.c.finished_at < taken_before)
        .order_by(SCANS.c.finished_at.desc(), SCANS.c.id.desc())
        .limit(1)
    )
    row = (await session.execute(stmt)).mappings().first()
    return _scan_record(row) if row is not None else None


async def scan_metrics(session: Executor, scan_id: int, exchange: str) -> list[MarketMetrics]:
    """The figures scan ``scan_id`` stored for the markets of ``exchange``."""
    figures = [c for c in SNAPSHOTS.c if c.name not in ("id", "market_id", "scan_id")]
    stmt = (
        select(MARKETS.c.exchange, MARKETS.c.symbol, MARKETS.c.quote, *figures)
        .join(MARKETS, MARKETS.c.id == SNAPSHOTS.c.market_id)
        .where(SNAPSHOTS.c.scan_id == scan_id, MARKETS.c.exchange == exchange)
        .order_by(MARKETS.c.symbol)
    )
    return [metrics_from_row(row) for row in (await session.execute(stmt)).mappings()]


async def first_listed(
    session: Executor, exchange: str, bases: Iterable[str]
) -> dict[str, datetime]:
    """When ``exchange`` was first seen listing each of ``bases`` (its first market's
    ``first_seen``); tokens never seen there are left out."""
    wanted = sorted(set(bases))
    if not wanted:
        return {}
    m = MARKETS.c
    stmt = (
        select(m.base, func.min(m.first_seen))
        .where(m.exchange == exchange, m.base.in_(wanted))
        .group_by(m.base)
    )
    return {base: cast(datetime, first) for base, first in await session.execute(stmt)}


async def listed_before(session: Executor, exchange: str, moment: datetime) -> bool:
    """Whether any market of ``exchange`` was seen at or before ``moment``."""
    m = MARKETS.c
    stmt = select(m.id).where(m.exchange == exchange, m.first_seen <= moment).limit(1)
    return (await session.execute(stmt)).first() is not None
