"""Generate the demo cassette.

    python -m bot.market.demo_gen [--out DIR] [--tokens N] [--seed S]


Writes ``binance.jsonl``, ``okx.jsonl``, ``bybit.jsonl`` (each exchange's native responses at the
URLs ccxt requests: markets, 24h tickers, one order book per active market at ORDERBOOK_LIMIT,
plus the deeper re-fetch of each truncated book) and ``supply.csv``. The default output is the
package's ``bot/market/demo/``; the same seed always writes byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.domain.models import Level
from bot.market.demo import DEMO_BANNER, DEMO_EXCHANGES, SUPPLY_FILE
from bot.market.demo_formats import (
    JSON_HEADERS,
    binance_book,
    binance_markets,
    binance_tickers,
    bybit_book,
    bybit_markets,
    bybit_tickers,
    okx_book,
    okx_markets,
    okx_tickers,
)
from bot.market.demo_universe import DemoToken, Listing, build_book, build_universe
from bot.market.exchanges import deeper_order_book_limit
from bot.market.replay import RecordedExchange

DEFAULT_SEED = 20_240_601
DEFAULT_TOKENS = 150
ORDERBOOK_LIMIT = 100  # Settings.orderbook_limit's default: the depth a scan requests
BASE_TIME_MS = 1_767_268_800_000  # 2026-01-01T12:00:00Z, fixed so the output never changes
DEMO_DIR = Path(__file__).parent / "demo"

_Endpoint = Callable[[Sequence[Listing], int], tuple[str, str]]
_Book = Callable[[Listing, int, Sequence[Level], Sequence[Level], int], tuple[str, str]]
_FORMATS: dict[str, tuple[_Endpoint, _Endpoint, _Book]] = {
    "binance": (binance_markets, binance_tickers, binance_book),
    "okx": (okx_markets, okx_tickers, okx_book),
    "bybit": (bybit_markets, bybit_tickers, bybit_book),
}


def cassette_lines(exchange: str, universe: Sequence[DemoToken], seed: int) -> list[str]:
    """The JSONL lines of one exchange: markets, tickers, then books sorted by market id."""
    listings = sorted(
        (item for token in universe for item in token.listings if item.exchange == exchange),
        key=lambda item: (item.base, item.quote),
    )
    markets, tickers, book = _FORMATS[exchange]
    rng = random.Random(f"{seed}:{exchange}:books")
    clock = iter(range(BASE_TIME_MS, BASE_TIME_MS + 10_000_000, 37))
    responses = [markets(listings, next(clock)), tickers(listings, next(clock))]
    for item in listings:
        bids, asks = build_book(rng, item)
        if not item.trading:
            continue  # halted markets are not active: a scan never asks for their book
        limits = [ORDERBOOK_LIMIT]
        deeper = deeper_order_book_limit(exchange, ORDERBOOK_LIMIT)
        if item.shape == "truncated" and deeper is not None:
            limits.append(deeper)
        responses.extend(book(item, limit, bids, asks, next(clock)) for limit in limits)
    headers = JSON_HEADERS[exchange]
    return [RecordedExchange("GET", url, 200, headers, body).to_json() for url, body in responses]


def supply_csv(universe: Sequence[DemoToken]) -> str:
    """``symbol,circulating_supply,market_cap_usd,name`` for every token whose supply is known."""
    rows = ["symbol,circulating_supply,market_cap_usd,name"]
    for token in universe:
        if token.circulating_supply is None:
            continue
        cap = token.circulating_supply * token.price_usd
        rows.append(f"{token.code},{token.circulating_supply:.2f},{cap:.2f},{token.name}")
    return "\n".join(rows) + "\n"


def generate(
    out_dir: Path, tokens: int = DEFAULT_TOKENS, seed: int = DEFAULT_SEED
) -> dict[str, int]:
    """Write the cassette and supply file into ``out_dir``; returns bytes written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    universe = build_universe(seed, tokens)
    files = {
        f"{e}.jsonl": "\n".join(cassette_lines(e, universe, seed)) + "\n" for e in DEMO_EXCHANGES
    }
    files[SUPPLY_FILE] = supply_csv(universe)
    sizes = {}
    for name, text in files.items():
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Generate the demo cassette ({DEMO_BANNER}).")
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="output directory")
    parser.add_argument("--tokens", type=int, default=DEFAULT_TOKENS, help="fictional alt tokens")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sizes = generate(args.out, args.tokens, args.seed)
    for name, size in sizes.items():
        print(f"{args.out / name}: {size / 1e6:.2f} MB")
    print(DEMO_BANNER)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
