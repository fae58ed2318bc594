"""Hand-made data for the use-case tests: a settable clock, market figures with round numbers,
and helpers that store them the way the scan does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.db import repo_market, repo_supply
from bot.db.records import SupplyRow
from bot.domain.models import MarketMetrics
from bot.usecases.outreach import Actor
from bot.usecases.services import Services

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ALICE = Actor("U_ALICE", "T_TEAM", "alice")
BOB = Actor("U_BOB", "T_TEAM", "bob")


@dataclass
class Clock:
    """``services.clock``: returns ``now``, which a test moves."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def market(
    symbol: str = "ZORB/USDT",
    exchange: str = "binance",
    *,
    mid: float = 0.02,
    bid_usd: float = 40_000.0,
    ask_usd: float = 55_000.0,
    spread_bps: float = 20.0,
    volume_usd: float = 200_000.0,
) -> MarketMetrics:
    """An ok market of a USD-stable quote: ±2% depths as given (USD), ±1% depth half of it."""
    base, quote = symbol.split("/")
    half = spread_bps / 2 / 10_000
    return MarketMetrics(
        exchange=exchange,
        symbol=symbol,
        base=base,
        quote=quote,
        status="ok",
        best_bid=mid * (1 - half),
        best_ask=mid * (1 + half),
        mid=mid,
        spread_bps=spread_bps,
        depth_bid_1pct=bid_usd / 2,
        depth_ask_1pct=ask_usd / 2,
        depth_bid_2pct=bid_usd,
        depth_ask_2pct=ask_usd,
        depth_bid_1pct_usd=bid_usd / 2,
        depth_ask_1pct_usd=ask_usd / 2,
        depth_bid_2pct_usd=bid_usd,
        depth_ask_2pct_usd=ask_usd,
        imbalance_2pct=(bid_usd - ask_usd) / (bid_usd + ask_usd) if bid_usd + ask_usd else None,
        volume_24h_usd=volume_usd,
        usd_per_quote=1.0,
        slippage_bps={"buy": {1000: 11.0}, "sell": {1000: 12.0}},
    )


async def store_snapshot(
    services: Services,
    markets: Sequence[MarketMetrics],
    at: datetime,
    summary: Mapping[str, object] | None = None,
) -> int:
    """Store one scan of ``markets`` taken at ``at``; its id."""
    async with services.session() as session:
        return await repo_market.store_scan(
            session, "demo", at, at, dict(summary or {}), list(markets), taken_at=at
        )


async def store_supply(services: Services, symbol: str, supply: float) -> None:
    async with services.session() as session:
        await repo_supply.upsert_supply(session, [SupplyRow(symbol, supply)], NOW)


async def count_rows(services: Services, table: str) -> int:
    async with services.session() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def count_log_rows(services: Services) -> dict[str, int]:
    """Rows in every table a submission may write."""
    tables = ("outreach", "replies", "mm_engagements", "contribution_pledges", "snoozes")
    return {table: await count_rows(services, table) for table in (*tables, "audit_log")}
