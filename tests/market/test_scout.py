"""A cold `/liquidity` fetch: the books and tickers go out with the market list (``scout.py``),
parsed by ccxt on replayed exchange answers; a scouted id that is not the real one is refetched."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.market.gateway import MarketGateway
from bot.market.results import ExchangeSnapshot
from tests.market.cassettes import (
    BINANCE,
    binance_book,
    binance_markets_and_tickers,
    binance_symbol,
    binance_ticker,
    entry,
    write_cassette,
)

LATENCY_S = 0.4
DEMO_TOKENS = ("ZIBBKA", "QUUXIX", "GRONKAX", "SPLUDET")  # one to three quote pairs per venue
QUOTES = ["USDT", "USDC", "FDUSD"]


async def test_a_cold_answer_sends_the_list_tickers_and_books_at_once(tmp_path: Path) -> None:
    pairs = [("ZORB", "USDT"), ("ZORB", "USDC"), ("QUUX", "USDT")]
    books = [binance_book("ZORBUSDT"), binance_book("ZORBUSDC", bid="0.9980")]
    write_cassette(tmp_path, "binance", binance_markets_and_tickers(pairs) + books)
    gateway = MarketGateway(
        ["binance"], f"replay:{tmp_path}", ["USDT", "USDC"], replay_latency_ms=LATENCY_S * 1000
    )
    try:
        # The bucket starts empty; 1.3 s fill it with 25 units: the market list (4), the bulk
        # tickers (16) and the two books (1 each) leave at once, as after a quiet restart.
        await asyncio.sleep(1.3)
        started = time.perf_counter()
        snapshot = await gateway.token_snapshot("binance", "ZORB", frozenset(), 30)
        elapsed = time.perf_counter() - started
    finally:
        await gateway.close()
    # The list first and then the rest would be two round trips (0.8 s).
    assert LATENCY_S <= elapsed < 1.5 * LATENCY_S
    assert snapshot is not None and snapshot.error is None
    assert snapshot.requests == 4  # the list, the tickers, two books: nothing fetched twice
    assert sorted(snapshot.books) == ["ZORB/USDC", "ZORB/USDT"]
    assert snapshot.books["ZORB/USDC"].bids == ((0.998, 10.0),)  # type: ignore[union-attr]
    assert snapshot.tickers["ZORB/USDT"].quote_volume == 1000.0


async def test_a_scouted_id_that_is_not_the_real_one_is_dropped_and_fetched_again(
    tmp_path: Path,
) -> None:
    # binance lists ZORB/USDT under the id ZRBUSDT; the scout guesses ZORBUSDT, which answers
    # too (another market): its book and ticker must not be taken for ZORB/USDT's.
    listed = binance_symbol("ZORB", "USDT") | {"symbol": "ZRBUSDT"}
    info = {"timezone": "UTC", "serverTime": 1767268800000, "symbols": [listed]}
    tickers = [
        binance_ticker("ZRBUSDT", "1.0000", "1000.00", "1000.00"),
        binance_ticker("ZORBUSDT", "5.0000", "9.00", "45.00"),
    ]
    recorded = [
        entry(f"{BINANCE}/exchangeInfo", info),
        entry(f"{BINANCE}/ticker/24hr", tickers),
        binance_book("ZRBUSDT"),
        binance_book("ZORBUSDT", bid="4.9000", ask="5.1000"),
    ]
    write_cassette(tmp_path, "binance", recorded)
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"], rate_limit=False)
    try:
        snapshot = await gateway.token_snapshot("binance", "ZORB", frozenset(), 30)
    finally:
        await gateway.close()
    assert snapshot is not None and snapshot.error is None
    assert [ref.symbol for ref in snapshot.markets] == ["ZORB/USDT"]
    book = snapshot.books["ZORB/USDT"]
    assert book.bids == ((0.999, 10.0),) and book.asks == ((1.001, 20.0),)  # type: ignore[union-attr]
    assert snapshot.tickers["ZORB/USDT"].last == 1.0
    # scouted: tickers and the ZORBUSDT book; then the list, the real book and the tickers again
    assert snapshot.requests == 5


async def test_a_token_the_exchange_does_not_list_costs_the_scouted_requests_when_cold(
    tmp_path: Path,
) -> None:
    write_cassette(tmp_path, "binance", [entry(f"{BINANCE}/exchangeInfo", {"symbols": []})])
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT", "USDC"])
    try:
        assert await gateway.token_snapshot("binance", "ZORB", frozenset(), 30) is None
        # the list, plus what was asked before it was known: the tickers and one book per pair
        assert gateway.status()["binance"].requests == 1 + 1 + 2
        assert gateway.status()["binance"].last_error is None  # a failed guess is no error
        assert await gateway.token_snapshot("binance", "QUUX", frozenset(), 30) is None
        assert gateway.status()["binance"].requests == 4  # once the list is known: nothing
    finally:
        await gateway.close()


async def _snapshots(cold: bool) -> dict[tuple[str, str], ExchangeSnapshot | None]:
    gateway = MarketGateway(["binance", "okx", "bybit"], "demo", QUOTES, rate_limit=False)
    try:
        if not cold:
            await asyncio.gather(*(gateway.markets(e) for e in gateway.exchanges))
        keys = [(e, t) for e in gateway.exchanges for t in DEMO_TOKENS]
        fetched = await asyncio.gather(
            *(gateway.token_snapshot(e, t, frozenset(), 30) for e, t in keys)
        )
        if cold:  # all scouted, nothing fetched again: the list, the tickers, a book per pair
            sent = {e: s.requests for e, s in gateway.status().items()}
            assert sent == {e: 1 + 1 + len(DEMO_TOKENS) * len(QUOTES) for e in gateway.exchanges}
    finally:
        await gateway.close()
    return dict(zip(keys, fetched, strict=True))


async def test_scouted_figures_are_those_of_the_normal_path() -> None:
    cold, warm = await _snapshots(cold=True), await _snapshots(cold=False)
    for key, scouted in cold.items():
        normal = warm[key]
        assert scouted is not None and normal is not None, key
        assert scouted.error is None and normal.error is None
        assert scouted.markets == normal.markets, key
        assert scouted.books == normal.books, key
        assert scouted.tickers == normal.tickers, key
    okx = cold[("okx", "ZIBBKA")]
    assert okx is not None and sorted(okx.books) == ["ZIBBKA/USDC", "ZIBBKA/USDT"]
