"""The two measured processes of ``benchmarks/scan.py``, each a fresh interpreter:

    python benchmarks/scan_child.py naive CASSETTE LATENCY_MS
    python benchmarks/scan_child.py scan CASSETTE LATENCY_MS DATABASE_URL [--profile N]

Both import the same modules (this file's imports: liqbot's whole scan stack, ccxt included), so
their figures differ by the work only. Each prints one JSON line: markets, wall seconds, the
process's CPU seconds (user + system, ``getrusage``) and peak RSS (VmHWM)
at the end, and the same two right after the imports (what any liqbot process pays first).

- ``naive``: a plain ccxt async client per exchange (spot markets only, ccxt's own throttler on,
  talking to the same replayed cassette at the same latency; the three opened together and closed
  at the end, as the gateway of this benchmark's earlier naive loop was), then per exchange
  ``load_markets``, ``fetch_tickers`` and ``fetch_order_book`` for every market one after
  another, each book dropped once parsed. No metrics, no database: the least a sequential scan
  could do.
- ``scan``: the stored ``run_scan`` (metrics, aggregation/risk, deeper re-fetches, storage) on
  ``MARKET_SOURCE=replay:CASSETTE``; it also reports what the rate-limit bound needs (requests,
  book depths, ccxt costs). With ``--profile N`` the scan runs under cProfile and the top N
  entries by own time and by cumulative time are printed instead (CPU figures then inflated).
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import io
import json
import pstats
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bot.domain.models import MarketRef, OrderBook
from bot.market.demo import DEMO_EXCHANGES
from bot.market.exchanges import build_exchange, choose_order_book_limit
from bot.market.gateway import MarketGateway
from bot.market.replay import ReplaySession
from bot.settings import load_settings
from bot.usecases.scan import run_scan
from bot.wiring import build_services

QUOTES = ("USDT", "USDC", "FDUSD")  # QUOTE_ASSETS' default, what the scan reads too


def _usage() -> dict[str, float]:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": ru.ru_utime + ru.ru_stime, "rss_mb": _peak_rss_kb() / 1024}


def _peak_rss_kb() -> int:
    """This process's peak RSS: VmHWM. Not ``ru_maxrss``, which Linux carries over from the
    parent through fork and exec (every child would report at least the benchmark's own RSS)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is


class CountingGateway(MarketGateway):
    """The real gateway, noting the depth of every order book asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.book_depths: dict[str, list[int]] = defaultdict(list)

    async def fetch_order_book(self, ref: MarketRef, limit: int | None = None) -> OrderBook:
        self.book_depths[ref.exchange].append(limit or self.orderbook_limit)
        return await super().fetch_order_book(ref, limit)


async def naive(cassette: Path, latency_ms: float) -> dict[str, Any]:
    # Like the loop this benchmark timed before (one gateway for all three exchanges), the
    # clients are opened together and closed at the end.
    clients = {
        exchange: build_exchange(  # spot markets only
            exchange,
            ReplaySession.from_file(exchange, cassette / f"{exchange}.jsonl", latency_ms),
            enable_rate_limit=True,
        )
        for exchange in DEMO_EXCHANGES
    }
    markets = 0
    try:
        for exchange, client in clients.items():
            client.init_throttler()  # ccxt's own throttler, not liqbot's BurstThrottle
            await client.load_markets()
            await client.fetch_tickers()
            depth = choose_order_book_limit(exchange, 100)
            symbols = [
                s
                for s, m in client.markets.items()
                if m.get("spot") and m.get("active") and m.get("quote") in QUOTES
            ]
            for symbol in symbols:
                with contextlib.suppress(Exception):  # a failure takes its time too
                    await client.fetch_order_book(symbol, depth)
            markets += len(symbols)
    finally:
        for client in clients.values():
            await client.close()
    return {"markets": markets}


async def scan(
    cassette: Path, latency_ms: float, database_url: str, profile: int
) -> dict[str, Any]:
    settings = load_settings(
        env_file=None,
        market_source=f"replay:{cassette}",
        replay_latency_ms=latency_ms,
        database_url=database_url,
        exchanges=list(DEMO_EXCHANGES),
        home_exchange="binance",
    )
    # The process builds one gateway, as `liqbot scan` does (building a throwaway one first cost
    # three more ccxt clients' construction in this process's CPU and peak RSS).
    gateway = CountingGateway.from_settings(settings)
    assert isinstance(gateway, CountingGateway)
    services = build_services(settings, gateway=gateway)
    profiler = cProfile.Profile() if profile else None
    try:
        if profiler:
            profiler.enable()
        result = await run_scan(services)
        if profiler:
            profiler.disable()
    finally:
        await services.close()
    figures: dict[str, Any] = {
        "markets": len(result.markets),
        "error_rows": sum(s.errors for s in result.exchanges),
        "failed": [f"{s.exchange}: {s.error}" for s in result.exchanges if s.error],
        "exchanges": {},
    }
    for s in result.exchanges:
        depths = gateway.book_depths[s.exchange]
        figures["exchanges"][s.exchange] = {
            "markets": s.markets,
            "requests": gateway.status()[s.exchange].requests,
            "rate_limit_ms": gateway.rate_limit_ms(s.exchange),
            "book_cost": gateway.request_cost(s.exchange, "order_book"),
            "book_costs": [gateway.request_cost(s.exchange, "order_book", d) for d in depths],
            "deeper": sum(1 for d in depths if d != gateway.orderbook_limit),
            "markets_cost": gateway.request_cost(s.exchange, "markets"),
            "tickers_cost": gateway.request_cost(s.exchange, "tickers"),
        }
    if profiler:
        figures["profile"] = _top(profiler, profile)
    return figures


def _top(profiler: cProfile.Profile, n: int) -> str:
    out = io.StringIO()
    for key in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(n)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "\n".join(line for line in lines if not line.lstrip().startswith(("Ordered", "List")))


def main(argv: list[str]) -> int:
    mode, cassette, latency = argv[0], Path(argv[1]), float(argv[2])
    imports = _usage()
    start = time.perf_counter()
    if mode == "naive":
        figures = asyncio.run(naive(cassette, latency))
    else:
        profile = int(argv[argv.index("--profile") + 1]) if "--profile" in argv else 0
        figures = asyncio.run(scan(cassette, latency, argv[3], profile))
    figures["wall_s"] = time.perf_counter() - start
    figures["imports"] = imports
    figures.update(_usage())
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
