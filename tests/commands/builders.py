"""Hand-made use-case results with round numbers, for the presenter tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.db.records import AssessmentRecord
from bot.domain.aggregate import aggregate_token
from bot.domain.contribution import contribution
from bot.domain.models import MarketMetrics
from bot.domain.risk import RiskRules, assess_risk
from bot.usecases.atrisk import AtRiskList, AtRiskRow
from bot.usecases.outreach.log import DepthCheck, OutreachState, OutreachTimeline, TimelineEntry
from bot.usecases.token import TokenView, UnavailableVenue
from tests.usecases.builders import market

AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SUPPLY = 1_000_000_000.0


def zorb_markets() -> list[MarketMetrics]:
    """binance (home) and okx ok, bybit at 2.5× the home mid (a ticker collision), okx ZORB/USDC
    crossed. Depths in USD; slippage in bps for 10k and 50k USD."""
    binance = dataclasses.replace(
        market("ZORB/USDT", "binance", mid=0.02, bid_usd=40_000, ask_usd=55_000, spread_bps=20),
        slippage_bps={"buy": {10_000: 15.0, 50_000: 61.0}, "sell": {10_000: 17.5, 50_000: None}},
    )
    okx = dataclasses.replace(
        market("ZORB/USDT", "okx", mid=0.0201, bid_usd=10_000, ask_usd=12_000, spread_bps=35,
               volume_usd=50_000),
        slippage_bps={"buy": {10_000: 120.0, 50_000: None}, "sell": {10_000: 95.0, 50_000: None}},
    )  # fmt: skip
    bybit = market("ZORB/USDT", "bybit", mid=0.05, bid_usd=9_000, ask_usd=9_000, volume_usd=1_000)
    crossed = MarketMetrics(
        exchange="okx",
        symbol="ZORB/USDC",
        base="ZORB",
        quote="USDC",
        status="error",
        error="crossed book: best bid 0.021 >= best ask 0.02",
    )
    return [binance, okx, bybit, crossed]


def zorb_view(supply: float | None = SUPPLY) -> TokenView:
    markets = zorb_markets()
    liquidity = aggregate_token("ZORB", markets, "binance", supply)
    risk = assess_risk(liquidity, "unknown", RiskRules())
    scenarios = None
    if supply:
        scenarios = tuple(
            contribution(pct, supply, liquidity.home_mid_usd, liquidity.home_depth_2pct_usd)
            for pct in (1, 3, 5)
        )
    return TokenView(
        symbol="ZORB",
        as_of=AT,
        from_snapshot=True,
        source="demo",
        exchange_filter=None,
        markets=tuple(markets),
        liquidity=liquidity,
        risk=risk,
        mm_status="unknown",
        mm_summary="Too little history: 1 day of binance snapshots (needs 3).",
        name="Zorb Protocol",
        circulating_supply=supply,
        market_cap_usd=liquidity.market_cap_usd,
        contributions=scenarios,
        outreach=OutreachState(
            "ZORB", "contacted", "contacted 2d ago by U0BOB", AT - timedelta(days=2), "U0BOB"
        ),
        unavailable=(UnavailableVenue("kraken", "timed out after 10 s"),),
        depth_chart=None,
    )


def assessment(symbol: str, score: int, tier: str = "high") -> AssessmentRecord:
    reasons = (
        "±2% depth $4.3k < $50k",
        "24h volume $2.9k < $100k",
        "spread 490 bps > 100 bps",
        "24h volume $2.9k against no ±1% depth (volume/±1% depth > 50×)",
        "market maker unknown (too little quoting history)",
        "market cap $2.9M < $10M",
    )
    return AssessmentRecord(
        scan_id=1,
        symbol=symbol,
        assessed_at=AT,
        score=score,
        tier=tier,
        reasons=reasons,
        rules=("low_depth",),
        mm_status="unknown",
        home_depth_2pct_usd=4_300.0,
        global_depth_2pct_usd=12_000.0,
        home_volume_24h_usd=2_900.0,
        global_volume_24h_usd=9_000.0,
        market_cap_usd=2_900_000.0,
        mid_usd=0.5,
    )


def at_risk_list(count: int) -> AtRiskList:
    rows = tuple(
        AtRiskRow(
            rank,
            assessment(f"TOK{rank:03d}", 100 - rank // 2),
            OutreachState(f"TOK{rank:03d}", "not_contacted", "not contacted"),
        )
        for rank in range(1, count + 1)
    )
    return AtRiskList(True, AT, 1, None, count, count, {"high": count, "medium": 0}, rows)


def timeline(entries: int) -> OutreachTimeline:
    items = tuple(
        TimelineEntry(
            kind="declined",
            record_id=i,
            at=AT + timedelta(hours=i),
            by="U0ALICE",
            summary=f"Reply: declined: reason number {i} <!channel> & more",
            details={"reason": f"reason number {i}"},
            depth=DepthCheck(4_000.0, AT, 5_000.0, AT + timedelta(hours=i + 1)),
        )
        for i in range(1, entries + 1)
    )
    state = OutreachState("ZORB", "declined", "declined", AT, "U0ALICE")
    return OutreachTimeline("ZORB", AT + timedelta(days=30), "binance", items, state)
