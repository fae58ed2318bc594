"""Markets, scans and liquidity snapshots: bulk storage of a scan, and the latest figures back.

A scan of 2,000 markets is stored in a handful of statements (no ORM objects): look up the
market ids (inserting only new markets), insert the scan, insert the snapshots (one executemany),
move each market's ``last_snapshot_id`` pointer. The caller owns the transaction and commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor, upsert_insert
from bot.db.records import ScanRecord
from bot.db.tables import MARKETS, SCANS, SNAPSHOTS
from bot.domain.models import MarketMetrics, MarketRef

# Figures copied one to one between MarketMetrics and a snapshot row.
_FIGURES = (
    "status",
    "error",
    "best_bid",
    "best_ask",
    "mid",
    "usd_per_quote",
    "spread_bps",
    "depth_bid_1pct",
    "depth_ask_1pct",
    "depth_bid_2pct",
    "depth_ask_2pct",
    "depth_bid_1pct_usd",
    "depth_ask_1pct_usd",
    "depth_bid_2pct_usd",
    "depth_ask_2pct_usd",
    "depth_truncated",
    "imbalance_2pct",
    "volume_24h_usd",
    "last_price",
)


async def upsert_markets(
    session: Executor, refs: Sequence[MarketRef], seen_at: datetime
) -> dict[tuple[str, str], int]:
    """Insert new markets and refresh known ones (``last_seen``, ``active``).

    Returns the market ids by (exchange, symbol). The caller commits."""
    unique = {(r.exchange, r.symbol): r for r in refs}
    if not unique:
        return {}
    stmt = upsert_insert(session, MARKETS)
    stmt = stmt.on_conflict_do_update(
        index_elements=["exchange", "symbol"],
        set_={
            "base": stmt.excluded.base,
            "quote": stmt.excluded.quote,
            "active": stmt.excluded.active,
            "last_seen": stmt.excluded.last_seen,
        },
    )
    rows = [
        {
            "exchange": r.exchange,
            "symbol": r.symbol,
            "base": r.base,
            "quote": r.quote,
            "active": r.active,
            "first_seen": seen_at,
            "last_seen": seen_at,
        }
        for r in unique.values()
    ]
    # A plain executemany, ids read back after: RETURNING would turn it into a few huge
    # multi-row statements, several times slower on psycopg for 2,000 markets.
    await session.execute(stmt, rows)
    ids = await _ids_of(session, unique)
    return {key: ids[key] for key in unique}


async def _ids_of(session: Executor, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Stored market ids by (exchange, symbol) for the exchanges of ``keys``."""
    exchanges = sorted({exchange for exchange, _ in keys})
    result = await session.execute(
        select(MARKETS.c.id, MARKETS.c.exchange, MARKETS.c.symbol).where(
            MARKETS.c.exchange.in_(exchanges)
        )
    )
    return {(row.exchange, row.symbol): row.id for row in result}


def _slippage_to_json(slippage: Mapping[str, Mapping[int, float | None]]) -> dict[str, Any] | None:
    if not slippage:
        return None
    return {
        side: {str(size): bps for size, bps in sizes.items()} for side, sizes in slippage.items()
    }


def _slippage_from_json(raw: Mapping[str, Any] | None) -> dict[str, dict[int, float | None]]:
    if not raw:
        return {}
    return {side: {int(size): bps for size, bps in sizes.items()} for side, sizes in raw.items()}


def snapshot_row(
    metrics: MarketMetrics, scan_id: int, market_id: int, taken_at: datetime
) -> dict[str, Any]:
    """The snapshot table row for one market's figures."""
    row: dict[str, Any] = {name: getattr(metrics, name) for name in _FIGURES}
    row.update(
        scan_id=scan_id,
        market_id=market_id,
        base=metrics.base,
        taken_at=taken_at,
        mid_usd=metrics.mid_usd,
        slippage_bps=_slippage_to_json(metrics.slippage_bps),
        resolution="raw",
    )
    return row


def metrics_from_row(row: RowMapping) -> MarketMetrics:
    """A snapshot row (joined with its market) back to the domain's MarketMetrics."""
    figures = {name: row[name] for name in _FIGURES}
    return MarketMetrics(
        exchange=row["exchange"],
        symbol=row["symbol"],
        base=row["base"],
        quote=row["quote"],
        slippage_bps=_slippage_from_json(row["slippage_bps"]),
        **figures,
    )


async def store_scan(
    session: Executor,
    source: str,
    started_at: datetime,
    finished_at: datetime,
    summary: Mapping[str, Any],
    metrics: Sequence[MarketMetrics],
    taken_at: datetime,
) -> int:
    """Store one scan: its markets, the per-exchange ``summary`` and one snapshot per market
    (all taken at ``taken_at``). Returns the scan id. Bulk statements only; the caller commits."""
    market_ids = await market_ids_of(session, metrics, taken_at)
    scan_id: int = (
        await session.execute(
            insert(SCANS)
            .values(
                source=source,
                started_at=started_at,
                finished_at=finished_at,
                exchanges=dict(summary),
                markets_count=len(metrics),
                ok_count=sum(1 for m in metrics if m.ok),
            )
            .returning(SCANS.c.id)
        )
    ).scalar_one()
    if not metrics:
        return scan_id
    rows = [snapshot_row(m, scan_id, market_ids[(m.exchange, m.symbol)], taken_at) for m in metrics]
    await session.execute(insert(SNAPSHOTS), rows)
    await move_pointers(session, scan_id, taken_at)
    return scan_id


async def move_pointers(session: Executor, scan_id: int, taken_at: datetime) -> None:
    """Move each market's pointer to its snapshot of scan ``scan_id`` (and its last_seen),
    unless a newer snapshot is already stored."""
    this_scan = SNAPSHOTS.alias("this_scan")
    newest_of_market = (
        select(func.max(this_scan.c.id))
        .where(this_scan.c.scan_id == scan_id, this_scan.c.market_id == MARKETS.c.id)
        .scalar_subquery()
    )
    await session.execute(
        update(MARKETS)
        .where(
            MARKETS.c.id.in_(select(this_scan.c.market_id).where(this_scan.c.scan_id == scan_id)),
            or_(MARKETS.c.last_snapshot_at.is_(None), MARKETS.c.last_snapshot_at <= taken_at),
        )
        .values(
            last_snapshot_id=newest_of_market,
            last_snapshot_at=taken_at,
            last_seen=taken_at,
            active=True,
        )
    )


async def market_ids_of(
    session: Executor, metrics: Sequence[MarketMetrics], seen_at: datetime
) -> dict[tuple[str, str], int]:
    """Ids of the scanned markets; only markets never seen before are written here (a scan of
    known markets refreshes ``last_seen`` in the pointer update instead of upserting 2,000 rows)."""
    ids = await _ids_of(session, [(m.exchange, m.symbol) for m in metrics])
    new = [
        MarketRef(m.exchange, m.symbol, m.base, m.quote)
        for m in metrics
        if (m.exchange, m.symbol) not in ids
    ]
    if new:
        ids.update(await upsert_markets(session, new, seen_at))
    return ids


def _latest_query(base: str | None, since: datetime | None) -> Any:
    figure_columns = [SNAPSHOTS.c[name] for name in _FIGURES]
    stmt = (
        select(
            MARKETS.c.exchange,
            MARKETS.c.symbol,
            MARKETS.c.quote,
            SNAPSHOTS.c.base,
            SNAPSHOTS.c.slippage_bps,
            SNAPSHOTS.c.taken_at,
            *figure_columns,
        )
        .join(SNAPSHOTS, SNAPSHOTS.c.id == MARKETS.c.last_snapshot_id)
        .order_by(MARKETS.c.exchange, MARKETS.c.symbol)
    )
    if base is not None:
        stmt = stmt.where(MARKETS.c.base == base)
    if since is not None:
        stmt = stmt.where(SNAPSHOTS.c.taken_at >= since)
    return stmt


async def latest_metrics(
    session: Executor,
    base: str | None = None,
    max_age: timedelta | None = None,
    now: datetime | None = None,
) -> list[MarketMetrics]:
    """The newest stored figures of every market (or of token ``base``'s markets), ordered by
    exchange and symbol; with ``max_age``, only snapshots taken at or after ``now - max_age``."""
    since = _cutoff(max_age, now)
    result = await session.execute(_latest_query(base, since))
    return [metrics_from_row(row) for row in result.mappings()]


async def latest_metrics_taken(
    session: Executor, base: str
) -> list[tuple[MarketMetrics, datetime]]:
    """The newest stored figures of token ``base``'s markets, each with when it was taken (any
    age): what an answer shows for a venue that cannot be read live."""
    result = await session.execute(_latest_query(base, None))
    return [(metrics_from_row(row), row["taken_at"]) for row in result.mappings()]


async def latest_snapshot_time(session: Executor, base: str | None = None) -> datetime | None:
    """When the newest snapshot of any market (or of token ``base``'s markets) was taken."""
    stmt = select(func.max(MARKETS.c.last_snapshot_at))
    if base is not None:
        stmt = stmt.where(MARKETS.c.base == base)
    value = (await session.execute(stmt)).scalar_one_or_none()
    return cast(datetime | None, value)


def _cutoff(max_age: timedelta | None, now: datetime | None) -> datetime | None:
    if max_age is None:
        return None
    if now is None:
        raise ValueError("max_age needs now")
    return now - max_age


def _scan_record(row: RowMapping) -> ScanRecord:
    return ScanRecord(
        id=row["id"],
        source=row["source"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        exchanges=dict(row["exchanges"] or {}),
        markets=row["markets_count"],
        ok=row["ok_count"],
    )


async def latest_scan(session: Executor) -> ScanRecord | None:
    """The most recently started scan (the digest's "markets scanned" and per-venue errors)."""
    stmt = (
        select(SCANS)
        .where(SCANS.c.finished_at.is_not(None))  # a scan still being stored is not the latest
        .order_by(SCANS.c.started_at.desc(), SCANS.c.id.desc())
        .limit(1)
    )
    row = (await session.execute(stmt)).mappings().first()
    return _scan_record(row) if row is not None else None


# repo_market is the one import for market data: scans and snapshots above; history, risk
# assessments and supply live in their own modules and are re-exported here.
from bot.db.repo_assessment import (  # noqa: E402
    latest_assessments,
    previous_day_assessments,
    store_assessments,
    token_assessments,
)
from bot.db.repo_history import (  # noqa: E402
    daily_history,
    depth_around,
    downsample_snapshots,
    token_history,
)
from bot.db.repo_supply import get_supply, upsert_supply  # noqa: E402

__all__ = [
    "daily_history",
    "depth_around",
    "downsample_snapshots",
    "get_supply",
    "latest_assessments",
    "latest_metrics",
    "latest_metrics_taken",
    "latest_scan",
    "latest_snapshot_time",
    "metrics_from_row",
    "move_pointers",
    "previous_day_assessments",
    "snapshot_row",
    "store_assessments",
    "store_scan",
    "token_assessments",
    "token_history",
    "upsert_markets",
    "upsert_supply",
]
