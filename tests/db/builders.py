"""Market figures for database tests: every field set to a distinct value, so a column mix-up in
a round trip shows."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.models import MarketMetrics

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def full_metrics(
    exchange: str = "binance",
    symbol: str = "PEPE/USDT",
    seed: float = 1.0,
    usd_per_quote: float = 1.0,
) -> MarketMetrics:
    """An ok market; every number derives from ``seed`` so markets and scans differ."""
    base, quote = symbol.split("/")
    bid, ask = 0.99 * seed, 1.01 * seed
    return MarketMetrics(
        exchange=exchange,
        symbol=symbol,
        base=base,
        quote=quote,
        status="ok",
        best_bid=bid,
        best_ask=ask,
        mid=seed,
        spread_bps=200.0,
        depth_bid_1pct=1000.5 * seed,
        depth_ask_1pct=1100.25 * seed,
        depth_bid_2pct=2000.125 * seed,
        depth_ask_2pct=2300.0625 * seed,
        depth_bid_1pct_usd=1000.5 * seed * usd_per_quote,
        depth_ask_1pct_usd=1100.25 * seed * usd_per_quote,
        depth_bid_2pct_usd=2000.125 * seed * usd_per_quote,
        depth_ask_2pct_usd=2300.0625 * seed * usd_per_quote,
        depth_truncated=seed > 2,
        imbalance_2pct=-0.0698,
        volume_24h_usd=123456.789 * seed,
        usd_per_quote=usd_per_quote,
        slippage_bps={
            "buy": {1000: 12.5, 10000: 48.0, 50000: None, 100000: None},
            "sell": {1000: 11.0, 10000: 51.25, 50000: 230.0, 100000: None},
        },
    )


def failed_metrics(
    exchange: str = "okx", symbol: str = "PEPE/USDT", error: str = "crossed book"
) -> MarketMetrics:
    base, quote = symbol.split("/")
    return MarketMetrics(exchange, symbol, base, quote, status="error", error=error)
