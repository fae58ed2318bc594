"""Small builders for domain tests: order books, tickers and already-measured markets."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.models import Level, MarketMetrics, MarketRef, OrderBook, Ticker


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
    """An ok market with the given USD figures (quote figures = USD / rate)."""
    base, quote = symbol.split("/")
    rate = usd_per_quote or 1.0
    bid2, ask2 = depth_2pct
    bid1, ask1 = depth_1pct
    return MarketMetrics(
        exchange=exchange,
        symbol=symbol,
        base=base,
        quote=quote,
        status="ok",
        mid=mid,
        spread_bps=spread_bps,
        depth_bid_1pct=bid1 / rate,
        depth_ask_1pct=ask1 / rate,
        depth_bid_2pct=bid2 / rate,
        depth_ask_2pct=ask2 / rate,
        depth_bid_1pct_usd=bid1 if usd_per_quote else None,
        depth_ask_1pct_usd=ask1 if usd_per_quote else None,
        depth_bid_2pct_usd=bid2 if usd_per_quote else None,
        depth_ask_2pct_usd=ask2 if usd_per_quote else None,
        depth_truncated=truncated,
        volume_24h_usd=volume if usd_per_quote else None,
        usd_per_quote=usd_per_quote,
    )


def failed(exchange: str, symbol: str, reason: str = "fetch failed") -> MarketMetrics:
    base, quote = symbol.split("/")
    return MarketMetrics(exchange, symbol, base, quote, status="error", error=reason)
