"""Hand-made data for every test, one builder per kind of object.

- the moment and the people: ``NOW``, ``Clock`` (``services.clock``), ``ALICE``/``BOB``;
- settings: ``demo_settings`` (the bundled demo market data on a given database);
- what the exchanges send: ``ref``, ``book``, ``ticker``;
- measured figures: ``market`` (one market; with ``error``, a failed one) and ``liquidity`` (one
  token's aggregates); ``Token`` and ``many_tokens`` for the digest's hand-made scans;
- use-case results for the presenters: ``zorb_markets``, ``zorb_view``, ``assessment``,
  ``at_risk_list``, ``case_view``;
- the database the way the jobs fill it: ``store_snapshot``, ``store_batch``, ``store_supply``;
  and read back: ``count_rows``, ``written_rows``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bot.db import repo_assessment, repo_market, repo_supply
from bot.db.records import AssessmentRecord, SupplyRow
from bot.domain.aggregate import aggregate_token
from bot.domain.contribution import contribution
from bot.domain.models import (
    Level,
    MarketMetrics,
    MarketRef,
    OrderBook,
    RiskAssessment,
    Ticker,
    TokenLiquidity,
)
from bot.domain.outreach import derive_case
from bot.domain.risk import RiskRules, assess_risk
from bot.domain.timeline import CaseEvent
from bot.settings import Settings, load_settings
from bot.usecases.atrisk import AtRiskList, AtRiskRow
from bot.usecases.outreach import Actor
from bot.usecases.outreach.case import CaseView, OutreachState
from bot.usecases.outreach.depth import DepthCheck
from bot.usecases.outreach.kinds_case import next_steps
from bot.usecases.services import Services
from bot.usecases.token import TokenView, UnavailableVenue

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ALICE = Actor("U_ALICE", "T_TEAM", "alice")
BOB = Actor("U_BOB", "T_TEAM", "bob")
DIGEST_CHANNEL = "C0DIGEST"
SUPPLY = 1_000_000_000.0  # ZORB's circulating supply


@dataclass
class Clock:
    """``services.clock``: returns ``now``, which a test moves."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def demo_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings on ``database_url`` reading the bundled demo market data; no ``.env`` file."""
    options: dict[str, Any] = {"database_url": database_url, "market_source": "demo"}
    return load_settings(env_file=None, **{**options, **overrides})


# What the exchanges send.


def ref(symbol: str = "FOO/USDT", exchange: str = "binance") -> MarketRef:
    base, quote = symbol.split("/")
    return MarketRef(exchange=exchange, symbol=symbol, base=base, quote=quote)


def book(
    bids: Sequence[Level],
    asks: Sequence[Level],
    limit: int | None = None,
    symbol: str = "FOO/USDT",
    exchange: str = "binance",
) -> OrderBook:
    return OrderBook(exchange, symbol, tuple(bids), tuple(asks), limit=limit)


def ticker(
    quote_volume: float | None = None,
    base_volume: float | None = None,
    last: float | None = None,
    symbol: str = "FOO/USDT",
) -> Ticker:
    return Ticker("binance", symbol, last=last, base_volume=base_volume, quote_volume=quote_volume)


# Measured figures.

Slippage = dict[str, dict[int, float | None]]
SLIPPAGE_WITH_GAPS: Slippage = {
    "buy": {1000: 12.5, 10000: 48.0, 50000: None, 100000: None},
    "sell": {1000: 11.0, 10000: 51.25, 50000: 230.0, 100000: None},
}
"""Every slippage size, some out of the book's reach (None): for storage round trips."""


def market(
    symbol: str = "ZORB/USDT",
    exchange: str = "binance",
    *,
    mid: float = 0.02,
    bid_usd: float = 40_000.0,
    ask_usd: float = 55_000.0,
    bid_1pct_usd: float | None = None,
    ask_1pct_usd: float | None = None,
    spread_bps: float = 20.0,
    volume_usd: float | None = 200_000.0,
    usd_per_quote: float | None = 1.0,
    truncated: bool = False,
    slippage_bps: Slippage | None = None,
    error: str | None = None,
) -> MarketMetrics:
    """One market's figures, given in USD. An ok market unless ``error`` is given (then a failed
    one, without figures): ±2% depth ``bid_usd``/``ask_usd``, ±1% depth half of it unless given,
    best bid and ask ``spread_bps`` apart around ``mid``, quote-currency depths = USD /
    ``usd_per_quote`` (None: no USD rate, so no USD figures)."""
    base, quote = symbol.split("/")
    if error is not None:
        return MarketMetrics(exchange, symbol, base, quote, status="error", error=error)
    bid_1pct = bid_usd / 2 if bid_1pct_usd is None else bid_1pct_usd
    ask_1pct = ask_usd / 2 if ask_1pct_usd is None else ask_1pct_usd
    rate = usd_per_quote or 1.0
    half = spread_bps / 2 / 10_000

    def usd(value: float | None) -> float | None:
        return value if usd_per_quote else None

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
        depth_bid_1pct=bid_1pct / rate,
        depth_ask_1pct=ask_1pct / rate,
        depth_bid_2pct=bid_usd / rate,
        depth_ask_2pct=ask_usd / rate,
        depth_bid_1pct_usd=usd(bid_1pct),
        depth_ask_1pct_usd=usd(ask_1pct),
        depth_bid_2pct_usd=usd(bid_usd),
        depth_ask_2pct_usd=usd(ask_usd),
        depth_truncated=truncated,
        imbalance_2pct=(bid_usd - ask_usd) / (bid_usd + ask_usd) if bid_usd + ask_usd else None,
        volume_24h_usd=usd(volume_usd),
        usd_per_quote=usd_per_quote,
        slippage_bps={"buy": {1000: 11.0}, "sell": {1000: 12.0}}
        if slippage_bps is None
        else slippage_bps,
    )


def liquidity(symbol: str = "ZORB", **figures: Any) -> TokenLiquidity:
    """A healthy token on binance alone: $200k ±2% depth a side, $5M 24h volume, $500M market
    cap; ``figures`` replace any of its fields."""
    healthy = TokenLiquidity(
        symbol=symbol,
        home_exchange="binance",
        markets=(),
        excluded=(),
        home_mid_usd=1.0,
        home_spread_bps=10.0,
        home_depth_bid_2pct_usd=200_000,
        home_depth_ask_2pct_usd=200_000,
        home_depth_2pct_usd=200_000,
        home_depth_1pct_usd=300_000,
        home_volume_24h_usd=5_000_000,
        home_imbalance_2pct=0.1,
        global_depth_bid_2pct_usd=200_000,
        global_depth_ask_2pct_usd=200_000,
        global_depth_2pct_usd=200_000,
        global_volume_24h_usd=5_000_000,
        home_share_depth=1.0,
        home_share_volume=1.0,
        circulating_supply=500_000_000,
        market_cap_usd=500_000_000,
        depth_truncated=False,
        venues=("binance",),
    )
    return dataclasses.replace(healthy, **figures)


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


def many_tokens(count: int, tier: str = "high") -> list[Token]:
    """``count`` at-risk tokens TOK0001…, scores descending from 99 (floored at 31)."""
    return [Token(f"TOK{i:04d}", tier, max(99 - i // 10, 31)) for i in range(1, count + 1)]


# Use-case results with round numbers, for the presenters.


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


def measured(
    exchange: str,
    symbol: str,
    mid: float,
    depth_2pct: tuple[float, float],
    depth_1pct: tuple[float, float] = (0.0, 0.0),
    volume: float | None = 0.0,
    spread_bps: float = 10.0,
    truncated: bool = False,
    usd_per_quote: float | None = 1.0,
) -> MarketMetrics:
    """``market`` in the shape the domain tests read best: the (bid, ask) ±2% and ±1% depths in
    USD, and nothing else measured (no volume, a 10 bps spread) unless given."""
    return market(
        symbol,
        exchange,
        mid=mid,
        bid_usd=depth_2pct[0],
        ask_usd=depth_2pct[1],
        bid_1pct_usd=depth_1pct[0],
        ask_1pct_usd=depth_1pct[1],
        volume_usd=volume,
        spread_bps=spread_bps,
        truncated=truncated,
        usd_per_quote=usd_per_quote,
    )


def failed(exchange: str, symbol: str, reason: str = "fetch failed") -> MarketMetrics:
    """A market whose book could not be measured, for ``reason``."""
    return market(symbol, exchange, error=reason)
