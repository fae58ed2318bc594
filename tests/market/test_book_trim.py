"""An order book far deeper than requested is cut before ccxt parses it: bounded time, and the
figures of the book as asked for (binance, okx and bybit shapes, from the demo cassette)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.domain.metrics import compute_market_metrics
from bot.domain.models import MarketMetrics, MarketRef, OrderBook
from bot.market.book_trim import trim_order_book_body
from bot.market.demo import demo_cassette_lines
from bot.market.gateway import MarketGateway
from bot.market.replay import RecordedExchange, ReplaySession, parse_cassette_lines

DEEP = 200_000
# Where each exchange keeps its two sides: (container path, bid key, ask key).
SIDES: dict[str, tuple[Callable[[Any], Any], str, str]] = {
    "binance": (lambda body: body, "bids", "asks"),
    "okx": (lambda body: body["data"][0], "bids", "asks"),
    "bybit": (lambda body: body["result"], "b", "a"),
}
BOOK_PATHS = {"binance": "/depth?", "okx": "/market/books?", "bybit": "/market/orderbook?"}


def _demo_book(exchange: str) -> tuple[list[RecordedExchange], int]:
    """The demo cassette of ``exchange`` and the index of its first order-book line."""
    entries = parse_cassette_lines(demo_cassette_lines(exchange))
    index = next(i for i, e in enumerate(entries) if BOOK_PATHS[exchange] in e.url)
    return entries, index


def _deepened(exchange: str, body: str, levels: int, asked: int) -> tuple[str, str]:
    """``body`` with each side continued best-first to ``levels`` levels, and that book cut to
    the ``asked`` levels per side."""
    data = json.loads(body)
    container, bid_key, ask_key = SIDES[exchange]
    book = container(data)
    for key, step in ((bid_key, -1e-9), (ask_key, 1e-9)):
        side = book[key]
        last, extra = float(side[-1][0]), list(side[-1][2:])
        side.extend(
            [f"{last + step * i:.12f}", "1.5", *extra] for i in range(1, levels - len(side) + 1)
        )
    deep = json.dumps(data, separators=(",", ":"))
    for key in (bid_key, ask_key):
        book[key] = book[key][:asked]
    return deep, json.dumps(data)


async def _fetch(exchange: str, entries: list[RecordedExchange]) -> tuple[OrderBook, MarketRef]:
    def transport(name: str) -> ReplaySession:
        return ReplaySession(name, entries)

    gateway = MarketGateway([exchange], "demo", ["USDT", "USDC"], transport=transport)
    try:
        refs = {r.symbol: r for r in await gateway.markets(exchange)}
        book_line = next(e for e in entries if BOOK_PATHS[exchange] in e.url)
        ref = next(r for r in refs.values() if r.base.upper() in book_line.url.upper())
        return await gateway.fetch_order_book(ref), ref
    finally:
        await gateway.close()


def _metrics(book: OrderBook, ref: MarketRef) -> MarketMetrics:
    return compute_market_metrics(ref, book, None, 1.0)


@pytest.mark.parametrize("exchange", ["binance", "okx", "bybit"])
async def test_a_200k_level_book_is_parsed_in_bounded_time_with_the_asked_books_figures(
    exchange: str,
) -> None:
    entries, index = _demo_book(exchange)
    asked = entries[index]
    deep_body, trimmed_body = _deepened(exchange, asked.body, DEEP, 100)
    started = time.perf_counter()
    json.loads(deep_body)
    parse_whole = time.perf_counter() - started
    entries[index] = RecordedExchange(asked.method, asked.url, 200, asked.headers, deep_body)

    started = time.perf_counter()
    deep, ref = await _fetch(exchange, entries)
    elapsed = time.perf_counter() - started

    # ccxt parsed 200k levels a side in several times json.loads of the body (2-4 s on the CI
    # runner); cut first, the whole fetch costs a fraction of merely decoding that JSON.
    assert elapsed < parse_whole, (elapsed, parse_whole)
    assert len(deep.bids) == len(deep.asks) == deep.limit == 100
    entries[index] = RecordedExchange(asked.method, asked.url, 200, asked.headers, trimmed_body)
    as_asked, _ = await _fetch(exchange, entries)
    assert deep == as_asked
    assert _metrics(deep, ref) == _metrics(as_asked, ref)


BOOKS = {
    "binance": ("https://api.binance.com/api/v3/depth?symbol=ZORBUSDT&limit={n}", "bids", "asks"),
    "okx": ("https://www.okx.com/api/v5/market/books-full?instId=ZORB-USDT&sz={n}", "bids", "asks"),
    "bybit": (
        "https://api.bybit.com/v5/market/orderbook?symbol=ZORBUSDT&category=spot&limit={n}",
        "b",
        "a",
    ),
}


def _body(exchange: str, levels: int, indent: int | None = None) -> tuple[str, list[list[str]]]:
    bids = [
        [f"{1 - i / 1e6:.6f}", "2", "0", "1"][: 4 if exchange == "okx" else 2]
        for i in range(levels)
    ]
    asks = [
        [f"{1.01 + i / 1e6:.6f}", "3", "0", "1"][: 4 if exchange == "okx" else 2]
        for i in range(levels)
    ]
    _, bid_key, ask_key = BOOKS[exchange]
    sides = {bid_key: bids, ask_key: asks, "ts": "17"}
    data: dict[str, Any] = {
        "binance": {"lastUpdateId": 9, **sides},
        "okx": {"code": "0", "msg": "", "data": [sides]},
        "bybit": {"retCode": 0, "result": {"s": "ZORBUSDT", **sides}, "retExtInfo": {}},
    }[exchange]
    return json.dumps(data, indent=indent), bids


@pytest.mark.parametrize("indent", [None, 2], ids=["compact", "pretty"])
@pytest.mark.parametrize("exchange", ["binance", "okx", "bybit"])
def test_each_side_is_cut_to_the_requested_depth(exchange: str, indent: int | None) -> None:
    url, bid_key, ask_key = BOOKS[exchange]
    body, bids = _body(exchange, 3000, indent)

    cut = json.loads(trim_order_book_body(exchange, url.format(n=50), body))

    book = SIDES[exchange][0](cut)
    assert book[bid_key] == bids[:50] and len(book[ask_key]) == 50
    assert book["ts"] == "17"  # the rest of the body is kept as it was


@pytest.mark.parametrize("exchange", ["binance", "okx", "bybit"])
def test_other_bodies_and_books_no_deeper_than_asked_are_left_alone(exchange: str) -> None:
    url, *_ = BOOKS[exchange]
    body, _ = _body(exchange, 40)
    assert trim_order_book_body(exchange, url.format(n=50), body) is body
    tickers = url.split("?")[0].rsplit("/", 1)[0] + "/tickers?category=spot"
    assert (
        trim_order_book_body(exchange, tickers, _body(exchange, 3000)[0])
        == _body(exchange, 3000)[0]
    )
    assert trim_order_book_body(exchange, url.format(n=5), "<html>") == "<html>"


def test_levels_the_text_cut_cannot_read_are_cut_as_data() -> None:
    odd = json.dumps({"bids": [["1.0", "2", ["x"]]] * 300, "asks": [["1.1", "2]]"]] * 300})
    url = BOOKS["binance"][0].format(n=5)
    cut = json.loads(trim_order_book_body("binance", url, odd))
    assert cut == {"bids": [["1.0", "2", ["x"]]] * 5, "asks": [["1.1", "2]]"]] * 5}
