"""Benchmark: the snapshot history at full size (issue 4 item 8), on SQLite and PostgreSQL.

    python benchmarks/history.py [--days 30] [--markets 2000] [--samples 200] [--postgres URL]

1. A temporary, migrated database per backend, filled with ``--days`` of hourly snapshots of
   ``--markets`` markets (default 30 × 24 × 2,000 = 1.44 million rows): 500 tokens with four
   markets each (binance X/USDT and X/USDC, okx and bybit X/USDT), one scan per hour, rows written
   scan by scan as the snapshot job writes them (bulk ``executemany`` on SQLite, ``COPY`` on
   PostgreSQL, then ``ANALYZE``/``VACUUM`` as autovacuum would).
2. p50 / p99 over ``--samples`` random tokens of the per-token queries behind the surfaces,
   through liqbot's own repositories on the async engine the bot uses:
   - `/liquidity` trend: ``repo_history.daily_history`` (30 days, one row per market and day,
     home exchange as `/liquidity` reads it, and every venue);
   - a new engagement's fill-in (``bot.usecases.mm_checks``): ``repo_quoting.home_book_samples``
     (30 days of the home exchange; `/mm` itself reads ``mm_daily_checks``, see mm_status.py);
   - `/outreach` before/after: ``repo_history.depth_around`` (±1 day around a reply 10 days ago)
     and the ``home_book_samples`` window `/outreach` reads (7 days before that reply to now).
3. ``repo_market.store_scan`` of one scan of all markets into the full table (3 runs, committed).
4. One day of down-sampling (``downsample_snapshots(max_days=1)``), the snapshot job's retention.
Targets: p99 ≤ 50 ms per query, one scan stored ≤ 1 s. PostgreSQL runs when ``--postgres`` or
``TEST_POSTGRES_URL`` names a server (a database ``liqbot_bench_<pid>`` is created and dropped).
Exit code 0 whatever the figures; 1 when a backend could not be set up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_postgres import postgres_database
from sqlalchemy.engine import make_url

from bot.db import repo_history, repo_market, repo_quoting
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.domain.models import MarketMetrics

QUERY_TARGET_MS = 50.0
STORE_TARGET_S = 1.0
END = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
VENUES = (("binance", "USDT"), ("binance", "USDC"), ("okx", "USDT"), ("bybit", "USDT"))
SLIPPAGE = json.dumps({"buy": {"1000": 12.5, "10000": 48.0}, "sell": {"1000": 11.0}})
SNAPSHOT_COLUMNS = (
    "scan_id",
    "market_id",
    "base",
    "taken_at",
    "status",
    "best_bid",
    "best_ask",
    "mid",
    "usd_per_quote",
    "mid_usd",
    "spread_bps",
    "depth_bid_1pct",
    "depth_ask_1pct",
    "depth_bid_2pct",
    "depth_ask_2pct",
    "depth_bid_1pct_usd",
    "depth_ask_1pct_usd",
    "depth_bid_2pct_usd",
    "depth_ask_2pct_usd",
    "depth_truncated",
    "imbalance_2pct",
    "volume_24h_usd",
    "slippage_bps",
    "resolution",
)


def markets(count: int) -> list[tuple[int, str, str, str, str]]:
    """(id, exchange, symbol, base, quote): four venues per token."""
    out = []
    for i in range(count):
        exchange, quote = VENUES[i % len(VENUES)]
        base = f"TK{i // len(VENUES):04d}"
        out.append((i + 1, exchange, f"{base}/{quote}", base, quote))
    return out


def scan_times(days: int) -> list[datetime]:
    return [END - timedelta(hours=h) for h in range(days * 24, 0, -1)]


def snapshot_rows(
    market_list: list[tuple[int, str, str, str, str]], scan_id: int, at: Any, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for market_id, _exchange, _symbol, base, _quote in market_list:
        mid = 0.5 + (market_id % 97) / 10
        spread = rng.uniform(5, 300)
        bid, ask = rng.uniform(500, 200_000), rng.uniform(500, 200_000)
        ok = rng.random() > 0.01
        book = (mid * (1 - spread / 20_000), mid * (1 + spread / 20_000), mid, 1.0, mid, spread)
        depths = (bid / 2, ask / 2, bid, ask, bid / 2, ask / 2, bid, ask, False)
        figures: tuple[Any, ...] = (
            *book,
            *depths,
            (bid - ask) / (bid + ask),
            rng.uniform(1_000, 5e6),
            SLIPPAGE,
        )
        if not ok:
            figures = (None,) * 14 + (False, None, None, None)
        yield (scan_id, market_id, base, at, "ok" if ok else "error", *figures, "raw")


def fill_sqlite(path: Path, market_list: list[Any], times: list[datetime]) -> None:
    fmt = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DateTime text, naive UTC
    rng = random.Random(7)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")
    first = times[0].strftime(fmt)
    db.executemany(
        "INSERT INTO markets (id, exchange, symbol, base, quote, active, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        [(*m, first, first) for m in market_list],
    )
    insert = (
        f"INSERT INTO liquidity_snapshots ({', '.join(SNAPSHOT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(SNAPSHOT_COLUMNS))})"
    )
    for scan_id, at in enumerate(times, start=1):
        stamp = at.strftime(fmt)
        db.execute(
            "INSERT INTO scans (id, source, started_at, finished_at, exchanges, markets_count, "
            "ok_count) VALUES (?, 'bench', ?, ?, '{}', ?, ?)",
            (scan_id, stamp, stamp, len(market_list), len(market_list)),
        )
        db.executemany(insert, snapshot_rows(market_list, scan_id, stamp, rng))
    db.execute(
        "UPDATE markets SET last_snapshot_id = (SELECT max(id) FROM liquidity_snapshots s "
        "WHERE s.market_id = markets.id), last_snapshot_at = ?",
        (times[-1].strftime(fmt),),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def fill_postgres(url: str, market_list: list[Any], times: list[datetime]) -> None:
    import psycopg

    rng = random.Random(7)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY markets (id, exchange, symbol, base, quote, active, first_seen, last_seen) "
            "FROM STDIN"
        ) as copy:
            for m in market_list:
                copy.write_row((*m, True, times[0], times[0]))
        with cur.copy(
            "COPY scans (id, source, started_at, finished_at, exchanges, markets_count, ok_count)"
            " FROM STDIN"
        ) as copy:
            for scan_id, at in enumerate(times, start=1):
                copy.write_row((scan_id, "bench", at, at, "{}", len(market_list), len(market_list)))
        with cur.copy(
            f"COPY liquidity_snapshots ({', '.join(SNAPSHOT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for scan_id, at in enumerate(times, start=1):
                for row in snapshot_rows(market_list, scan_id, at, rng):
                    copy.write_row(row)
        cur.execute(
            "UPDATE markets SET last_snapshot_id = s.id, last_snapshot_at = s.taken_at FROM "
            "(SELECT DISTINCT ON (market_id) market_id, id, taken_at FROM liquidity_snapshots "
            "ORDER BY market_id, taken_at DESC) s WHERE s.market_id = markets.id"
        )
        for table in ("markets", "scans", "liquidity_snapshots"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cur.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def measure(url: str, bases: list[str], samples: int) -> list[tuple[str, float, float, int]]:
    """(query, p50 ms, p99 ms, rows of the last call) for each per-token query."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now, reply = END, END - timedelta(days=10)
    since = now - timedelta(days=30)
    queries: dict[str, Callable[[Any, str], Awaitable[Any]]] = {
        # exactly what bot/usecases/token.py::token_report reads for the trend line
        "/liquidity trend  daily_history 30d home": lambda s, b: repo_history.daily_history(
            s, b, since, now, exchange="binance"
        ),
        "/liquidity trend  daily_history 30d all": lambda s, b: repo_history.daily_history(
            s, b, since, now
        ),
        "mm fill-in        home_book_samples 30d": lambda s, b: repo_quoting.home_book_samples(
            s, "binance", [b], since, now
        ),
        "/outreach         depth_around ±1d": lambda s, b: repo_history.depth_around(
            s, b, reply, timedelta(days=1)
        ),
        "/outreach         home_book_samples 17d": lambda s, b: repo_quoting.home_book_samples(
            s, "binance", [b], reply - timedelta(days=7), now
        ),
    }
    rng = random.Random(11)
    picked = [rng.choice(bases) for _ in range(samples)]
    results = []
    try:
        for name, query in queries.items():
            timings, rows = [], 0
            async with sessions() as session:
                await query(session, picked[0])  # warm the connection and statement cache
                for base in picked:
                    started = time.perf_counter()
                    found = await query(session, base)
                    timings.append((time.perf_counter() - started) * 1000)
                    rows = (
                        sum(len(v) for v in found.values())
                        if isinstance(found, dict)
                        else len(found)
                    )
            results.append((name, statistics.median(timings), percentile(timings, 99), rows))
    finally:
        await engine.dispose()
    return results


async def store_and_downsample(url: str, market_list: list[Any]) -> tuple[list[float], float, int]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    metrics = [
        MarketMetrics(
            exchange,
            symbol,
            base,
            quote,
            "ok",
            best_bid=0.99,
            best_ask=1.01,
            mid=1.0,
            spread_bps=200.0,
            depth_bid_1pct=500.0,
            depth_ask_1pct=550.0,
            depth_bid_2pct=1000.0,
            depth_ask_2pct=1100.0,
            depth_bid_1pct_usd=500.0,
            depth_ask_1pct_usd=550.0,
            depth_bid_2pct_usd=1000.0,
            depth_ask_2pct_usd=1100.0,
            imbalance_2pct=-0.05,
            volume_24h_usd=123456.0,
            usd_per_quote=1.0,
            last_price=1.0,
            slippage_bps={"buy": {1000: 12.5}, "sell": {1000: 11.0}},
        )
        for _id, exchange, symbol, base, quote in market_list
    ]
    timings = []
    try:
        for n in range(1, 4):
            at = END + timedelta(hours=n)
            started = time.perf_counter()
            async with sessions() as session, session.begin():
                await repo_market.store_scan(session, "bench", at, at, {}, metrics, taken_at=at)
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            removed = await repo_history.downsample_snapshots(
                session, END - timedelta(days=7), max_days=1
            )
        downsample_s = time.perf_counter() - started
    finally:
        await engine.dispose()
    return timings, downsample_s, removed


def report(
    backend: str, url: str, market_list: list[Any], days: int, samples: int, fill_s: float
) -> None:
    rows = len(market_list) * days * 24
    print(
        f"\n== {backend}: {rows:,} snapshots ({len(market_list):,} markets × {days} days "
        f"hourly), generated in {fill_s:.0f} s",
        flush=True,
    )
    bases = sorted({m[3] for m in market_list})
    for name, p50, p99, n in asyncio.run(measure(url, bases, samples)):
        verdict = "PASS" if p99 <= QUERY_TARGET_MS else "MISS"
        print(
            f"  {name:<40} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  ({n} rows)  {verdict}", flush=True
        )
    timings, downsample_s, removed = asyncio.run(store_and_downsample(url, market_list))
    verdict = "PASS" if max(timings) <= STORE_TARGET_S else "MISS"
    shown = ", ".join(f"{t * 1000:.0f} ms" for t in timings)
    print(f"  store_scan {len(market_list):,} markets into the full table: {shown}  {verdict}")
    print(f"  downsample one day ({removed:,} snapshots removed): {downsample_s:.1f} s")


def run_sqlite(market_list: list[Any], days: int, samples: int) -> None:
    times = scan_times(days)
    with tempfile.TemporaryDirectory(prefix="liqbot-bench-") as folder:
        path = Path(folder) / "history.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        started = time.perf_counter()
        fill_sqlite(path, market_list, times)
        report("SQLite", url, market_list, days, samples, time.perf_counter() - started)


def run_postgres(server: str, market_list: list[Any], days: int, samples: int) -> None:
    times = scan_times(days)
    with postgres_database(server, "liqbot_bench") as url:
        upgrade(url)
        started = time.perf_counter()
        fill_postgres(url, market_list, times)
        report("PostgreSQL", url, market_list, days, samples, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--markets", type=int, default=2_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL")
    args = parser.parse_args(argv)
    market_list = markets(args.markets)
    print(
        f"history benchmark: targets p99 ≤ {QUERY_TARGET_MS:.0f} ms per query, "
        f"one scan stored ≤ {STORE_TARGET_S:.0f} s"
    )
    status = 0
    try:
        run_sqlite(market_list, args.days, args.samples)
    except Exception as exc:
        print(f"SQLite benchmark failed: {exc}", file=sys.stderr)
        status = 1
    server = args.postgres or os.environ.get("TEST_POSTGRES_URL")
    if not server:
        print("\nPostgreSQL skipped: pass --postgres URL or set TEST_POSTGRES_URL")
        return status
    try:
        run_postgres(server, market_list, args.days, args.samples)
    except Exception as exc:
        print(f"PostgreSQL benchmark failed: {type(exc).__name__}", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
