"""Benchmark: market-maker statuses for a whole scan (issue 12), on SQLite and PostgreSQL.

    python benchmarks/mm_status.py [--tokens 2000] [--days 30] [--engaged 200] [--runs 20]
                                   [--postgres URL]

1. A temporary, migrated database per backend holding what ``--days`` of hourly snapshots of
   ``--tokens`` tokens leave in ``mm_daily_checks``: one row per token and day against the
   default criteria (24 snapshots, a random share met), and for ``--engaged`` tokens an
   engagement on record (half of them corrected once by a later record, so their days are
   spread over two record ids) with its own row per day. Statuses never read the raw
   snapshots, so none are stored.
2. ``mm_statuses`` of every token at once, as each scan asks (the records, the running
   engagements' day rows, the default criteria's days counted per token): p50 / p90 / p99 / max
   wall time over ``--runs`` runs on the async engine the bot uses, and the median CPU time of
   this process (the SQLite driver's thread included, the PostgreSQL server not): on a shared
   machine the wall-time tail is mostly waiting for a CPU, so the load average is printed.
   The process is set up as the bot's are: its start-up objects frozen out of the garbage
   collector's way (``bot.wiring.freeze_startup``), which took the p99 from over 300 ms to
   about 165 ms on a slow machine (full collections walking every imported module).
3. ``record_checks`` of one scan of every token (the day rows updated as the scan is stored):
   p50 over 5 runs, each rolled back.
Target: statuses ≤ 200 ms per scan. PostgreSQL runs when ``--postgres`` or ``TEST_POSTGRES_URL``
names a server (a database ``liqbot_bench_mm_<pid>`` is created and dropped). Exit code 0
whatever the figures; 1 when a backend could not be set up.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_postgres import postgres_database
from sqlalchemy import insert, text

from bot.db import repo_mm_days
from bot.db.migrate import upgrade
from bot.db.repo_mm_days import CheckedDay
from bot.db.tables import ENGAGEMENTS
from bot.domain.aggregate import aggregate_token
from bot.domain.mm import QuotingDay
from bot.domain.models import MarketMetrics
from bot.settings import load_settings
from bot.usecases.mm import mm_statuses
from bot.usecases.mm_checks import record_checks
from bot.usecases.services import Services
from bot.wiring import build_services, freeze_startup

TARGET_MS = 200.0
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _day(rng: random.Random, day: date) -> QuotingDay:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    met = rng.choice((0, 3, 12, 18, 20, 24, 24))
    return QuotingDay(
        day, 24, met, 0, 1.0, start, start + timedelta(hours=23),
        rng.uniform(5, 300), rng.uniform(500, 500_000), None, None,
    )  # fmt: skip


async def _fill(services: Services, tokens: int, days: int, engaged: int) -> None:
    rng = random.Random(12)
    symbols = [f"TOK{n:04d}" for n in range(tokens)]
    today = NOW.date()
    window = [today - timedelta(days=n) for n in range(days)]
    async with services.session() as session:
        ids: dict[str, list[int]] = {}
        for n, symbol in enumerate(symbols[:engaged]):
            for version in range(1 + n % 2):
                values = {
                    "symbol": symbol, "status": "engaged", "source": "reply", "logged_by": "U1",
                    "logged_at": NOW - timedelta(days=40 - version * 20), "mm_name": "Wintermute",
                    "since": today - timedelta(days=40), "max_spread_bps": 50.0,
                    "min_depth_usd": 20_000.0,
                }  # fmt: skip
                stmt = insert(ENGAGEMENTS).values(values).returning(ENGAGEMENTS.c.id)
                ids.setdefault(symbol, []).append((await session.execute(stmt)).scalar_one())
        rows = [CheckedDay(s, None, _day(rng, d)) for s in symbols for d in window]
        for symbol, record_ids in ids.items():
            for d in window:  # the older record's days, then the newer one's
                record_id = record_ids[0] if d < today - timedelta(days=20) else record_ids[-1]
                rows.append(CheckedDay(symbol, record_id, _day(rng, d)))
        for start in range(0, len(rows), 10_000):
            await repo_mm_days.save(session, rows[start : start + 10_000])
    if services.engine.dialect.name == "postgresql":
        async with services.engine.connect() as conn:
            await conn.execute(text("COMMIT"))
            await conn.execute(text("ANALYZE"))
    else:
        async with services.engine.begin() as conn:
            await conn.execute(text("ANALYZE"))


def _market(symbol: str, rng: random.Random) -> MarketMetrics:
    bid, ask = rng.uniform(500, 200_000), rng.uniform(500, 200_000)
    return MarketMetrics(
        "binance", f"{symbol}/USDT", symbol, "USDT", "ok", mid=1.0, spread_bps=rng.uniform(5, 300),
        depth_bid_2pct=bid, depth_ask_2pct=ask, depth_bid_2pct_usd=bid, depth_ask_2pct_usd=ask,
        depth_bid_1pct_usd=bid / 2, depth_ask_1pct_usd=ask / 2, volume_24h_usd=1e5,
        usd_per_quote=1.0,
    )  # fmt: skip


async def _measure(services: Services, tokens: int, runs: int) -> dict[str, float]:
    symbols = [f"TOK{n:04d}" for n in range(tokens)]
    timings, cpu = [], []
    for _ in range(runs + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        statuses = await mm_statuses(services, symbols, NOW)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    assert len(statuses) == tokens
    timings = sorted(timings[1:])  # the first run warms the connection pool
    rng = random.Random(7)
    liquidity = [aggregate_token(s, [_market(s, rng)], "binance", None) for s in symbols]
    store = []
    for n in range(5):
        async with services.sessions() as session:
            started = time.perf_counter()
            await record_checks(session, services, NOW + timedelta(minutes=n), liquidity)
            store.append((time.perf_counter() - started) * 1000)
            await session.rollback()
    return {
        "p50": statistics.median(timings),
        "p90": _percentile(timings, 0.90),
        "p99": _percentile(timings, 0.99),
        "max": timings[-1],
        "cpu_p50": statistics.median(cpu[1:]),
        "store_p50": statistics.median(store),
    }


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _bench(url: str, args: argparse.Namespace) -> dict[str, float]:
    upgrade(url)
    settings = load_settings(env_file=None, database_url=url, market_source="demo")
    services = build_services(settings, clock=lambda: NOW)
    try:
        started = time.perf_counter()
        await _fill(services, args.tokens, args.days, args.engaged)
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
        # As in the processes that compute statuses (`liqbot serve` once its market lists are
        # loaded, `liqbot scan` once its services are built): what exists at start is frozen out
        # of the garbage collector's way. The fill's own rows are garbage by now, collected first.
        gc.collect()
        freeze_startup()
        return await _measure(services, args.tokens, args.runs)
    finally:
        await services.close()


def _report(name: str, figures: dict[str, float], args: argparse.Namespace) -> None:
    verdict = "PASS" if figures["p99"] <= TARGET_MS else "MISS"
    print(
        f"{name}: mm_statuses of {args.tokens} tokens ({args.days} days of day rows, "
        f"{args.engaged} engaged): p50 {figures['p50']:.0f} ms, p90 {figures['p90']:.0f} ms, "
        f"p99 {figures['p99']:.0f} ms, max {figures['max']:.0f} ms (target ≤ {TARGET_MS:.0f} "
        f"ms: {verdict}), liqbot's CPU p50 {figures['cpu_p50']:.0f} ms; record_checks of one "
        f"scan p50 {figures['store_p50']:.0f} ms "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


def _postgres(server: str, args: argparse.Namespace) -> dict[str, float]:
    with postgres_database(server, "liqbot_bench_mm") as url:
        return asyncio.run(_bench(url, args))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--engaged", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite:", flush=True)
        try:
            _report("SQLite", asyncio.run(_bench(f"sqlite:///{Path(tmp) / 'mm.db'}", args)), args)
        except Exception as exc:  # report and go on to PostgreSQL
            print(f"SQLite: could not run: {exc}", file=sys.stderr)
            failed = True
    if args.postgres:
        print("PostgreSQL:", flush=True)
        try:
            _report("PostgreSQL", _postgres(args.postgres, args), args)
        except Exception as exc:
            print(f"PostgreSQL: could not run: {exc}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
