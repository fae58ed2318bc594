"""The moment, the people, settings, what the exchanges send and measured figures."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.models import (
    Level,
    MarketMetrics,
    MarketRef,
    OrderBook,
    Ticker,
    TokenLiquidity,
)
from bot.settings import Settings, load_settings
from bot.usecases.outreach import Actor

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
