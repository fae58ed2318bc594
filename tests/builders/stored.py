"""The database the way the jobs fill it, and read back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text

from bot.db import repo_assessment, repo_market, repo_supply
from bot.db.records import SupplyRow
from bot.domain.models import (
    MarketMetrics,
    RiskAssessment,
)
from bot.usecases.services import Services
from tests.builders.figures import (
    NOW,
    Token,
    liquidity,
    market,
)


async def store_snapshot(
    services: Services,
    markets: Sequence[MarketMetrics],
    at: datetime,
    summary: Mapping[str, object] | None = None,
) -> int:
    """Store one scan of ``markets`` taken (and finished) at ``at``; its id."""
    async with services.session() as session:
        return await repo_market.store_scan(
            session, "demo", at, at, dict(summary or {}), list(markets), taken_at=at
        )


async def store_batch(
    services: Services,
    at: datetime,
    tokens: Sequence[Token],
    summary: Mapping[str, Any] | None = None,
) -> int:
    """Store one scan taken at ``at``: a binance X/USDT market per token with the token's spread
    and depth, and the tokens' assessments. Returns the scan id."""
    markets = [
        market(
            f"{t.symbol}/USDT",
            spread_bps=t.spread_bps,
            bid_usd=t.depth_usd,
            ask_usd=t.depth_usd * 2,
            volume_usd=t.volume_usd,
        )
        for t in tokens
    ]
    exchanges = summary or {"binance": {"markets": len(markets), "error": None}}
    scan_id = await store_snapshot(services, markets, at, exchanges)
    assessed = [
        (
            liquidity(
                t.symbol,
                home_mid_usd=0.5,
                home_depth_2pct_usd=t.depth_usd,
                global_depth_2pct_usd=t.depth_usd,
                home_volume_24h_usd=t.volume_usd,
                global_volume_24h_usd=t.volume_usd,
                market_cap_usd=None,
            ),
            RiskAssessment(t.symbol, t.score, t.tier, t.reasons, (), "none"),  # type: ignore[arg-type]
        )
        for t in tokens
    ]
    async with services.session() as session:
        await repo_assessment.store_assessments(session, scan_id, at, assessed)
    return scan_id


async def store_supply(services: Services, symbol: str, supply: float) -> None:
    async with services.session() as session:
        await repo_supply.upsert_supply(session, [SupplyRow(symbol, supply)], NOW)


async def count_rows(services: Services, table: str) -> int:
    async with services.session() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


WRITTEN_TABLES = ("case_events", "mm_engagements", "audit_log")
NOTHING_WRITTEN = dict.fromkeys(WRITTEN_TABLES, 0)


async def written_rows(services: Services) -> dict[str, int]:
    """Rows in every table a user action may write."""
    return {table: await count_rows(services, table) for table in WRITTEN_TABLES}
