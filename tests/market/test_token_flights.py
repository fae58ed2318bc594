"""`/liquidity` fetches: one round trip once the market list is loaded, shared between answers."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.market.errors import NotRecorded
from bot.market.gateway import MarketGateway
from tests.market.cassettes import (
    BINANCE,
    binance_book,
    binance_markets_and_tickers,
    entry,
    write_cassette,
)

BASES = ("ZORB", "QUUX", "FLIMB")
RATE_PAIR = "FDUSD/USDT"


def listing(directory: Path, with_tickers: bool = True) -> None:
    pairs = [(base, "USDT") for base in (*BASES, "FDUSD")]
    recorded = binance_markets_and_tickers(pairs)
    if not with_tickers:
        recorded = [e for e in recorded if not e["url"].endswith("/ticker/24hr")]
    books = [binance_book(f"{base}USDT") for base in (*BASES, "FDUSD")]
    write_cassette(directory, "binance", recorded + books)


async def test_answers_about_different_tokens_share_the_tickers_and_each_book(
    tmp_path: Path,
) -> None:
    listing(tmp_path)
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"], replay_latency_ms=100)
    try:
        await gateway.markets("binance")
        before = gateway.status()["binance"].requests
        also = frozenset({RATE_PAIR})
        snapshots = await asyncio.gather(
            *(gateway.token_snapshot("binance", base, also, 30) for base in (*BASES, "ZORB"))
        )
        sent = gateway.status()["binance"].requests - before
    finally:
        await gateway.close()
    # one bulk ticker request, one book per token, the rate pair's book once (not three times)
    assert sent == 1 + len(BASES) + 1
    for base, snapshot in zip((*BASES, "ZORB"), snapshots, strict=True):
        assert snapshot is not None and snapshot.error is None
        assert sorted(snapshot.books) == sorted({f"{base}/USDT", RATE_PAIR})
        assert snapshot.tickers[f"{base}/USDT"].last == 1.0


async def test_books_do_not_wait_for_the_bulk_tickers(tmp_path: Path) -> None:
    listing(tmp_path)
    latency_s = 0.3
    gateway = MarketGateway(
        ["binance"], f"replay:{tmp_path}", ["USDT"], replay_latency_ms=latency_s * 1000
    )
    try:
        await gateway.markets("binance")
        # The market list left binance's bucket 4 units in debt; 1.3 s later it holds 21.4 of
        # its 30, room for the bulk tickers (16 units) and the three books (1 each) at once.
        await asyncio.sleep(1.0)
        started = time.perf_counter()
        await asyncio.gather(
            *(gateway.token_snapshot("binance", b, frozenset(), 30) for b in BASES)
        )
        elapsed = time.perf_counter() - started
    finally:
        await gateway.close()
    # tickers then books would be two round trips (0.6 s) plus ccxt's spacing (0.8 s for
    # the bulk tickers' cost); together they are one.
    assert latency_s <= elapsed < 1.5 * latency_s


async def test_a_failed_ticker_request_makes_the_venue_unavailable(tmp_path: Path) -> None:
    listing(tmp_path, with_tickers=False)
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"])
    try:
        snapshot = await gateway.token_snapshot("binance", "ZORB", frozenset(), 30)
        assert snapshot is not None
        assert isinstance(snapshot.error, NotRecorded)
        assert snapshot.markets == [] and snapshot.books == {}
        # the failure is not reused: the next answer asks again
        before = gateway.status()["binance"].requests
        await gateway.token_snapshot("binance", "QUUX", frozenset(), 30)
        assert gateway.status()["binance"].requests - before == 2  # its book and the tickers
        assert await gateway.token_snapshot("binance", "NOPE", frozenset(), 30) is None
    finally:
        await gateway.close()


async def test_a_token_without_markets_sends_nothing_beyond_the_market_list(
    tmp_path: Path,
) -> None:
    write_cassette(tmp_path, "binance", [entry(f"{BINANCE}/exchangeInfo", {"symbols": []})])
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"])
    try:
        await gateway.markets("binance")  # cold, the books are asked for with it (test_scout)
        assert await gateway.token_snapshot("binance", "ZORB", frozenset(), 30) is None
        assert gateway.status()["binance"].requests == 1
    finally:
        await gateway.close()
