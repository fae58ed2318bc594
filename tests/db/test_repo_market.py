"""Scans in, latest figures out: store_scan + latest_metrics give back exactly what went in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import LiquiditySnapshot, Market
from bot.db.repo_market import (
    latest_metrics,
    latest_scan,
    latest_snapshot_time,
    store_scan,
    upsert_markets,
)
from bot.domain.metrics import compute_market_metrics, error_metrics
from bot.domain.models import MarketRef, OrderBook, Ticker
from tests.builders import NOW, SLIPPAGE_WITH_GAPS, market

SUMMARY = {"binance": {"markets": 2, "ok": 2, "errors": 0, "requests": 3}}


async def test_store_scan_round_trips_every_figure(session: AsyncSession) -> None:
    # Every figure differs between the markets and between the columns of a market.
    gaps = SLIPPAGE_WITH_GAPS
    in_try = market(
        "PEPE/TRY", mid=3.0, bid_usd=6_000, ask_usd=6_900, spread_bps=200, volume_usd=370_000,
        usd_per_quote=0.029, truncated=True, slippage_bps=gaps,
    )  # fmt: skip
    wif = market(
        "WIF/USDC", "okx", mid=2.5, bid_usd=5_000, ask_usd=5_750, spread_bps=150,
        volume_usd=308_000, truncated=True, slippage_bps=gaps,
    )  # fmt: skip
    crossed = market("PEPE/USDT", "okx", error="crossed book: bid 1.02 >= ask 1.01")
    scanned = [
        market("PEPE/USDT", mid=1.0, slippage_bps=gaps),
        in_try,
        crossed,
        wif,
        # An empty side is measured (its depth 0), a failed fetch keeps its ticker: both return
        # as they went in, the last trade price included.
        compute_market_metrics(
            MarketRef("bybit", "PEPE/USDT", "PEPE", "USDT"),
            OrderBook("bybit", "PEPE/USDT", ((0.99, 1_000.0),), ()),
            Ticker("bybit", "PEPE/USDT", last=1.0, base_volume=None, quote_volume=5_000.0),
            1.0,
        ),
        error_metrics(
            MarketRef("bybit", "WIF/USDT", "WIF", "USDT"),
            "timed out after 10 s",
            Ticker("bybit", "WIF/USDT", last=2.0, base_volume=None, quote_volume=7_000.0),
            1.0,
        ),
    ]
    scan_id = await store_scan(
        session, "demo", NOW, NOW + timedelta(seconds=4), SUMMARY, scanned, taken_at=NOW
    )
    await session.commit()

    assert sorted(await latest_metrics(session), key=lambda m: (m.exchange, m.symbol)) == sorted(
        scanned, key=lambda m: (m.exchange, m.symbol)
    )
    scan = await latest_scan(session)
    assert scan is not None
    assert (scan.id, scan.source, scan.markets, scan.ok, scan.exchanges) == (
        scan_id,
        "demo",
        6,
        3,
        SUMMARY,
    )
    assert scan.finished_at - scan.started_at == timedelta(seconds=4)
    mids = (await session.execute(select(LiquiditySnapshot.mid_usd).order_by("id"))).scalars()
    # mid_usd is stored for queries: mid × USD per quote unit (TRY: 3.0 × 0.029).
    assert list(mids) == [1.0, 3.0 * 0.029, None, 2.5, None, None]
    prices = (await session.execute(select(LiquiditySnapshot.last_price).order_by("id"))).scalars()
    assert list(prices)[-2:] == [1.0, 2.0]


async def test_latest_is_the_newest_scan_and_filters_by_token_and_age(
    session: AsyncSession,
) -> None:
    first = [market("PEPE/USDT", mid=1.0), market("WIF/USDT", mid=2.0)]
    await store_scan(session, "live", NOW, NOW, {}, first, taken_at=NOW)
    later = NOW + timedelta(hours=1)
    second = [market("PEPE/USDT", mid=1.5)]  # WIF not scanned this time
    await store_scan(session, "live", later, later, {}, second, taken_at=later)
    await session.commit()

    assert await latest_metrics(session, base="PEPE") == second
    assert await latest_metrics(session, base="WIF") == [first[1]]
    fresh = await latest_metrics(session, max_age=timedelta(minutes=30), now=later)
    assert fresh == second
    assert await latest_snapshot_time(session) == later
    assert await latest_snapshot_time(session, base="WIF") == NOW
    assert await latest_snapshot_time(session, base="NOPE") is None


async def test_an_older_scan_stored_late_does_not_replace_newer_figures(
    session: AsyncSession,
) -> None:
    newer = NOW + timedelta(hours=1)
    await store_scan(
        session, "live", newer, newer, {}, [market("PEPE/USDT", mid=2.0)], taken_at=newer
    )
    await store_scan(session, "live", NOW, NOW, {}, [market("PEPE/USDT", mid=1.0)], taken_at=NOW)
    await session.commit()
    assert await latest_metrics(session) == [market("PEPE/USDT", mid=2.0)]
    scan = await latest_scan(session)
    assert scan is not None and scan.started_at == newer


async def test_upsert_markets_keeps_ids_and_refreshes_last_seen(session: AsyncSession) -> None:
    refs = [
        MarketRef("binance", "PEPE/USDT", "PEPE", "USDT"),
        MarketRef("okx", "PEPE/USDT", "PEPE", "USDT"),
    ]
    ids = await upsert_markets(session, refs, NOW)
    later = NOW + timedelta(days=1)
    again = await upsert_markets(
        session, [MarketRef("okx", "PEPE/USDT", "PEPE", "USDT", active=False)], later
    )
    await session.commit()
    assert again == {("okx", "PEPE/USDT"): ids[("okx", "PEPE/USDT")]}
    assert len(set(ids.values())) == 2
    okx = (await session.execute(select(Market).where(Market.exchange == "okx"))).scalar_one()
    assert (okx.first_seen, okx.last_seen, okx.active) == (NOW, later, False)
    assert await upsert_markets(session, [], NOW) == {}


async def test_an_empty_scan_is_still_recorded(session: AsyncSession) -> None:
    scan_id = await store_scan(session, "live", NOW, NOW, {"okx": {"error": "down"}}, [], NOW)
    await session.commit()
    scan = await latest_scan(session)
    assert scan is not None and (scan.id, scan.markets, scan.exchanges) == (
        scan_id,
        0,
        {"okx": {"error": "down"}},
    )
    assert await latest_metrics(session) == []


async def test_a_reader_and_a_second_writer_get_through_while_a_scan_is_stored(
    db_url: str,
) -> None:
    engines = [make_engine(db_url) for _ in range(3)]
    writer, reader, other = (make_sessionmaker(engine) for engine in engines)
    later = NOW + timedelta(hours=1)

    async def second_scan() -> None:
        async with other() as session:
            await store_scan(
                session, "live", later, later, {}, [market("PEPE/USDT", mid=2.0)], later
            )
            await session.commit()

    try:
        async with writer() as session:
            await store_scan(session, "live", NOW, NOW, {}, [market("PEPE/USDT", mid=1.0)], NOW)
            # The scan is not committed yet: a reader sees the state before it, without waiting.
            async with reader() as read:
                assert await asyncio.wait_for(latest_metrics(read), timeout=5) == []
            queued = asyncio.create_task(second_scan())  # waits for the first writer's lock
            await asyncio.sleep(0.1)
            await session.commit()
        await asyncio.wait_for(queued, timeout=10)
        async with reader() as read:
            assert await latest_metrics(read) == [market("PEPE/USDT", mid=2.0)]
    finally:
        for engine in engines:
            await engine.dispose()
