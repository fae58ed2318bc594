"""Rate-limit budget: ccxt's throttler paces replay with latency; costs come from ccxt itself."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from bot.market.exchanges import choose_order_book_limit
from bot.market.gateway import MarketGateway
from bot.settings import load_settings
from tests.market.cassettes import BYBIT, entry, write_cassette

BASES = ("ZORBLE", "QUUX", "FLIMB", "SNARF", "WIBBLE")


def bybit_cassette(directory: Path) -> None:
    def wrap(result: dict[str, Any]) -> dict[str, Any]:
        return {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": 1}

    instruments = [
        {"symbol": f"{b}USDT", "baseCoin": b, "quoteCoin": "USDT", "status": "Trading"}
        for b in BASES
    ]
    book = wrap({"s": "X", "a": [["1.01", "1"]], "b": [["0.99", "1"]], "ts": 1, "u": 1})
    write_cassette(
        directory,
        "bybit",
        [
            entry(f"{BYBIT}/market/instruments-info?category=spot", wrap({"list": instruments})),
            *(
                entry(f"{BYBIT}/market/orderbook?symbol={b}USDT&category=spot&limit=100", book)
                for b in BASES
            ),
        ],
    )


async def test_replay_with_latency_is_paced_at_ccxts_rate(tmp_path: Path) -> None:
    bybit_cassette(tmp_path)
    gateway = MarketGateway(["bybit"], f"replay:{tmp_path}", ["USDT"], replay_latency_ms=200)
    try:
        refs = await gateway.markets("bybit")
        started = time.perf_counter()
        books = await asyncio.gather(*(gateway.fetch_order_book(ref) for ref in refs * 4))
        elapsed = time.perf_counter() - started
    finally:
        await gateway.close()
    assert gateway.rate_limited and len(books) == 20
    # bybit: rateLimit 20 ms × cost 5 = 100 ms per request, a burst of 60 units that it starts
    # with (bybit's window fits two processes' worth, see ``throttle.starts_full``). The market
    # list left 55 units: twelve books leave at once, the other eight at 100 … 800 ms, the last
    # answers 200 ms later (1.0 s). Unpaced, all twenty would answer at 0.2 s. The lower bound
    # leaves 0.2 s for a busy event loop (a late start of the clock here is refilled time).
    assert 0.8 <= elapsed < 2.5  # upper bound loose: CI machines are busy


async def test_after_a_quiet_spell_a_burst_of_books_is_one_round_trip(tmp_path: Path) -> None:
    bybit_cassette(tmp_path)
    gateway = MarketGateway(["bybit"], f"replay:{tmp_path}", ["USDT"], replay_latency_ms=200)
    try:
        refs = await gateway.markets("bybit")
        await asyncio.sleep(0.6)  # 30 units refilled: room for the five books (25 units)
        started = time.perf_counter()
        await asyncio.gather(*(gateway.fetch_order_book(ref) for ref in refs))
        elapsed = time.perf_counter() - started
    finally:
        await gateway.close()
    # ccxt's own throttler would still space them 100 ms apart: at least 0.6 s.
    assert elapsed < 0.45


async def test_replay_without_latency_skips_the_throttler(tmp_path: Path) -> None:
    bybit_cassette(tmp_path)
    gateway = MarketGateway(["bybit"], f"replay:{tmp_path}", ["USDT"])
    try:
        refs = await gateway.markets("bybit")
        started = time.perf_counter()
        await asyncio.gather(*(gateway.fetch_order_book(ref) for ref in refs))
        elapsed = time.perf_counter() - started
    finally:
        await gateway.close()
    assert not gateway.rate_limited
    assert elapsed < 0.33  # throttled, five bybit books would need at least 0.38 s


async def test_request_costs_and_rate_limits_are_ccxts() -> None:
    gateway = MarketGateway(["binance", "okx", "bybit"], "demo", ["USDT"])
    try:
        # ccxt 4.5.90: binance public depth byLimit [[100, 1], [500, 5], …], exchangeInfo 4,
        # ticker/24hr without a symbol 16; okx market/books 0.5; bybit v5 market endpoints 5.
        assert gateway.rate_limit_ms("binance") == 50
        assert gateway.request_cost("binance", "order_book") == 1
        assert gateway.request_cost("binance", "order_book", 500) == 5
        assert gateway.request_cost("binance", "markets") == 4
        assert gateway.request_cost("binance", "tickers") == 16
        assert gateway.rate_limit_ms("okx") == 110
        assert gateway.request_cost("okx", "order_book") == 0.5
        assert gateway.rate_limit_ms("bybit") == 20
        assert gateway.request_cost("bybit", "order_book") == 5
    finally:
        await gateway.close()


@pytest.mark.parametrize(
    ("exchange", "requested", "sent"),
    [
        ("binance", 30, 50),
        ("binance", 100, 100),
        ("binance", 9000, 5000),
        ("okx", 450, 400),
        ("bybit", 500, 200),
        ("kucoin", 50, 100),
        ("kucoin", 10, 20),
        ("gate", 10, 10),
        ("someexchange", 77, 77),
    ],
)
def test_order_book_depth_is_one_the_exchange_accepts(
    exchange: str, requested: int, sent: int
) -> None:
    assert choose_order_book_limit(exchange, requested) == sent


async def test_deeper_limit_for_a_truncated_book() -> None:
    gateway = MarketGateway(["binance", "okx", "bybit"], "demo", ["USDT"])
    try:
        assert gateway.deeper_limit("binance", 100) == 500
        assert gateway.deeper_limit("okx", 100) == 400
        assert gateway.deeper_limit("bybit", 200) is None
    finally:
        await gateway.close()


async def test_built_from_settings(tmp_path: Path) -> None:
    settings = load_settings(
        env_file=None,
        market_source=f"replay:{tmp_path}",
        exchanges="okx,bybit",
        home_exchange="okx",
        quote_assets="usdt",
        replay_latency_ms=5,
        orderbook_limit=50,
    )
    gateway = MarketGateway.from_settings(settings)
    try:
        assert gateway.exchanges == ["okx", "bybit"]
        assert (gateway.quote_assets, gateway.orderbook_limit) == (frozenset({"USDT"}), 50)
        assert gateway.rate_limited and gateway.banner is None
        snapshot = await gateway.snapshot_exchange("okx")
        assert snapshot.error is not None and "not in the cassette" in str(snapshot.error)
    finally:
        await gateway.close()
