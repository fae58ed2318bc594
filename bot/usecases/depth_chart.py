"""The data behind `/liquidity TOKEN chart`: cumulative depth of the token's home order book.

The chart shows the home market with the most ±2% depth (the one whose mid is the token's
reference price, see ``bot.domain.aggregate``): for each side, from the best price outwards to
``band_pct`` % from the mid, the price in USD and the cumulative depth in USD up to that level.
The Slack layer draws the PNG from these points; nothing here knows about images. The use case
that fetches the book is ``bot.usecases.token.depth_chart``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.models import Level, MarketMetrics, OrderBook
from bot.market.results import ExchangeSnapshot

CHART_BAND_PCT = 5.0
"""How far from the mid (in %) the chart reaches on each side."""

DepthPoint = tuple[float, float]
"""(price in USD, cumulative depth in USD from the best price to this level)."""


@dataclass(frozen=True)
class DepthChart:
    """Cumulative depth of one home market: ``bids`` best (highest) price first, ``asks`` best
    (lowest) first, each within ``band_pct`` % of ``mid_usd``."""

    exchange: str
    symbol: str
    mid_usd: float
    band_pct: float
    bids: tuple[DepthPoint, ...]
    asks: tuple[DepthPoint, ...]


def cumulative_depth(
    levels: Sequence[Level], usd_per_quote: float, limit_price: float, is_bid: bool
) -> tuple[DepthPoint, ...]:
    """Levels (best first, price in quote currency) up to ``limit_price`` as (price USD,
    cumulative USD) points; levels with a zero amount are skipped."""
    points: list[DepthPoint] = []
    total = 0.0
    for price, amount in levels:
        if (price < limit_price) if is_bid else (price > limit_price):
            break
        if amount <= 0:
            continue
        total += price * amount * usd_per_quote
        points.append((price * usd_per_quote, total))
    return tuple(points)


def chart_of(
    book: OrderBook, market: MarketMetrics, band_pct: float = CHART_BAND_PCT
) -> DepthChart | None:
    """The depth chart of one measured market's book (None when the market has no USD mid)."""
    rate, mid = market.usd_per_quote, market.mid
    if not market.ok or rate is None or mid is None:
        return None
    bids = sorted(book.bids, reverse=True)
    asks = sorted(book.asks)
    return DepthChart(
        exchange=market.exchange,
        symbol=market.symbol,
        mid_usd=mid * rate,
        band_pct=band_pct,
        bids=cumulative_depth(bids, rate, mid * (1 - band_pct / 100), is_bid=True),
        asks=cumulative_depth(asks, rate, mid * (1 + band_pct / 100), is_bid=False),
    )


def _deepest(metrics: Sequence[MarketMetrics], exchange: str) -> MarketMetrics | None:
    home = [m for m in metrics if m.ok and m.exchange == exchange and m.mid_usd is not None]
    return max(
        home,
        key=lambda m: (m.depth_bid_2pct_usd or 0.0) + (m.depth_ask_2pct_usd or 0.0),
        default=None,
    )


def depth_chart_from_book(
    home: ExchangeSnapshot, metrics: Sequence[MarketMetrics]
) -> DepthChart | None:
    """The chart of the deepest home market among ``metrics``, from the book in ``home``."""
    market = _deepest(metrics, home.exchange)
    book = home.books.get(market.symbol) if market else None
    if market is None or not isinstance(book, OrderBook):
        return None
    return chart_of(book, market)
