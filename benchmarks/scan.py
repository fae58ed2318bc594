"""Benchmark: one full liquidity scan against the exchanges' own rate-limit budgets (issue 2).

    python benchmarks/scan.py [--tokens N] [--latency-ms MS] [--sequential-sample N] [--keep DIR]

1. Generates a demo cassette (fictional tokens, DEMO DATA) with > 1,000 spot markets on binance,
   okx and bybit, and imports its supply file into a fresh, migrated SQLite database.
2. Runs the real scan use case (``run_scan``, stored) with ``MARKET_SOURCE=replay:DIR`` and
   ``REPLAY_LATENCY_MS``: the replay then runs ccxt's throttler, so the scan is paced exactly as
   the live exchanges would pace it.
3. The rate-limit bound: the least time ccxt's leaky bucket allows for exactly the requests the
   scan sent. Per exchange the bucket starts empty and a request of cost c leaves it c units in
   debt, refilled at one unit per ``rateLimit`` ms; the next request waits for the debt to clear.
   The market list must arrive before anything else can be asked, so
   ``bound = max(c_markets × rateLimit, latency) + (Σ other costs − the largest) × rateLimit +
   latency`` (the costliest request goes last, its own debt is never waited for). Exchanges run
   concurrently: the scan's bound is the largest exchange bound.
4. A naive sequential loop (markets, tickers, then one ``fetch_order_book`` after another) through
   a fresh gateway with the same latency and throttler, timed on a sample and extrapolated.
5. CPU per market for metrics + aggregation/risk + storage (``time.process_time``, all threads).

Exit code 0 whatever the figures (a benchmark, not a test); 1 when the scan itself failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.db import repo_supply
from bot.db.migrate import upgrade
from bot.domain.models import MarketRef, OrderBook
from bot.market.demo import DEMO_BANNER, DEMO_EXCHANGES
from bot.market.demo_gen import DEFAULT_SEED, generate
from bot.market.errors import MarketDataError
from bot.market.gateway import ExchangeSnapshot, MarketGateway, OnMarket
from bot.settings import Settings, load_settings
from bot.usecases.mm import mm_statuses
from bot.usecases.scan import (
    ScanResult,
    assess_tokens,
    home_usd_rates,
    market_metrics,
    run_scan,
    store_scan_result,
)
from bot.usecases.services import Services
from bot.usecases.supply import import_supply, read_supply_file
from bot.wiring import build_services

SCAN_TARGET = 1.2  # scan wall time / rate-limit bound
CPU_TARGET_MS = 2.0  # metrics + aggregation/risk + storage, per market


class CountingGateway(MarketGateway):
    """The real gateway, noting the depth of every order book asked for and each snapshot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.book_depths: dict[str, list[int]] = defaultdict(list)
        self.snapshots: dict[str, ExchangeSnapshot] = {}

    async def fetch_order_book(self, ref: MarketRef, limit: int | None = None) -> OrderBook:
        self.book_depths[ref.exchange].append(limit or self.orderbook_limit)
        return await super().fetch_order_book(ref, limit)

    async def snapshot_exchange(
        self,
        exchange: str,
        on_market: OnMarket | None = None,
        symbols: Collection[str] | None = None,
    ) -> ExchangeSnapshot:
        snapshot = await super().snapshot_exchange(exchange, on_market, symbols)
        self.snapshots[exchange] = snapshot  # _deepen later swaps deeper books into it in place
        return snapshot


@dataclass(frozen=True)
class ExchangeBudget:
    """What one exchange's request budget allows for the requests the scan sent to it."""

    exchange: str
    markets: int
    requests: int  # HTTP requests the gateway sent, retries included
    deeper: int  # deeper re-fetches of truncated books among them
    rate_limit_ms: float
    book_cost: float  # cost units of one book at ORDERBOOK_LIMIT
    markets_cost: float
    other_costs: tuple[float, ...]  # tickers and every order book, in cost units
    latency_ms: float

    @property
    def bound_s(self) -> float:
        first = max(self.markets_cost * self.rate_limit_ms, self.latency_ms)
        rest = sum(self.other_costs) - max(self.other_costs, default=0.0)
        return (first + rest * self.rate_limit_ms + self.latency_ms) / 1000


def exchange_budget(
    gateway: CountingGateway, exchange: str, markets: int, latency_ms: float
) -> ExchangeBudget:
    """Cost every request the scan sent to ``exchange`` with ccxt's own endpoint costs."""
    depths = gateway.book_depths[exchange]
    requests = gateway.status()[exchange].requests
    book_costs = [gateway.request_cost(exchange, "order_book", d) for d in depths]
    # Beyond the books the scan sends one markets load and one bulk tickers request; anything
    # more is a retry, costed at the cheaper kind so the bound stays a lower bound.
    markets_cost = gateway.request_cost(exchange, "markets")
    tickers_cost = gateway.request_cost(exchange, "tickers")
    extra = max(0, requests - len(depths) - 2)
    other = [tickers_cost, *book_costs, *[min(markets_cost, tickers_cost)] * extra]
    return ExchangeBudget(
        exchange=exchange,
        markets=markets,
        requests=requests,
        deeper=sum(1 for d in depths if d != gateway.orderbook_limit),
        rate_limit_ms=gateway.rate_limit_ms(exchange),
        book_cost=gateway.request_cost(exchange, "order_book"),
        markets_cost=markets_cost,
        other_costs=tuple(other),
        latency_ms=latency_ms,
    )


@dataclass(frozen=True)
class CpuFigures:
    markets: int
    metrics_s: float
    assess_s: float
    store_s: float

    @property
    def per_market_ms(self) -> float:
        return 1000 * (self.metrics_s + self.assess_s + self.store_s) / max(self.markets, 1)


async def measure_cpu(services: Services, scan: ScanResult, gateway: CountingGateway) -> CpuFigures:
    """Redo the scan's work after the fetch on the same snapshots: metrics, then aggregation and
    risk (supply and market-maker history read as run_scan reads them), then storage."""
    settings = services.settings
    cpu = time.process_time
    t0 = cpu()
    snapshots = gateway.snapshots
    quotes = {m.quote for s in snapshots.values() for m in s.markets}
    rates = home_usd_rates(snapshots.get(settings.home_exchange), quotes)
    metrics = [m for s in snapshots.values() for m in market_metrics(s, rates)]
    t1 = cpu()
    async with services.session() as session:
        supply = {
            s: row.circulating_supply for s, row in (await repo_supply.get_supply(session)).items()
        }
    mm = await mm_statuses(services, {m.base for m in metrics}, services.clock())
    reports = assess_tokens(services, metrics, supply, mm)
    t2 = cpu()
    again = dataclasses.replace(scan, markets=tuple(metrics), tokens=tuple(reports), scan_id=None)
    await store_scan_result(services, again)
    t3 = cpu()
    return CpuFigures(len(metrics), t1 - t0, t2 - t1, t3 - t2)


def even_sample(refs: Sequence[MarketRef], size: int) -> list[MarketRef]:
    """``size`` markets spread evenly over ``refs`` (all of them when size >= len)."""
    if size >= len(refs):
        return list(refs)
    return [refs[i * len(refs) // size] for i in range(size)]


async def sequential_loop(
    settings: Settings, refs: dict[str, list[MarketRef]], sample: int
) -> tuple[float, int]:
    """Naive scan: per exchange markets, tickers, then one order book after another, on a fresh
    gateway. Returns (wall seconds extrapolated to every market, markets actually fetched)."""
    gateway = MarketGateway.from_settings(settings)
    total = sum(len(r) for r in refs.values())
    wall, fetched = 0.0, 0
    try:
        for exchange, markets in refs.items():
            size = len(markets) if sample <= 0 else max(1, round(sample * len(markets) / total))
            picked = even_sample(markets, size)
            start = time.perf_counter()
            await gateway.markets(exchange)
            await gateway.fetch_tickers(exchange)
            books_start = time.perf_counter()
            for ref in picked:
                with contextlib.suppress(MarketDataError):  # a failure takes its time too
                    await gateway.fetch_order_book(ref)
            books = time.perf_counter() - books_start
            wall += (books_start - start) + books * len(markets) / max(len(picked), 1)
            fetched += len(picked)
    finally:
        await gateway.close()
    return wall, fetched


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def note(message: str) -> None:
    """Progress on stderr, so stdout carries the figures only."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Figures:
    budgets: list[ExchangeBudget]
    scan_wall_s: float
    scan_cpu_s: float  # the whole scan's process CPU, ccxt parsing included
    error_rows: int
    cpu: CpuFigures
    sequential_wall_s: float
    sequential_fetched: int

    @property
    def markets(self) -> int:
        return sum(b.markets for b in self.budgets)

    @property
    def bound_s(self) -> float:
        return max(b.bound_s for b in self.budgets)


async def bench(args: argparse.Namespace, settings: Settings, cassette: Path) -> Figures | None:
    """Scan, cost, CPU and sequential figures; None (after saying why) when the scan failed."""
    await import_supply(settings, read_supply_file(cassette / "supply.csv"))
    services = build_services(settings)
    unused = services.gateway
    gateway = CountingGateway.from_settings(settings)
    assert isinstance(gateway, CountingGateway)  # from_settings builds its own class
    services = dataclasses.replace(services, gateway=gateway)
    await unused.close()
    try:
        note("scanning (run_scan, stored)…")
        cpu_start, start = time.process_time(), time.perf_counter()
        try:
            scan = await run_scan(services, store=True)
        except Exception as exc:
            print(f"scan FAILED: {type(exc).__name__}: {exc}")
            return None
        wall = time.perf_counter() - start
        scan_cpu = time.process_time() - cpu_start
        failed = [s for s in scan.exchanges if s.error]
        for summary in failed:
            print(f"scan FAILED on {summary.exchange}: {summary.error}")
        if failed:
            return None
        note("measuring CPU of metrics, aggregation/risk and storage…")
        cpu = await measure_cpu(services, scan, gateway)
        refs = {
            e: [MarketRef(m.exchange, m.symbol, m.base, m.quote) for m in s.markets]
            for e, s in gateway.snapshots.items()
        }
        note("naive sequential loop…")
        seq_wall, fetched = await sequential_loop(settings, refs, args.sequential_sample)
        return Figures(
            budgets=[
                exchange_budget(gateway, s.exchange, s.markets, args.latency_ms)
                for s in scan.exchanges
            ],
            scan_wall_s=wall,
            scan_cpu_s=scan_cpu,
            error_rows=sum(s.errors for s in scan.exchanges),
            cpu=cpu,
            sequential_wall_s=seq_wall,
            sequential_fetched=fetched,
        )
    finally:
        await services.close()


def report(f: Figures) -> None:
    budgets, bound, markets = f.budgets, f.bound_s, f.markets
    print(
        f"{'exchange':<9}{'markets':>8}{'requests':>9}{'deeper':>7}{'rateLimit ms':>13}"
        f"{'cost/book':>10}{'cost units':>11}{'bound s':>9}"
    )
    for b in budgets:
        units = b.markets_cost + sum(b.other_costs)
        print(
            f"{b.exchange:<9}{b.markets:>8}{b.requests:>9}{b.deeper:>7}"
            f"{b.rate_limit_ms:>13.0f}{b.book_cost:>10g}{units:>11g}{b.bound_s:>9.2f}"
        )
    print(
        f"{'all':<9}{markets:>8}{sum(b.requests for b in budgets):>9}"
        f"{sum(b.deeper for b in budgets):>7}{'':>34}{bound:>9.2f}  (max: run concurrently)"
    )
    ratio = f.scan_wall_s / bound
    print(
        f"\nconcurrent scan (run_scan, stored): wall {f.scan_wall_s:.2f} s, bound {bound:.2f} s, "
        f"ratio {ratio:.2f}; process CPU {f.scan_cpu_s:.2f} s incl. ccxt parsing"
    )
    sampled = f.sequential_fetched < markets
    how = f"measured on {f.sequential_fetched} of {markets} markets, extrapolated linearly"
    seq_ratio = f.sequential_wall_s / bound
    print(
        f"naive sequential loop ({how if sampled else f'all {markets} markets'}; first fetches "
        f"only): wall {f.sequential_wall_s:.2f} s, bound {bound:.2f} s, ratio {seq_ratio:.2f}"
    )
    cpu = f.cpu
    print(
        f"CPU per market (metrics + aggregation/risk + storage, {cpu.markets} markets): "
        f"{cpu.per_market_ms:.3f} ms  [metrics {cpu.metrics_s:.3f} s, aggregation/risk "
        f"{cpu.assess_s:.3f} s, storage {cpu.store_s:.3f} s]"
    )

    print("\nsummary")
    print(
        f"  markets scanned    {markets} on {len(budgets)} exchanges "
        f"({markets - f.error_rows} ok, {f.error_rows} error rows)"
    )
    print(f"  scan wall time     {f.scan_wall_s:.2f} s")
    print(f"  rate-limit bound   {bound:.2f} s")
    ok_ratio = ratio <= SCAN_TARGET
    print(f"  scan / bound       {ratio:.2f}  target <= {SCAN_TARGET}  {verdict(ok_ratio)}")
    extrapolated = " (extrapolated)" if sampled else ""
    print(
        f"  sequential loop    {f.sequential_wall_s:.2f} s{extrapolated}, / bound {seq_ratio:.2f}"
    )
    ok_cpu = cpu.per_market_ms <= CPU_TARGET_MS
    print(
        f"  CPU per market     {cpu.per_market_ms:.3f} ms  target <= {CPU_TARGET_MS:g} ms  "
        f"{verdict(ok_cpu)}"
    )
    print(DEMO_BANNER)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--tokens", type=int, default=400, help="fictional alt tokens (400 → about 1,100 markets)"
    )
    parser.add_argument("--latency-ms", type=float, default=50.0, help="REPLAY_LATENCY_MS")
    parser.add_argument(
        "--sequential-sample",
        type=int,
        default=200,
        help="markets the naive loop fetches (0 = all)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, help="write cassette and database here and keep them")
    args = parser.parse_args(argv)
    if args.latency_ms <= 0:
        parser.error("--latency-ms must be > 0 (the replay throttles only with latency)")

    with tempfile.TemporaryDirectory(prefix="liqbot-bench-") as tmp:
        work = args.keep or Path(tmp)
        cassette, db = work / "cassette", work / "bench.db"
        db.unlink(missing_ok=True)
        generate(cassette, tokens=args.tokens, seed=args.seed)
        settings = load_settings(
            env_file=None,
            market_source=f"replay:{cassette}",
            replay_latency_ms=args.latency_ms,
            database_url=f"sqlite:///{db}",
            exchanges=list(DEMO_EXCHANGES),
            home_exchange="binance",
        )
        upgrade(settings.database_url)
        print(f"liqbot scan benchmark — {DEMO_BANNER}")
        print(
            f"cassette: {args.tokens} tokens, seed {args.seed}, {', '.join(DEMO_EXCHANGES)} "
            f"({cassette}); replay latency {args.latency_ms:g} ms, ccxt throttler on\n"
        )
        figures = asyncio.run(bench(args, settings, cassette))
        if figures is None:
            return 1
        report(figures)
        return 0


if __name__ == "__main__":
    sys.exit(main())
