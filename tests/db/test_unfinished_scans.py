"""A scan that never finished (a `liqbot scan` killed mid-way, a slot nobody took over) leaves
its scan row and the snapshots stored so far: no reader of the history shows them, and the
down-sampling removes them once they are past the retention, never in place of a finished
scan's snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_scan_store
from bot.db.repo_figures import markets_as_of
from bot.db.repo_history import daily_history, depth_around, downsample_snapshots, token_history
from bot.db.repo_market import latest_metrics, store_scan
from bot.db.repo_quoting import home_book_samples
from bot.db.repo_scan import scan_record
from bot.db.tables import SNAPSHOTS
from bot.domain.models import MarketMetrics
from tests.builders import NOW, market


def _pepe(exchange: str = "binance", seed: float = 1.0) -> MarketMetrics:
    """PEPE/USDT: mid ``seed``, ±2% depth bid 1000 × seed < ask 3000 × seed, spread 10 × seed."""
    return market(
        "PEPE/USDT", exchange, mid=seed, bid_usd=1000 * seed, ask_usd=3000 * seed,
        spread_bps=10 * seed,
    )  # fmt: skip


async def _finished(session: AsyncSession, at: datetime, markets: Sequence[MarketMetrics]) -> int:
    scan_id = await store_scan(session, "live", at, at, {}, list(markets), taken_at=at)
    await session.commit()
    return scan_id


async def _crashed(
    session: AsyncSession, started: datetime, markets: Sequence[MarketMetrics]
) -> int:
    """What a scan killed after its first batch leaves: the unfinished scan row and that batch,
    taken provisionally at the scan's start."""
    scan_id = await repo_scan_store.open_scan(session, "live", started)
    await repo_scan_store.store_snapshots(session, scan_id, list(markets), started)
    await session.commit()
    return scan_id


async def test_no_history_reader_shows_a_crashed_scans_snapshots(session: AsyncSession) -> None:
    later = NOW + timedelta(hours=1)
    crashed_at = NOW + timedelta(hours=2)
    await _finished(session, NOW, [_pepe(), _pepe("okx")])
    await _finished(session, later, [_pepe(seed=2.0), _pepe("okx", seed=2.0)])
    await _crashed(session, crashed_at, [_pepe(seed=100.0)])
    until = NOW + timedelta(hours=3)

    series = await token_history(session, "PEPE", NOW, until)
    assert [(p.exchange, p.taken_at) for p in series] == [
        ("binance", NOW), ("binance", later), ("okx", NOW), ("okx", later),
    ]  # fmt: skip
    [day] = await daily_history(session, "PEPE", NOW, until, exchange="binance")
    assert (day.samples, day.avg_depth_2pct_usd, day.min_depth_2pct_usd) == (2, 1500.0, 1000.0)
    around = await depth_around(session, "PEPE", crashed_at, timedelta(hours=1))
    assert [(p.exchange, p.taken_at, p.depth_2pct_usd) for p in around] == [
        ("binance", later, 2000.0), ("okx", later, 2000.0),
    ]  # fmt: skip
    markets, taken = await markets_as_of(session, "binance", "PEPE", until)
    assert taken == later and [(m.exchange, m.mid) for m in markets] == [
        ("binance", 2.0), ("okx", 2.0),
    ]  # fmt: skip
    samples = await home_book_samples(session, "binance", ["PEPE"], NOW, until)
    assert [(s.taken_at, s.depth_2pct_usd, s.spread_bps) for s in samples["PEPE"]] == [
        (NOW, 1000.0, 10.0), (later, 2000.0, 20.0),
    ]  # fmt: skip
    assert [m.mid for m in await latest_metrics(session, "PEPE")] == [2.0, 2.0]


async def test_downsampling_removes_a_crashed_scans_rows_and_keeps_the_days_finished_one(
    session: AsyncSession,
) -> None:
    day = datetime(2026, 11, 20, tzinfo=UTC)
    for hour in range(22):
        await _finished(session, day + timedelta(hours=hour), [_pepe(seed=1.0 + hour)])
    # Killed at 23:00 that day, after its binance batch: the latest rows of the day.
    old_crash = await _crashed(session, day + timedelta(hours=23), [_pepe(seed=100.0)])
    await _finished(session, NOW, [_pepe(seed=50.0)])
    running = await _crashed(session, NOW + timedelta(minutes=5), [_pepe(seed=60.0)])

    removed = await downsample_snapshots(session, day + timedelta(days=2))
    await session.commit()

    rows = await session.execute(
        select(
            SNAPSHOTS.c.scan_id, SNAPSHOTS.c.taken_at, SNAPSHOTS.c.mid, SNAPSHOTS.c.resolution
        ).order_by(SNAPSHOTS.c.taken_at)
    )
    kept = [(r.taken_at, r.mid, r.resolution) for r in rows if r.scan_id != running]
    # The day's last finished snapshot (21:00) is kept; the crashed scan's 23:00 row is gone.
    assert kept == [(day + timedelta(hours=21), 22.0, "daily"), (NOW, 50.0, "raw")]
    assert removed == 21 + 1
    # A scan started after the cutoff may still be running: its rows stay, unseen.
    stored_by = await session.execute(
        select(SNAPSHOTS.c.scan_id).where(SNAPSHOTS.c.scan_id == running)
    )
    assert len(stored_by.all()) == 1
    assert old_crash not in {r.scan_id for r in await session.execute(select(SNAPSHOTS.c.scan_id))}
    series = await token_history(session, "PEPE", day, NOW + timedelta(hours=1))
    assert [p.taken_at for p in series] == [day + timedelta(hours=21), NOW]


async def test_a_scan_is_finished_once(session: AsyncSession) -> None:
    scan_id = await repo_scan_store.open_scan(session, "live", NOW)
    await repo_scan_store.store_snapshots(session, scan_id, [_pepe()], NOW)
    finish_at = NOW + timedelta(minutes=1)
    assert await repo_scan_store.finish_scan(session, scan_id, finish_at, {"binance": {}}, 1, 1)
    await session.commit()

    again = NOW + timedelta(minutes=9)
    remeasured = [_pepe(seed=7.0)]
    finished = await repo_scan_store.finish_scan(
        session, scan_id, again, {}, 5, 0, remeasured=remeasured
    )
    await session.commit()

    assert finished is False
    rows = (await session.execute(select(SNAPSHOTS.c.taken_at, SNAPSHOTS.c.mid))).all()
    assert [tuple(r) for r in rows] == [(finish_at, 1.0)]
    record = await scan_record(session, scan_id)
    assert record is not None and (record.finished_at, record.markets) == (finish_at, 1)
