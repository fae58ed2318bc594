"""Use-case results for the presenters (ZORB's answer, at-risk lists, a case)."""

from __future__ import annotations

from datetime import timedelta

from bot.db.records import AssessmentRecord
from bot.domain.aggregate import aggregate_token
from bot.domain.contribution import contribution
from bot.domain.models import (
    MarketMetrics,
)
from bot.domain.outreach import derive_case
from bot.domain.risk import RiskRules, assess_risk
from bot.domain.timeline import CaseEvent
from bot.usecases.atrisk import AtRiskList, AtRiskRow
from bot.usecases.outreach.case import CaseView, OutreachState
from bot.usecases.outreach.depth import DepthCheck
from bot.usecases.outreach.kinds_case import next_steps
from bot.usecases.token import TokenView, UnavailableVenue
from tests.builders.figures import (
    NOW,
    SUPPLY,
    market,
)


def zorb_markets() -> list[MarketMetrics]:
    """binance (home) and okx ok, bybit at 2.5× the home mid (a ticker collision), okx ZORB/USDC
    crossed. Depths in USD; slippage in bps for 10k and 50k USD."""
    binance = market(
        "ZORB/USDT", "binance", mid=0.02, bid_usd=40_000, ask_usd=55_000, spread_bps=20,
        slippage_bps={"buy": {10_000: 15.0, 50_000: 61.0}, "sell": {10_000: 17.5, 50_000: None}},
    )  # fmt: skip
    okx = market(
        "ZORB/USDT", "okx", mid=0.0201, bid_usd=10_000, ask_usd=12_000, spread_bps=35,
        volume_usd=50_000,
        slippage_bps={"buy": {10_000: 120.0, 50_000: None}, "sell": {10_000: 95.0, 50_000: None}},
    )  # fmt: skip
    bybit = market("ZORB/USDT", "bybit", mid=0.05, bid_usd=9_000, ask_usd=9_000, volume_usd=1_000)
    crossed = market("ZORB/USDC", "okx", error="crossed book: best bid 0.021 >= best ask 0.02")
    return [binance, okx, bybit, crossed]


def zorb_view(supply: float | None = SUPPLY) -> TokenView:
    markets = zorb_markets()
    aggregates = aggregate_token("ZORB", markets, "binance", supply)
    risk = assess_risk(aggregates, "unknown", RiskRules())
    scenarios = None
    if supply:
        scenarios = tuple(
            contribution(pct, supply, aggregates.home_mid_usd, aggregates.home_depth_2pct_usd)
            for pct in (1, 3, 5)
        )
    return TokenView(
        symbol="ZORB",
        as_of=NOW,
        from_snapshot=True,
        source="demo",
        exchange_filter=None,
        markets=tuple(markets),
        liquidity=aggregates,
        risk=risk,
        mm_status="unknown",
        mm_summary="Too little history: 1 day of binance snapshots (needs 3).",
        name="Zorb Protocol",
        circulating_supply=supply,
        market_cap_usd=aggregates.market_cap_usd,
        contributions=scenarios,
        outreach=OutreachState("ZORB", "contacted", "contacted 2 days ago", "U0BOB", "bob"),
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
        assessed_at=NOW,
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
    return AtRiskList(True, NOW, 1, None, count, count, {"high": count, "medium": 0}, rows)


def case_view(entries: int) -> CaseView:
    """ZORB's case with ``entries`` declines by alice, an hour apart, each with its depth."""
    events = [
        CaseEvent(
            id=i,
            symbol="ZORB",
            kind="declined",
            at=NOW + timedelta(hours=i),
            actor="U0ALICE",
            actor_name="alice",
            details={
                "reason": f"reason number {i} <!channel> & more",
                "questions": ["contribution"],
            },
        )
        for i in range(1, entries + 1)
    ]
    now = NOW + timedelta(hours=entries + 1)
    case = derive_case("ZORB", events, now)
    depth = {
        e.id: DepthCheck(4_000.0, NOW, 5_000.0, NOW + timedelta(hours=e.id + 1)) for e in events
    }
    return CaseView("ZORB", now, "UTC", "binance", case, None, depth, next_steps(case))


# The database, filled the way the jobs fill it.
