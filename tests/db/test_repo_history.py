"""Snapshot history: per-token series, the state around a moment, and down-sampling."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import LiquiditySnapshot
from bot.db.repo_history import daily_history, depth_around, downsample_snapshots, token_history
from bot.db.repo_market import latest_metrics, store_scan
from bot.domain.models import MarketMetrics
from tests.builders import NOW, market


def _pepe(exchange: str = "binance", seed: float = 1.0) -> MarketMetrics:
    """PEPE/USDT with figures that grow with ``seed``: mid ``seed``, ±2% depth bid 2000.125 × seed
    < ask 2300.0625 × seed, spread 200 bps, 24h volume 123456.789 × seed."""
    return market(
        "PEPE/USDT", exchange, mid=seed, bid_usd=2000.125 * seed, ask_usd=2300.0625 * seed,
        spread_bps=200, volume_usd=123456.789 * seed,
    )  # fmt: skip


async def _hourly(
    session: AsyncSession, start: datetime, hours: int, markets: list[MarketMetrics]
) -> None:
    for hour in range(hours):
        at = start + timedelta(hours=hour)
        await store_scan(session, "live", at, at, {}, markets, taken_at=at)
    await session.commit()


async def test_token_history_is_the_tokens_series_in_order(session: AsyncSession) -> None:
    one_sided = replace(_pepe("okx"), depth_ask_2pct_usd=0.0)
    await store_scan(session, "live", NOW, NOW, {}, [_pepe(), one_sided], taken_at=NOW)
    at1 = NOW + timedelta(hours=1)
    scan2 = [_pepe(seed=2.0), market("PEPE/USDT", "okx", error="crossed book"), market("WIF/USDT")]
    await store_scan(session, "live", at1, at1, {}, scan2, taken_at=at1)
    await session.commit()

    points = await token_history(session, "PEPE", NOW, at1)
    assert [(p.exchange, p.taken_at, p.status, p.two_sided) for p in points] == [
        ("binance", NOW, "ok", True),
        ("binance", at1, "ok", True),
        ("okx", NOW, "ok", False),  # no ask within 2%
        ("okx", at1, "error", False),
    ]
    # min side of ±2% depth: bid 2000.125 × seed < ask 2300.0625 × seed
    assert [p.depth_2pct_usd for p in points] == [2000.125, 4000.25, 0.0, None]
    assert points[1].spread_bps == 200.0 and points[1].resolution == "raw"
    assert [p.taken_at for p in await token_history(session, "PEPE", at1, at1)] == [at1, at1]
    okx_only = await token_history(session, "PEPE", NOW, at1, exchange="okx")
    assert [(p.exchange, p.taken_at) for p in okx_only] == [("okx", NOW), ("okx", at1)]
    assert await token_history(session, "DOGE", NOW, at1) == []


async def test_depth_around_takes_each_markets_closest_snapshot(session: AsyncSession) -> None:
    pepe = [_pepe(), _pepe("okx")]
    await _hourly(session, NOW, 6, pepe)
    reply_at = NOW + timedelta(hours=2, minutes=20)
    points = await depth_around(session, "PEPE", reply_at, timedelta(hours=1))
    assert [(p.exchange, p.taken_at) for p in points] == [
        ("binance", NOW + timedelta(hours=2)),
        ("okx", NOW + timedelta(hours=2)),
    ]
    # Exactly between two snapshots: the earlier one.
    between = await depth_around(session, "PEPE", NOW + timedelta(minutes=30), timedelta(hours=1))
    assert {p.taken_at for p in between} == {NOW}
    assert await depth_around(session, "PEPE", NOW - timedelta(hours=3), timedelta(hours=1)) == []


async def test_downsampling_keeps_the_last_snapshot_per_market_and_day(
    session: AsyncSession,
) -> None:
    start = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    markets = [_pepe(), market("WIF/USDT", "okx")]
    await _hourly(session, start, 72, markets)  # 20th, 21st, 22nd: 24 per market per day
    # A market last seen on the 20th at 05:00 keeps its newest snapshot (the latest figures).
    gone = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
    await store_scan(session, "live", gone, gone, {}, [market("OLD/USDT", "gate")], gone)
    await session.commit()

    if session.get_bind().dialect.name == "postgresql":
        # Days are UTC days whatever the connection's zone (Tokyo's day starts at 15:00 UTC).
        await session.execute(text("SET TIME ZONE 'Asia/Tokyo'"))
    # Cutoff 22nd 10:00 rounds down to the 22nd 00:00: the 20th and 21st are collapsed.
    removed = await downsample_snapshots(session, datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    await session.commit()
    assert removed == 2 * 2 * 23  # 2 markets × 2 days × (24 − 1); OLD's only row stays

    rows = (
        await session.execute(
            select(LiquiditySnapshot.base, LiquiditySnapshot.taken_at, LiquiditySnapshot.resolution)
            .where(LiquiditySnapshot.resolution == "daily")
            .order_by(LiquiditySnapshot.base, LiquiditySnapshot.taken_at)
        )
    ).all()
    assert [(base, at.day, at.hour) for base, at, _ in rows] == [
        ("OLD", 20, 5),
        ("PEPE", 20, 23),
        ("PEPE", 21, 23),
        ("WIF", 20, 23),
        ("WIF", 21, 23),
    ]
    raw = (
        await session.execute(select(func.count()).where(LiquiditySnapshot.resolution == "raw"))
    ).scalar_one()
    assert raw == 2 * 24  # the 22nd untouched
    assert {m.base for m in await latest_metrics(session)} == {"OLD", "PEPE", "WIF"}
    assert await downsample_snapshots(session, datetime(2026, 11, 22, 10, tzinfo=UTC)) == 0


async def test_downsampling_a_day_at_a_time(session: AsyncSession) -> None:
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    await _hourly(session, start, 48, [_pepe()])  # 20th 12:00 … 22nd 11:00
    cutoff = datetime(2026, 11, 23, tzinfo=UTC)
    # First call: only the 20th (12 snapshots → 1); second: the 21st (24 → 1).
    assert await downsample_snapshots(session, cutoff, max_days=1) == 11
    assert await downsample_snapshots(session, cutoff, max_days=1) == 23
    assert await downsample_snapshots(session, cutoff, max_days=1) == 11  # the 22nd, 12 → 1
    assert await downsample_snapshots(session, cutoff, max_days=1) == 0  # nothing raw left
    await session.commit()
    days = (
        await session.execute(
            select(LiquiditySnapshot.taken_at).order_by(LiquiditySnapshot.taken_at)
        )
    ).scalars()
    assert [(at.day, at.hour) for at in days] == [(20, 23), (21, 23), (22, 11)]


async def test_daily_history_sums_up_each_market_per_utc_day(session: AsyncSession) -> None:
    start = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    bid_only = replace(_pepe("okx"), depth_ask_2pct_usd=0.0)
    # 22:00 and 23:00 on the 20th, 00:00 on the 21st, with seeds 1, 2, 3 on binance.
    for hour, seed in enumerate((1.0, 2.0, 3.0)):
        at = start + timedelta(hours=hour)
        crossed = market("PEPE/USDT", "okx", error="crossed book")
        markets = [_pepe(seed=seed), bid_only if hour == 0 else crossed]
        await store_scan(session, "live", at, at, {}, markets, taken_at=at)
    await session.commit()

    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET TIME ZONE 'America/New_York'"))
    days = await daily_history(session, "PEPE", start, start + timedelta(days=1))
    got = [
        (d.exchange, d.day.day, d.samples, d.two_sided_samples, d.avg_depth_2pct_usd) for d in days
    ]
    assert got == [
        # min side = bid 2000.125 × seed: mean of seeds 1 and 2 is 1.5
        ("binance", 20, 2, 2, 2000.125 * 1.5),
        ("binance", 21, 1, 1, 2000.125 * 3.0),
        ("okx", 20, 2, 0, 0.0),  # one-sided (ask 0), then an error without figures
        ("okx", 21, 1, 0, None),  # errors only
    ]
    assert days[0].min_depth_2pct_usd == 2000.125
    # Each side's own average, for a token's depth over its pairs (the smaller side sum).
    sides = [(d.avg_depth_bid_2pct_usd, d.avg_depth_ask_2pct_usd) for d in days]
    assert sides == [
        (2000.125 * 1.5, 2300.0625 * 1.5),
        (2000.125 * 3.0, 2300.0625 * 3.0),
        (2000.125, 0.0),
        (None, None),
    ]
    assert days[0].avg_spread_bps == 200.0 and days[2].avg_spread_bps == 200.0
    assert days[0].avg_mid_usd == 1.5
    assert days[2].avg_volume_24h_usd == 123456.789
    okx = await daily_history(session, "PEPE", start, start + timedelta(days=1), exchange="okx")
    assert [(d.exchange, d.samples) for d in okx] == [("okx", 2), ("okx", 1)]
