"""The bundled demo cassette: loads through ccxt, holds the edge cases, regenerates byte-exact."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from bot.domain.models import MarketRef, OrderBook
from bot.market.demo import DEMO_BANNER, DEMO_EXCHANGES, demo_cassette_lines, demo_supply_csv
from bot.market.demo_gen import generate
from bot.market.demo_universe import CODE_POOL, MAJORS, QUOTE_USD
from bot.market.gateway import ExchangeSnapshot, MarketGateway

SHIPPED = Path(__file__).resolve().parents[2] / "bot" / "market" / "demo"


async def snapshot_demo() -> dict[str, ExchangeSnapshot]:
    gateway = MarketGateway(list(DEMO_EXCHANGES), "demo", ["USDT", "USDC", "FDUSD"])
    try:
        assert gateway.banner == DEMO_BANNER == "DEMO DATA — fictional tokens, not market data"
        return {s.exchange: s for s in await gateway.snapshot_all()}
    finally:
        await gateway.close()


@pytest.fixture(scope="module")
def demo() -> dict[str, ExchangeSnapshot]:
    return asyncio.run(snapshot_demo())


def mid(book: OrderBook) -> float:
    return (book.bids[0][0] + book.asks[0][0]) / 2


def books(snapshot: ExchangeSnapshot) -> dict[str, OrderBook]:
    return {s: b for s, b in snapshot.books.items() if isinstance(b, OrderBook)}


def test_demo_loads_on_all_three_exchanges(demo: dict[str, ExchangeSnapshot]) -> None:
    assert set(demo) == {"binance", "okx", "bybit"}
    assert all(s.error is None and not s.failed_markets for s in demo.values())
    assert sum(len(s.markets) for s in demo.values()) > 300
    assert all(len(s.books) == len(s.markets) > 50 for s in demo.values())
    quotes = {m.quote for s in demo.values() for m in s.markets}
    assert quotes == {"USDT", "USDC", "FDUSD"}
    for conversion in ("USDC/USDT", "FDUSD/USDT", "BTC/USDT", "ETH/USDT"):
        assert conversion in demo["binance"].books
    # A BTC-quoted pair, for QUOTE_ASSETS with a non-USD quote (not kept with the default ones).
    assert "ETH/BTC" not in demo["binance"].tickers
    assert any("ETHBTC" in line for line in demo_cassette_lines("binance"))


def test_alt_tokens_are_fictional(demo: dict[str, ExchangeSnapshot]) -> None:
    real = {code for code, *_ in MAJORS} | {"USDC", "FDUSD"}
    made_up = set(CODE_POOL)
    bases = {m.base for s in demo.values() for m in s.markets}
    assert bases - real <= made_up and len(bases - real) >= 140


def test_edge_cases_are_present(demo: dict[str, ExchangeSnapshot]) -> None:
    binance = books(demo["binance"])
    one_sided = [s for s, b in binance.items() if b.bids and not b.asks]
    empty = [s for s, b in binance.items() if not b.bids and not b.asks]
    crossed = [s for s, b in binance.items() if b.bids and b.asks and b.bids[0][0] >= b.asks[0][0]]
    assert (len(one_sided), len(empty), len(crossed)) == (1, 1, 1)
    # halted: listed and ticking on binance, but not an active market
    halted = set(demo["binance"].tickers) - {m.symbol for m in demo["binance"].markets}
    assert any(s.endswith("/USDT") for s in halted)
    # ticker collision: the same code on bybit trades about 10× the binance price
    bybit = books(demo["bybit"])
    ratios = [
        mid(bybit[s]) / mid(b)
        for s, b in binance.items()
        if s in bybit and b.bids and b.asks and bybit[s].bids and bybit[s].asks
    ]
    assert sum(1 for r in ratios if 9.5 < r < 10.5) == 1
    assert sum(1 for r in ratios if 0.95 < r < 1.05) >= 20


def depth_2pct_usd(book: OrderBook, side: str) -> float:
    m, usd = mid(book), QUOTE_USD[book.symbol.split("/")[1]]
    levels = book.bids if side == "bid" else book.asks
    inside = [(p, a) for p, a in levels if abs(p - m) <= 0.02 * m]
    return sum(p * a for p, a in inside) * usd


def test_spreads_depths_and_wash_volume_are_realistic(demo: dict[str, ExchangeSnapshot]) -> None:
    two_sided = [
        (s.exchange, b)
        for s in demo.values()
        for b in books(s).values()
        if b.bids and b.asks and b.bids[0][0] < b.asks[0][0]
    ]
    spreads = [1e4 * (b.asks[0][0] - b.bids[0][0]) / mid(b) for _, b in two_sided]
    assert min(spreads) >= 0.3 and max(spreads) <= 520
    depths = [min(depth_2pct_usd(b, "bid"), depth_2pct_usd(b, "ask")) for _, b in two_sided]
    assert sum(1 for d in depths if 500 <= d <= 2_000_000) > 0.8 * len(depths)
    ratios = []
    for exchange, book in two_sided:
        ticker = demo[exchange].tickers[book.symbol]
        depth = depth_2pct_usd(book, "bid") + depth_2pct_usd(book, "ask")
        if depth > 0 and ticker.quote_volume:
            ratios.append(ticker.quote_volume * QUOTE_USD[book.symbol.split("/")[1]] / depth)
    assert max(ratios) >= 200  # the wash-trading case: volume 500× one side's ±2% depth
    assert sorted(ratios)[len(ratios) // 2] < 50  # ordinary markets trade far less


async def test_truncated_books_have_a_deeper_recording(demo: dict[str, ExchangeSnapshot]) -> None:
    truncated = [
        b
        for s in demo.values()
        for b in books(s).values()
        if b.bids and b.asks and len(b.bids) == b.limit and b.bids[-1][0] > 0.98 * mid(b)
    ]
    assert {b.exchange for b in truncated} == {"binance", "bybit"}
    gateway = MarketGateway(["binance", "bybit"], "demo", ["USDT"])
    try:
        for book in truncated:
            base, quote = book.symbol.split("/")
            ref = MarketRef(book.exchange, book.symbol, base, quote)
            deeper_limit = gateway.deeper_limit(book.exchange, 100)
            deeper = await gateway.fetch_order_book(ref, deeper_limit)
            assert deeper.limit == deeper_limit and deeper.bids[:100] == book.bids
            assert deeper.bids[-1][0] < 0.98 * mid(book) and deeper.asks[-1][0] > 1.02 * mid(book)
    finally:
        await gateway.close()


def test_supply_file_matches_the_demo_prices(demo: dict[str, ExchangeSnapshot]) -> None:
    rows = list(csv.DictReader(io.StringIO(demo_supply_csv())))
    assert list(rows[0]) == ["symbol", "circulating_supply", "market_cap_usd", "name"]
    assert len(rows) > 100 and len({r["symbol"] for r in rows}) == len(rows)
    binance = books(demo["binance"])
    checked = 0
    for row in rows:
        book = binance.get(f"{row['symbol']}/USDT")
        if book and book.bids and book.asks and book.bids[0][0] < book.asks[0][0]:
            price = float(row["market_cap_usd"]) / float(row["circulating_supply"])
            assert price == pytest.approx(mid(book), rel=0.03)
            checked += 1
    assert checked > 80


def test_generator_is_deterministic_and_matches_the_shipped_files(tmp_path: Path) -> None:
    sizes = generate(tmp_path)
    for name in ("binance.jsonl", "okx.jsonl", "bybit.jsonl", "supply.csv"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    assert sum(sizes.values()) < 8_000_000
    other = generate(tmp_path / "other", seed=7)
    assert other != sizes


async def test_a_larger_universe_has_over_a_thousand_markets(tmp_path: Path) -> None:
    generate(tmp_path, tokens=400)
    gateway = MarketGateway(list(DEMO_EXCHANGES), f"replay:{tmp_path}", ["USDT", "USDC", "FDUSD"])
    try:
        counts = [len(await gateway.markets(e)) for e in DEMO_EXCHANGES]
    finally:
        await gateway.close()
    assert sum(counts) > 1000 and min(counts) > 200
