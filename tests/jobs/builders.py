"""Hand-made scans for the digest tests: tokens with a chosen tier and score, stored the way the
scan use case stores them (markets, snapshots and one batch of assessments)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.db import repo_assessment, repo_market
from bot.domain.models import RiskAssessment, TokenLiquidity
from bot.usecases.services import Services
from tests.usecases.builders import market

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CHANNEL = "C0DIGEST"


@dataclass(frozen=True)
class Token:
    """One token of a hand-made scan: tier, score and the figures the digest row shows."""

    symbol: str
    tier: str
    score: int
    depth_usd: float = 4_300.0
    spread_bps: float = 180.0
    volume_usd: float = 12_000.0
    reasons: tuple[str, ...] = ("±2% depth $4.3k < $50k",)


def liquidity(token: Token) -> TokenLiquidity:
    return TokenLiquidity(
        symbol=token.symbol,
        home_exchange="binance",
        markets=(),
        excluded=(),
        home_mid_usd=0.5,
        home_spread_bps=token.spread_bps,
        home_depth_bid_2pct_usd=token.depth_usd,
        home_depth_ask_2pct_usd=token.depth_usd * 2,
        home_depth_2pct_usd=token.depth_usd,
        home_depth_1pct_usd=token.depth_usd,
        home_volume_24h_usd=token.volume_usd,
        home_imbalance_2pct=None,
        global_depth_bid_2pct_usd=None,
        global_depth_ask_2pct_usd=None,
        global_depth_2pct_usd=token.depth_usd,
        global_volume_24h_usd=token.volume_usd,
        home_share_depth=1.0,
        home_share_volume=1.0,
        circulating_supply=None,
        market_cap_usd=None,
        depth_truncated=False,
        venues=("binance",),
    )


async def store_batch(
    services: Services,
    at: datetime,
    tokens: Sequence[Token],
    summary: Mapping[str, Any] | None = None,
) -> int:
    """Store one scan taken (and finished) at ``at``: a binance X/USDT market per token with the
    token's spread and depth, and the tokens' assessments. Returns the scan id."""
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
    exchanges = dict(summary or {"binance": {"markets": len(markets), "error": None}})
    async with services.session() as session:
        scan_id = await repo_market.store_scan(
            session, "demo", at, at, exchanges, markets, taken_at=at
        )
        await repo_assessment.store_assessments(
            session,
            scan_id,
            at,
            [
                (
                    liquidity(t),
                    RiskAssessment(t.symbol, t.score, t.tier, t.reasons, (), "none"),  # type: ignore[arg-type]
                )
                for t in tokens
            ],
        )
    return scan_id


def many_tokens(count: int, tier: str = "high") -> list[Token]:
    """``count`` at-risk tokens TOK0001…, scores descending from 99 (floored at 31)."""
    return [Token(f"TOK{i:04d}", tier, max(99 - i // 10, 31)) for i in range(1, count + 1)]
