"""Snapshot history: per-token time series, figures around a moment, and down-sampling.

Per-token reads go through the covering (base, taken_at, …) index of ``liquidity_snapshots``: one
index range per query however long the whole history is, without touching the table. They read
finished scans only (``bot.db.finished_scans``): the rows of a scan still running or one that
crashed are not history.

Retention: ``downsample_snapshots`` is the only deletion in liqbot's database. It is a system
job, not a user action: raw snapshots older than the retention cutoff are collapsed to one per
market per UTC day (the day's last snapshot, kept as ``resolution='daily'``), and the rows that
scans which never finished left behind before the cutoff are removed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, null, or_, select, update

from bot.db.dialect import Executor, dialect_name, utc_day
from bot.db.finished_scans import of_finished_scans, of_scans_abandoned_before
from bot.db.records import DailyPoint, SnapshotPoint
from bot.db.tables import MARKETS, SNAPSHOTS


def _point_query() -> Any:
    s = SNAPSHOTS.c
    return (
        select(
            MARKETS.c.exchange,
            MARKETS.c.symbol,
            s.taken_at,
            s.status,
            s.spread_bps,
            s.depth_bid_2pct_usd,
            s.depth_ask_2pct_usd,
            s.mid_usd,
            s.volume_24h_usd,
            s.resolution,
        )
        .join(MARKETS, MARKETS.c.id == s.market_id)
        .where(of_finished_scans(s.scan_id))
    )


def _point(row: Any) -> SnapshotPoint:
    # Positional unpacking: this runs for thousands of rows per history query.
    exchange, symbol, taken_at, status, spread, bid, ask, mid_usd, volume, resolution = row
    both_known = bid is not None and ask is not None
    return SnapshotPoint(
        exchange=exchange,
        symbol=symbol,
        taken_at=taken_at,
        status=status,
        two_sided=status == "ok" and both_known and bid > 0 and ask > 0,
        spread_bps=spread,
        depth_2pct_usd=min(bid, ask) if both_known else None,
        depth_bid_2pct_usd=bid,
        depth_ask_2pct_usd=ask,
        mid_usd=mid_usd,
        volume_24h_usd=volume,
        resolution=resolution,
    )


async def token_history(
    session: Executor,
    base: str,
    since: datetime,
    until: datetime,
    exchange: str | None = None,
) -> list[SnapshotPoint]:
    """Every snapshot of token ``base``'s markets (on ``exchange`` only, if given) taken in
    [since, until], ordered by exchange, symbol, time: a token's raw series (market-maker
    statuses are judged from ``mm_daily_checks`` instead, which down-sampling leaves alone)."""
    s = SNAPSHOTS.c
    stmt = (
        _point_query()
        .where(s.base == base, s.taken_at >= since, s.taken_at <= until)
        .order_by(MARKETS.c.exchange, MARKETS.c.symbol, s.taken_at)
    )
    if exchange is not None:
        stmt = stmt.where(MARKETS.c.exchange == exchange)
    result = await session.execute(stmt)
    return [_point(row) for row in result]


async def depth_around(
    session: Executor, base: str, at: datetime, window: timedelta
) -> list[SnapshotPoint]:
    """For each market of token ``base``, the snapshot closest to ``at`` within ±``window``
    (markets with none in the window are left out): before/after comparisons around a reply."""
    s = SNAPSHOTS.c
    stmt = _point_query().where(s.base == base, s.taken_at.between(at - window, at + window))
    closest: dict[tuple[str, str], SnapshotPoint] = {}
    for row in await session.execute(stmt):
        point = _point(row)
        key = (point.exchange, point.symbol)
        best = closest.get(key)
        # Ties go to the earlier snapshot: "before" never borrows from after the moment.
        if best is None or (abs(point.taken_at - at), point.taken_at) < (
            abs(best.taken_at - at),
            best.taken_at,
        ):
            closest[key] = point
    return [closest[key] for key in sorted(closest)]


async def daily_history(
    session: Executor,
    base: str,
    since: datetime,
    until: datetime,
    exchange: str | None = None,
) -> list[DailyPoint]:
    """Token ``base``'s snapshots in [since, until] summed up per market and UTC day, ordered by
    exchange, symbol, day: 30 rows per market for a 30-day trend instead of 720 snapshots."""
    s = SNAPSHOTS.c
    bid, ask = s.depth_bid_2pct_usd, s.depth_ask_2pct_usd
    min_side = case((or_(bid.is_(None), ask.is_(None)), null()), (bid < ask, bid), else_=ask)
    two_sided = case((and_(s.status == "ok", bid > 0, ask > 0), 1), else_=0)
    day = utc_day(s.taken_at, dialect_name(session)).label("day")
    group = (MARKETS.c.exchange, MARKETS.c.symbol, day)
    stmt = (
        select(
            *group,
            func.count(),
            func.sum(two_sided),
            func.avg(s.spread_bps),
            func.avg(min_side),
            func.min(min_side),
            func.avg(s.mid_usd),
            func.avg(s.volume_24h_usd),
            func.avg(bid),
            func.avg(ask),
        )
        .join(MARKETS, MARKETS.c.id == s.market_id)
        .where(s.base == base, s.taken_at >= since, s.taken_at <= until)
        .where(of_finished_scans(s.scan_id))
        .group_by(*group)
        .order_by(*group)
    )
    if exchange is not None:
        stmt = stmt.where(MARKETS.c.exchange == exchange)
    return [
        DailyPoint(
            exchange=row[0],
            symbol=row[1],
            # SQLite's date() is text, PostgreSQL's a date.
            day=date.fromisoformat(row[2]) if isinstance(row[2], str) else row[2],
            samples=int(row[3]),
            two_sided_samples=int(row[4]),
            avg_spread_bps=_float(row[5]),
            avg_depth_2pct_usd=_float(row[6]),
            min_depth_2pct_usd=_float(row[7]),
            avg_mid_usd=_float(row[8]),
            avg_volume_24h_usd=_float(row[9]),
            avg_depth_bid_2pct_usd=_float(row[10]),
            avg_depth_ask_2pct_usd=_float(row[11]),
        )
        for row in await session.execute(stmt)
    ]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def day_start(moment: datetime) -> datetime:
    """Midnight UTC of ``moment``'s UTC day."""
    utc = moment.astimezone(UTC)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0)


async def downsample_snapshots(
    session: Executor, older_than: datetime, max_days: int | None = None
) -> int:
    """Collapse snapshots taken before ``older_than`` (rounded down to UTC midnight, so a day is
    always collapsed whole) to the last one per market per UTC day, marked ``daily``.

    ``max_days`` bounds the work of one call to the oldest that many days still holding raw
    snapshots: on SQLite the call holds the write lock throughout (about 1.5 s per day of 2,000
    hourly markets), so a first run over a long history should go a day at a time, committing
    in between, while scans keep being stored. The rows of scans that started before the cutoff
    and never finished go too. Returns the number of rows removed. A market's newest snapshot is
    never removed. The caller commits.
    """
    s = SNAPSHOTS.c
    cutoff = day_start(older_than)
    if max_days is not None:
        oldest_raw = (
            await session.execute(select(func.min(s.taken_at)).where(s.resolution == "raw"))
        ).scalar_one_or_none()
        if oldest_raw is None:
            return 0
        cutoff = min(cutoff, day_start(oldest_raw) + timedelta(days=max_days))
    # Before ranking, so a crashed scan's row is never kept as a day's last snapshot.
    abandoned = await session.execute(
        delete(SNAPSHOTS).where(of_scans_abandoned_before(s.scan_id, cutoff))
    )
    day = utc_day(s.taken_at, dialect_name(session))
    ranked = (
        select(
            s.id,
            func.row_number()
            .over(partition_by=(s.market_id, day), order_by=(s.taken_at.desc(), s.id.desc()))
            .label("rank"),
        )
        .where(s.taken_at < cutoff)
        .subquery()
    )
    pointed_at = select(MARKETS.c.last_snapshot_id).where(MARKETS.c.last_snapshot_id.is_not(None))
    removed = await session.execute(
        delete(SNAPSHOTS).where(
            s.id.in_(select(ranked.c.id).where(ranked.c.rank > 1)),
            s.id.not_in(pointed_at),
        )
    )
    await session.execute(
        update(SNAPSHOTS)
        .where(s.taken_at < cutoff, s.resolution == "raw")
        .values(resolution="daily")
    )
    return _rowcount(abandoned) + _rowcount(removed)


def _rowcount(result: Any) -> int:
    return int(result.rowcount)  # a CursorResult
