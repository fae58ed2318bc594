"""Replay through ccxt's real parsers: hand-written native payloads → the right numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.domain.models import MarketRef
from bot.market.gateway import MarketGateway
from tests.market.cassettes import (
    BINANCE,
    BYBIT,
    OKX,
    binance_symbol,
    binance_ticker,
    entry,
    write_cassette,
)

QUOTES = ["USDT", "USDC", "FDUSD"]


def binance_cassette() -> list[dict[str, Any]]:
    info = {
        "timezone": "UTC",
        "serverTime": 1767268800000,
        "symbols": [
            binance_symbol("ZORBLE", "USDT"),
            binance_symbol("QUUXCOIN", "FDUSD"),
            binance_symbol("FLIMBO", "USDT", status="BREAK"),  # halted: not an active market
            binance_symbol("ZORBLE", "BTC"),  # quote outside QUOTE_ASSETS
        ],
    }
    tickers = [
        binance_ticker("ZORBLEUSDT", "0.5000", "1200000.00", "600000.00"),
        binance_ticker("QUUXCOINFDUSD", "2.0000", "1500.00", "3000.00"),
        binance_ticker("FLIMBOUSDT", "0.1000", "0.00", "0.00"),
        binance_ticker("ZORBLEBTC", "0.00000750", "10.00", "0.000075"),
    ]
    book = {
        "lastUpdateId": 42,
        "bids": [["0.4990", "100.00"], ["0.4980", "200.00"]],
        "asks": [["0.5010", "150.00"], ["0.5030", "50.00"]],
    }
    return [
        entry(f"{BINANCE}/exchangeInfo", info),
        entry(f"{BINANCE}/ticker/24hr", tickers),
        entry(f"{BINANCE}/depth?symbol=ZORBLEUSDT&limit=100", book),
        # a 30-level request is sent as binance's next allowed depth, 50
        entry(f"{BINANCE}/depth?symbol=QUUXCOINFDUSD&limit=50", {"bids": [], "asks": []}),
        entry(
            f"{BINANCE}/depth?symbol=QUUXCOINFDUSD&limit=100",
            {"bids": [["1.9900", "1.00"]], "asks": [["2.0100", "2.00"]]},
        ),
    ]


def okx_cassette() -> list[dict[str, Any]]:
    def inst(base: str, quote: str, state: str = "live") -> dict[str, Any]:
        inst_id = f"{base}-{quote}"
        return {"instType": "SPOT", "instId": inst_id, "baseCcy": base, "quoteCcy": quote,
                "settleCcy": "", "state": state, "tickSz": "0.001", "lotSz": "0.1",
                "minSz": "1", "lever": "", "listTime": "1759492800000", "uly": ""}  # fmt: skip

    tickers = [
        {"instType": "SPOT", "instId": "ZORBLE-USDC", "last": "0.502", "askPx": "0.503",
         "bidPx": "0.501", "open24h": "0.49", "high24h": "0.51", "low24h": "0.48",
         "volCcy24h": "25100.5", "vol24h": "50000", "ts": "1767268800000"},
    ]  # fmt: skip
    book = {"asks": [["0.503", "40", "0", "2"]], "bids": [["0.501", "60.5", "0", "3"],
            ["0.5", "10", "0", "1"]], "ts": "1767268800123"}  # fmt: skip
    return [
        entry(f"{OKX}/public/instruments?instType=SPOT",
              {"code": "0", "msg": "", "data": [inst("ZORBLE", "USDC"),
                                                inst("SNARF", "USDT", "suspend")]}),
        entry(f"{OKX}/market/tickers?instType=SPOT", {"code": "0", "msg": "", "data": tickers}),
        entry(f"{OKX}/market/books?instId=ZORBLE-USDC&sz=100",
              {"code": "0", "msg": "", "data": [book]}),
    ]  # fmt: skip


def bybit_cassette() -> list[dict[str, Any]]:
    def wrap(result: dict[str, Any]) -> dict[str, Any]:
        return {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {},
                "time": 1767268800000}  # fmt: skip

    instrument = {"symbol": "QUUXCOINUSDT", "baseCoin": "QUUXCOIN", "quoteCoin": "USDT",
                  "status": "Trading", "lotSizeFilter": {"basePrecision": "0.01",
                  "quotePrecision": "0.0001", "minOrderQty": "1", "maxOrderQty": "100000"},
                  "priceFilter": {"tickSize": "0.0001"}}  # fmt: skip
    ticker = {"symbol": "QUUXCOINUSDT", "bid1Price": "1.9990", "ask1Price": "2.0010",
              "lastPrice": "2.0000", "prevPrice24h": "1.9", "highPrice24h": "2.1",
              "lowPrice24h": "1.8", "turnover24h": "81234.5", "volume24h": "40617.25"}  # fmt: skip
    book = {"s": "QUUXCOINUSDT", "a": [["2.0010", "5.5"], ["2.0020", "7"]],
            "b": [["1.9990", "3.25"]], "ts": 1767268800456, "u": 9, "seq": 10}  # fmt: skip
    return [
        entry(f"{BYBIT}/market/instruments-info?category=spot",
              wrap({"category": "spot", "list": [instrument], "nextPageCursor": ""})),
        entry(f"{BYBIT}/market/tickers?category=spot",
              wrap({"category": "spot", "list": [ticker]})),
        entry(f"{BYBIT}/market/orderbook?symbol=QUUXCOINUSDT&category=spot&limit=100", wrap(book)),
    ]  # fmt: skip


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[MarketGateway]:
    write_cassette(tmp_path, "binance", binance_cassette())
    write_cassette(tmp_path, "okx", okx_cassette())
    write_cassette(tmp_path, "bybit", bybit_cassette())
    gw = MarketGateway(["binance", "okx", "bybit"], f"replay:{tmp_path}", QUOTES)
    yield gw
    await gw.close()


async def test_binance_markets_tickers_and_book(gateway: MarketGateway) -> None:
    markets = await gateway.markets("binance")
    assert markets == [
        MarketRef("binance", "QUUXCOIN/FDUSD", "QUUXCOIN", "FDUSD"),
        MarketRef("binance", "ZORBLE/USDT", "ZORBLE", "USDT"),
    ]
    tickers = await gateway.fetch_tickers("binance")
    # Every spot market quoted in QUOTE_ASSETS, halted FLIMBO/USDT included; ZORBLE/BTC is not
    # quoted in one, so the gateway does not keep its market (nor, then, its ticker).
    assert set(tickers) == {"ZORBLE/USDT", "QUUXCOIN/FDUSD", "FLIMBO/USDT"}
    zorble = tickers["ZORBLE/USDT"]
    assert (zorble.last, zorble.base_volume, zorble.quote_volume) == (0.5, 1_200_000.0, 600_000.0)
    book = await gateway.fetch_order_book(markets[1])
    assert book.bids == ((0.499, 100.0), (0.498, 200.0))
    assert book.asks == ((0.501, 150.0), (0.503, 50.0))
    assert (book.exchange, book.symbol, book.limit) == ("binance", "ZORBLE/USDT", 100)


async def test_the_gateway_keeps_the_markets_of_quote_assets_only(tmp_path: Path) -> None:
    """ccxt's market list is trimmed to the spot markets quoted in QUOTE_ASSETS, one copy each,
    without the exchange's raw description, equal parts shared: a BTC quote asset keeps
    ZORBLE/BTC (the books and tickers read through the trimmed list: the tests above)."""
    write_cassette(tmp_path, "binance", binance_cassette())
    gw = MarketGateway(["binance"], f"replay:{tmp_path}", [*QUOTES, "BTC"])
    try:
        markets = await gw.markets("binance")
        assert "ZORBLE/BTC" in {m.symbol for m in markets}
        assert "ZORBLE/BTC" in await gw.fetch_tickers("binance")
        client = gw._venue("binance").client
        assert sorted(client.markets) == client.symbols
        assert all(market["info"] == {} for market in client.markets.values())
        for market_id, listed in client.markets_by_id.items():
            assert [m["id"] for m in listed] == [market_id]
            assert all(m is client.markets[m["symbol"]] for m in listed)
        assert client.last_http_response is None
        assert client.baseCurrencies is None and "ZORBLE" in client.currencies
        # Equal innermost dictionaries are one shared dictionary, equal to what ccxt built.
        first, second = (client.markets[s] for s in ("ZORBLE/USDT", "ZORBLE/BTC"))
        assert first["marginModes"] is second["marginModes"]
        assert first["limits"]["leverage"] is second["limits"]["leverage"]
        assert first["limits"]["leverage"] == {"min": None, "max": None}
    finally:
        await gw.close()


async def test_binance_limit_rounds_up_to_an_allowed_depth(gateway: MarketGateway) -> None:
    ref = MarketRef("binance", "QUUXCOIN/FDUSD", "QUUXCOIN", "FDUSD")
    book = await gateway.fetch_order_book(ref, limit=30)
    assert (book.limit, book.bids, book.asks) == (50, (), ())


async def test_okx_parsed_through_ccxt(gateway: MarketGateway) -> None:
    assert await gateway.markets("okx") == [MarketRef("okx", "ZORBLE/USDC", "ZORBLE", "USDC")]
    ticker = (await gateway.fetch_tickers("okx"))["ZORBLE/USDC"]
    # okx spot: volCcy24h is the quote volume, vol24h the base volume
    assert (ticker.last, ticker.base_volume, ticker.quote_volume) == (0.502, 50_000.0, 25_100.5)
    book = await gateway.fetch_order_book(MarketRef("okx", "ZORBLE/USDC", "ZORBLE", "USDC"))
    assert book.bids == ((0.501, 60.5), (0.5, 10.0))
    assert book.asks == ((0.503, 40.0),)
    assert (book.limit, book.timestamp_ms) == (100, 1767268800123)


async def test_bybit_parsed_through_ccxt(gateway: MarketGateway) -> None:
    ref = MarketRef("bybit", "QUUXCOIN/USDT", "QUUXCOIN", "USDT")
    assert await gateway.markets("bybit") == [ref]
    ticker = (await gateway.fetch_tickers("bybit"))["QUUXCOIN/USDT"]
    # bybit spot: turnover24h is the quote volume, volume24h the base volume
    assert (ticker.last, ticker.base_volume, ticker.quote_volume) == (2.0, 40_617.25, 81_234.5)
    book = await gateway.fetch_order_book(ref)
    assert book.bids == ((1.999, 3.25),)
    assert book.asks == ((2.001, 5.5), (2.002, 7.0))
    assert book.timestamp_ms == 1767268800456


async def test_snapshot_of_all_exchanges(gateway: MarketGateway) -> None:
    snapshots = {s.exchange: s for s in await gateway.snapshot_all()}
    assert {e: len(s.markets) for e, s in snapshots.items()} == {"binance": 2, "okx": 1, "bybit": 1}
    assert all(s.error is None and not s.failed_markets for s in snapshots.values())
    # markets + tickers + one book per market
    assert {e: s.requests for e, s in snapshots.items()} == {"binance": 4, "okx": 3, "bybit": 3}
    assert snapshots["binance"].books["QUUXCOIN/FDUSD"].limit == 100  # type: ignore[union-attr]
