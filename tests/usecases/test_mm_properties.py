"""Property: down-sampling old snapshots never changes a market-maker status (SPEC 4.3), on the
real storing path and database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.domain.models import MarketMetrics
from bot.settings import load_settings
from bot.usecases.mm import mm_judgements
from bot.usecases.outreach import log_reply_has_mm
from bot.usecases.snapshot import downsample_history
from bot.wiring import build_services
from tests.builders import ALICE, NOW, market
from tests.usecases.mm_history import store_scan

EVERY = timedelta(hours=4)
TABLES = ("mm_daily_checks", "mm_engagements", "replies", "outreach", "risk_assessments",
          "liquidity_snapshots", "markets", "scans")  # fmt: skip
"""Emptied before each example (the audit log is append-only: its rows stay)."""
BOOKS = {
    "+": [market("ZORB/USDT", bid_usd=30_000, ask_usd=30_000, spread_bps=20)],
    "-": [market("ZORB/USDT", bid_usd=30_000, ask_usd=30_000, spread_bps=90)],
    "t": [market("ZORB/USDT", bid_usd=8_000, ask_usd=30_000, spread_bps=20)],
}


def _books(kind: str) -> list[MarketMetrics]:
    if kind == "x":  # the home book could not be read: a data fault
        failed = market("ZORB/USDT")
        return [MarketMetrics(failed.exchange, failed.symbol, "ZORB", "USDT", "error", "timeout")]
    return BOOKS[kind]


async def _statuses_before_and_after(
    db_url: str, scans: list[str], retention: int, since_days: int | None
) -> tuple[object, object]:
    options = {"snapshot_interval_minutes": 240, "snapshot_retention_days": retention}
    config = load_settings(env_file=None, database_url=db_url, market_source="demo", **options)
    services = build_services(config, clock=lambda: NOW)
    try:
        async with services.session() as session:
            for table in TABLES:
                await session.execute(text(f"DELETE FROM {table}"))
        start = NOW - EVERY * len(scans)
        for n, kind in enumerate(scans):
            if kind != " ":  # no scan at all in that slot
                await store_scan(services, _books(kind), start + n * EVERY)
        if since_days is not None:
            since = (NOW - timedelta(days=since_days)).date().isoformat()
            await log_reply_has_mm(services, ALICE, "ZORB", "GSR", since, None, "40", "20000", "k")
        before = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
        await downsample_history(services, NOW)
        after = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
        return before, after
    finally:
        await services.close()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    scans=st.lists(st.sampled_from("++++-tx "), min_size=6 * 5, max_size=6 * 12),
    retention=st.integers(min_value=1, max_value=7),
    since_days=st.none() | st.integers(min_value=0, max_value=16),
)
def test_down_sampling_never_changes_a_status(
    db_url: str, scans: list[str], retention: int, since_days: int | None
) -> None:
    before, after = asyncio.run(_statuses_before_and_after(db_url, scans, retention, since_days))
    assert after == before
