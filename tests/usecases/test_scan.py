"""The scan use case: a thin candidate whose ±2% band was cut off is re-fetched deeper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import repo_market, repo_scan_store
from bot.db.tables import SNAPSHOTS
from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.errors import MarketDataError
from bot.market.gateway import ExchangeSnapshot
from bot.usecases.scan import home_usd_rates, measure, run_scan
from bot.usecases.services import Services
from tests.builders import NOW, Clock
from tests.fakes.db_faults import InjectedFault, failing
from tests.market.cassettes import BINANCE, binance_markets_and_tickers, entry, write_cassette


def _levels(start: float, step: float, count: int) -> list[list[str]]:
    return [[f"{start + i * step:.6f}", "1.0"] for i in range(count)]


def _cassette(directory: Path) -> None:
    # ZORB/USDT, mid 1.0: 100 levels a side 0.0001 apart, all inside the ±2% band, so the first
    # fetch (limit 100) is truncated. The deeper fetch (limit 500) adds 300 more levels per side,
    # the last ones outside the band: bid 0.9995 − 399·0.0001 = 0.9596 < 0.98.
    shallow = {"lastUpdateId": 1, "bids": _levels(0.9995, -0.0001, 100)}
    shallow["asks"] = _levels(1.0005, 0.0001, 100)
    deep = {"lastUpdateId": 2, "bids": _levels(0.9995, -0.0001, 400)}
    deep["asks"] = _levels(1.0005, 0.0001, 400)
    write_cassette(
        directory,
        "binance",
        [
            *binance_markets_and_tickers([("ZORB", "USDT")]),
            entry(f"{BINANCE}/depth?symbol=ZORBUSDT&limit=100", shallow),
            entry(f"{BINANCE}/depth?symbol=ZORBUSDT&limit=500", deep),
        ],
    )


def _zorb_services(make_services: Callable[..., Services], replay_dir: Path) -> Services:
    """Services scanning the ZORB cassette (binance, USDT quotes only)."""
    _cassette(replay_dir)
    return make_services(
        market_source=f"replay:{replay_dir}", exchanges="binance", quote_assets="USDT"
    )


async def test_a_truncated_candidate_is_refetched_deeper(
    make_services: Callable[..., Services], replay_dir: Path
) -> None:
    services = _zorb_services(make_services, replay_dir)

    result = await run_scan(services)

    [market] = result.markets
    assert market.status == "ok" and not market.depth_truncated
    # bids priced ≥ 0.98: 0.9995 down to 0.9800 = 196 levels of 1 token; Σ price = 196 × the
    # mean price (0.9995 + 0.9800) / 2 = 0.98975 → 193.991. The first fetch saw 100 levels (99.45).
    assert market.depth_bid_2pct_usd == pytest.approx(193.991, rel=1e-6)
    [token] = result.tokens
    # A $194 book, $1,000 traded: 35 × (1 − 194/50k) + 20 × (1 − 1k/100k) = 34.86 + 19.8: an
    # at-risk candidate, hence the re-fetch.
    assert (token.risk.tier, token.risk.score) == ("medium", 55)
    [summary] = result.exchanges
    assert summary.requests == 4  # markets, tickers, first book, deeper book


def _binance(
    books: dict[str, OrderBook | MarketDataError], tickers: dict[str, Ticker] | None = None
) -> ExchangeSnapshot:
    refs = [MarketRef("binance", symbol, *symbol.split("/")) for symbol in books]
    return ExchangeSnapshot("binance", refs, tickers or {}, dict(books), 0, None, NOW, NOW)


def test_the_usd_rate_is_the_measured_mid_of_the_home_quote_pair() -> None:
    home = _binance(
        {
            # A zero-amount top level is no quote: the mid is (59,990 + 60,010) / 2, not 60,005.
            "BTC/USDT": OrderBook(
                "binance", "BTC/USDT", ((60_000, 0), (59_990, 1)), ((60_010, 1),)
            ),
            "ETH/USDT": OrderBook("binance", "ETH/USDT", ((3_001, 1),), ((3_000, 1),)),  # crossed
            "BNB/USDT": OrderBook("binance", "BNB/USDT", ((580, 1),), ()),  # no asks: no mid
        }
    )
    assert home_usd_rates(home, {"BTC", "ETH", "BNB", "FDUSD", "SOL"}) == {"BTC": 60_000.0}


def test_a_failed_fetch_keeps_the_ticker_volume() -> None:
    ticker = Ticker("binance", "ZORB/USDT", last=0.02, base_volume=None, quote_volume=150_000)
    snapshot = _binance({"ZORB/USDT": MarketDataError("binance", "timed out after 10 s")})
    snapshot.tickers["ZORB/USDT"] = ticker
    market = measure(snapshot.markets[0], snapshot, {})
    assert market.status == "error" and "timed out" in (market.error or "")
    assert market.volume_24h_usd == 150_000 and market.price_usd == 0.02


async def test_a_stored_scan_stamps_every_snapshot_at_its_finish_and_keeps_one_per_market(
    make_services: Callable[..., Services], replay_dir: Path
) -> None:
    services = _zorb_services(make_services, replay_dir)

    result = await run_scan(services)

    assert result.scan_id is not None
    async with services.session() as session:
        rows = (
            await session.execute(
                select(SNAPSHOTS.c.taken_at, SNAPSHOTS.c.depth_truncated).where(
                    SNAPSHOTS.c.scan_id == result.scan_id
                )
            )
        ).all()
        latest = await repo_market.latest_scan(session)
    # the deeper re-fetch replaced the first measurement's row; the row is the finished scan's
    assert [(r.taken_at, r.depth_truncated) for r in rows] == [(result.finished_at, False)]
    assert latest is not None and latest.id == result.scan_id and latest.markets == 1


async def test_a_scan_being_stored_is_not_the_latest(
    make_services: Callable[..., Services],
) -> None:
    services = make_services()
    async with services.session() as session:
        await repo_scan_store.open_scan(session, "demo", NOW)
    async with services.session() as session:
        assert await repo_market.latest_scan(session) is None


async def test_a_scan_that_died_before_its_finish_never_shows_in_the_history(
    make_services: Callable[..., Services], clock: Clock
) -> None:
    services = make_services()
    finishing = lambda sql, _: sql.startswith("UPDATE scans SET finished_at")  # noqa: E731
    with failing(services.engine, finishing), pytest.raises(InjectedFault):
        await run_scan(services)
    async with services.session() as session:
        crashed = (await session.execute(select(SNAPSHOTS.c.base, SNAPSHOTS.c.scan_id))).all()
    symbol = crashed[0].base
    assert crashed and {r.scan_id for r in crashed} == {1}  # stored while it ran, left behind

    clock.advance(hours=1)
    later = await run_scan(services)

    async with services.session() as session:
        series = await repo_market.token_history(session, symbol, NOW, clock.now)
        days = await repo_market.daily_history(session, symbol, NOW, clock.now, "binance")
    assert {p.taken_at for p in series} == {later.finished_at}
    assert days and {d.samples for d in days} == {1}  # one snapshot per market: the later scan's
