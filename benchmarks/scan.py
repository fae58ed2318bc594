"""Benchmark: one full liquidity scan against the exchanges' rate-limit budgets and against a naive
sequential ccxt loop on the same cassette (issues 2 and 12).

    python benchmarks/scan.py [--tokens N] [--latency-ms MS] [--profile N] [--no-half]
                              [--seed S] [--keep DIR]

1. Generates a demo cassette (fictional tokens, DEMO DATA) with about 1,100 spot markets on
   binance, okx and bybit (``--tokens 400``), and a fresh, migrated SQLite database holding its
   supply file.
2. In a fresh process (``scan_child.py scan``): the real stored ``run_scan`` with
   ``MARKET_SOURCE=replay:DIR`` and ``REPLAY_LATENCY_MS``, so ccxt's throttler paces it exactly as
   the live exchanges would. Wall time, the whole process's CPU time and peak RSS.
3. The rate-limit bound: the least time ccxt's leaky bucket allows for exactly the requests the
   scan sent. Per exchange the bucket starts empty and a request of cost c leaves it c units in
   debt, refilled at one unit per ``rateLimit`` ms; the next request waits for the debt to clear.
   The market list must arrive before anything else can be asked, so
   ``bound = max(c_markets × rateLimit, latency) + (Σ other costs − the largest) × rateLimit +
   latency``. Exchanges run concurrently: the scan's bound is the largest exchange bound.
4. In another fresh process (``scan_child.py naive``): the naive sequential ccxt loop over ALL
   markets of the same cassette (nothing extrapolated): its CPU time and peak RSS.
   Both processes import the same modules; CPU and RSS are whole-process figures (imports
   included), per market = divided by the markets scanned; the import share is printed apart.
5. The scan again on a cassette of half the tokens (``--no-half`` skips it; the demo generator has
   at most 520 fictional tokens, so the larger cassette is the measured one): peak RSS at N/2 and N
   markets, to show it does not grow with the number of markets.
6. The scan once more under cProfile (``--profile N`` entries, 0 skips it): where its CPU goes.

Exit code 0 whatever the figures (a benchmark, not a test); 1 when a scan itself failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.db.migrate import upgrade
from bot.market.demo import DEMO_BANNER, DEMO_EXCHANGES
from bot.market.demo_gen import DEFAULT_SEED, generate
from bot.settings import load_settings
from bot.usecases.supply import import_supply, read_supply_file

CHILD = Path(__file__).with_name("scan_child.py")
SCAN_TARGET = 1.1  # scan wall time / rate-limit bound


def note(message: str) -> None:
    """Progress on stderr, so stdout carries the figures only."""
    print(message, file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


@dataclass(frozen=True)
class ExchangeBudget:
    """What one exchange's request budget allows for the requests the scan sent to it."""

    exchange: str
    markets: int
    requests: int
    deeper: int
    rate_limit_ms: float
    book_cost: float
    markets_cost: float
    other_costs: tuple[float, ...]  # tickers and every order book, in cost units
    latency_ms: float

    @property
    def bound_s(self) -> float:
        first = max(self.markets_cost * self.rate_limit_ms, self.latency_ms)
        rest = sum(self.other_costs) - max(self.other_costs, default=0.0)
        return (first + rest * self.rate_limit_ms + self.latency_ms) / 1000


def budget(exchange: str, figures: dict[str, Any], latency_ms: float) -> ExchangeBudget:
    """Cost every request the scan sent to ``exchange`` with ccxt's own endpoint costs."""
    books = list(figures["book_costs"])
    # Beyond the books the scan sends one markets load and one bulk tickers request; anything
    # more is a retry, costed at the cheaper kind so the bound stays a lower bound.
    cheaper = min(figures["markets_cost"], figures["tickers_cost"])
    extra = max(0, figures["requests"] - len(books) - 2)
    return ExchangeBudget(
        exchange=exchange,
        markets=figures["markets"],
        requests=figures["requests"],
        deeper=figures["deeper"],
        rate_limit_ms=figures["rate_limit_ms"],
        book_cost=figures["book_cost"],
        markets_cost=figures["markets_cost"],
        other_costs=(figures["tickers_cost"], *books, *[cheaper] * extra),
        latency_ms=latency_ms,
    )


def prepare(work: Path, tokens: int, seed: int) -> tuple[Path, str]:
    """A cassette of ``tokens`` fictional tokens and a migrated database with its supply."""
    cassette, db = work / f"cassette-{tokens}", work / f"bench-{tokens}.db"
    db.unlink(missing_ok=True)
    generate(cassette, tokens=tokens, seed=seed)
    url = f"sqlite:///{db}"
    settings = load_settings(env_file=None, market_source=f"replay:{cassette}", database_url=url)
    upgrade(url)
    asyncio.run(import_supply(settings, read_supply_file(cassette / "supply.csv")))
    return cassette, url


def child(*args: str) -> dict[str, Any]:
    """Run ``scan_child.py`` in a fresh interpreter; its JSON figures."""
    done = subprocess.run(
        [sys.executable, str(CHILD), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} process failed: {done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def scan_failed(figures: dict[str, Any]) -> bool:
    for failure in figures["failed"]:
        print(f"scan FAILED on {failure}")
    return bool(figures["failed"])


def per_market_ms(figures: dict[str, Any]) -> float:
    return 1000 * figures["cpu_s"] / max(figures["markets"], 1)


def process_line(name: str, f: dict[str, Any]) -> str:
    imports = f["imports"]
    return (
        f"{name:<15}{f['markets']:>8}{f['wall_s']:>9.2f}{f['cpu_s']:>9.2f}"
        f"{per_market_ms(f):>10.2f}{f['rss_mb']:>9.1f}"
        f"   (after imports: {imports['cpu_s']:.2f} s CPU, {imports['rss_mb']:.1f} MB)"
    )


def report_budgets(budgets: list[ExchangeBudget]) -> float:
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
    bound = max(b.bound_s for b in budgets)
    markets = sum(b.markets for b in budgets)
    print(
        f"{'all':<9}{markets:>8}{sum(b.requests for b in budgets):>9}"
        f"{sum(b.deeper for b in budgets):>7}{'':>34}{bound:>9.2f}  (max: run concurrently)"
    )
    return bound


def report(
    args: argparse.Namespace,
    scan: dict[str, Any],
    naive: dict[str, Any],
    half: dict[str, Any] | None,
) -> None:
    budgets = [budget(e, f, args.latency_ms) for e, f in scan["exchanges"].items()]
    bound = report_budgets(budgets)
    print(
        f"\n{'process':<15}{'markets':>8}{'wall s':>9}{'CPU s':>9}{'CPU ms/mkt':>10}"
        f"{'peak MB':>9}   (whole process, imports included)"
    )
    print(process_line("run_scan", scan))
    print(process_line("naive loop", naive))
    if half is not None:
        print(process_line("run_scan at N/2", half))
    ratio = scan["wall_s"] / bound
    scan_ms, naive_ms = per_market_ms(scan), per_market_ms(naive)
    print("\nsummary")
    print(
        f"  markets scanned    {scan['markets']} on {len(budgets)} exchanges "
        f"({scan['markets'] - scan['error_rows']} ok, {scan['error_rows']} error rows)"
    )
    print(
        f"  scan wall / bound  {scan['wall_s']:.2f} s / {bound:.2f} s = {ratio:.3f}  "
        f"target <= {SCAN_TARGET}  {verdict(ratio <= SCAN_TARGET)}"
    )
    print(
        f"  CPU per market     scan {scan_ms:.2f} ms vs naive loop {naive_ms:.2f} ms  "
        f"target scan <= naive  {verdict(scan_ms <= naive_ms)}"
    )
    print(
        f"  peak RSS           scan {scan['rss_mb']:.1f} MB vs naive loop "
        f"{naive['rss_mb']:.1f} MB (ratio {scan['rss_mb'] / naive['rss_mb']:.3f})  "
        f"target scan <= naive  {verdict(scan['rss_mb'] <= naive['rss_mb'])}"
    )
    print(f"  naive loop wall    {naive['wall_s']:.2f} s, / bound {naive['wall_s'] / bound:.2f}")
    if half is not None:
        print(
            f"  peak RSS N/2 vs N  {half['rss_mb']:.1f} MB at {half['markets']} markets, "
            f"{scan['rss_mb']:.1f} MB at {scan['markets']} markets"
        )
    print(DEMO_BANNER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--tokens", type=int, default=400, help="fictional alt tokens (400 → about 1,100 markets)"
    )
    parser.add_argument("--latency-ms", type=float, default=50.0, help="REPLAY_LATENCY_MS")
    parser.add_argument("--profile", type=int, default=25, help="cProfile entries (0 = none)")
    parser.add_argument("--no-half", action="store_true", help="skip the N/2-token scan")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, help="write cassettes and databases here, keep them")
    args = parser.parse_args(argv)
    if args.latency_ms <= 0:
        parser.error("--latency-ms must be > 0 (the replay throttles only with latency)")
    latency = f"{args.latency_ms:g}"
    with tempfile.TemporaryDirectory(prefix="liqbot-bench-") as tmp:
        work = args.keep or Path(tmp)
        cassette, url = prepare(work, args.tokens, args.seed)
        print(f"liqbot scan benchmark — {DEMO_BANNER}")
        print(
            f"cassette: {args.tokens} tokens, seed {args.seed}, {', '.join(DEMO_EXCHANGES)} "
            f"({cassette}); replay latency {latency} ms, ccxt throttler on\n"
        )
        note("scan (run_scan, stored) in a fresh process…")
        scan = child("scan", str(cassette), latency, url)
        if scan_failed(scan):
            return 1
        note("naive sequential ccxt loop over every market in a fresh process…")
        naive = child("naive", str(cassette), latency)
        half = None
        if not args.no_half:
            note(f"scan of {args.tokens // 2} tokens in a fresh process…")
            cassette2, url2 = prepare(work, args.tokens // 2, args.seed)
            half = child("scan", str(cassette2), latency, url2)
        report(args, scan, naive, half)
        if args.profile:
            note("scan under cProfile…")
            _, url_p = prepare(work / "profiled", args.tokens, args.seed)
            profiled = child("scan", str(cassette), latency, url_p, "--profile", str(args.profile))
            print(f"\ncProfile of run_scan (top {args.profile}; CPU inflated by the profiler):")
            print(profiled["profile"])
        return 0


if __name__ == "__main__":
    sys.exit(main())
