"""Plain data shared by every layer: order books, tickers, per-market metrics, per-token aggregates.

Frozen dataclasses, standard library only. Prices are in the market's quote currency, amounts in
base-token units, anything suffixed ``_usd`` is in US dollars, ``_bps`` in basis points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = tuple[float, float]
"""One order-book level: (price in quote currency, amount in base tokens)."""

SLIPPAGE_SIZES_USD: tuple[int, ...] = (1_000, 10_000, 50_000, 100_000)
"""Order sizes (USD of quote) for which slippage is reported."""

DEPTH_BANDS_PCT: tuple[int, ...] = (1, 2)

MarketStatus = Literal["ok", "error"]
Tier = Literal["high", "medium", "low", "unrated"]
"""``unrated``: no usable home book for data reasons (SPEC 4.3); never ranked with the risks."""
MMStatus = Literal["verified", "claimed", "breached", "observed", "none", "unknown"]
Side = Literal["buy", "sell"]
BookSide = Literal["bid", "ask"]


@dataclass(frozen=True, slots=True)
class OrderBook:
    """One fetched order book. Bids best (highest) first, asks best (lowest) first.

    ``limit`` is the number of levels per side that was requested; a side that returned that many
    levels may continue beyond what we see (see ``depth_truncated``). ``None`` = the full book.
    """

    exchange: str
    symbol: str
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]
    limit: int | None = None
    timestamp_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Ticker:
    """24h ticker figures of one market.

    ``quote_volume`` in quote currency, ``base_volume`` in base tokens, ``last`` in quote currency.
    """

    exchange: str
    symbol: str
    last: float | None
    base_volume: float | None
    quote_volume: float | None


@dataclass(frozen=True, slots=True)
class MarketRef:
    """A spot market of one exchange, e.g. binance PEPE/USDT."""

    exchange: str
    symbol: str
    base: str
    quote: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class MarketMetrics:
    """SPEC 4.1 figures of one market at one time.

    On ``status == "error"`` ``error`` says why (empty side, crossed book, fetch failure, …) and
    the book figures are None, except for an empty side, which is a liquidity fact: that side's
    depths are 0 and the other side is measured around the ticker's last price (see
    ``bot.domain.metrics``). The ticker's figures (``volume_24h_usd``, ``last_price``) are kept on
    error.
    """

    exchange: str
    symbol: str
    base: str
    quote: str
    status: MarketStatus
    error: str | None = None
    best_bid: float | None = None
    best_ask: float | None = None
    mid: float | None = None
    spread_bps: float | None = None
    depth_bid_1pct: float | None = None  # quote currency
    depth_ask_1pct: float | None = None
    depth_bid_2pct: float | None = None
    depth_ask_2pct: float | None = None
    depth_bid_1pct_usd: float | None = None
    depth_ask_1pct_usd: float | None = None
    depth_bid_2pct_usd: float | None = None
    depth_ask_2pct_usd: float | None = None
    depth_truncated: bool = False
    imbalance_2pct: float | None = None
    volume_24h_usd: float | None = None
    usd_per_quote: float | None = None
    last_price: float | None = None  # the ticker's last trade price, quote currency
    # {"buy": {1000: bps | None, ...}, "sell": {...}}; empty on error
    slippage_bps: dict[str, dict[int, float | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def mid_usd(self) -> float | None:
        if self.mid is None or self.usd_per_quote is None:
            return None
        return self.mid * self.usd_per_quote

    @property
    def price_usd(self) -> float | None:
        """USD price of one token here: the mid, or the ticker's last price where the book has
        no mid (an empty side, a crossed book, a failed fetch); None when neither is known."""
        price = self.mid if self.mid is not None else self.last_price
        if price is None or self.usd_per_quote is None:
            return None
        return price * self.usd_per_quote

    @property
    def measured(self) -> bool:
        """Both sides' ±2% depth are known in USD: an ok book with a USD rate, or one with an
        empty side. Anything else is a data fault (SPEC 4.3)."""
        return self.depth_bid_2pct_usd is not None and self.depth_ask_2pct_usd is not None

    @property
    def empty_sides(self) -> tuple[BookSide, ...]:
        """The sides of a measured book with no order at all, e.g. ``("ask",)``: nobody can buy.
        An ok book has both sides."""
        if self.ok or not self.measured:
            return ()
        sides: tuple[tuple[BookSide, float | None], ...] = (
            ("bid", self.best_bid),
            ("ask", self.best_ask),
        )
        return tuple(side for side, best in sides if best is None)


@dataclass(frozen=True)
class ExcludedVenue:
    """A market left out of a token's aggregates, with the reason (e.g. a ticker collision)."""

    exchange: str
    symbol: str
    reason: str


@dataclass(frozen=True)
class TokenLiquidity:
    """SPEC 4.2: one token's liquidity on the home exchange and across all tracked venues.

    ``*_depth_2pct_usd`` is the smaller of the two sides (bid, ask) summed over the markets, the
    figure the "low ±2% depth" rule uses; the per-side sums are kept too. Home book figures come
    from the usable (measured) home markets; ``home_volume_24h_usd`` from every home ticker, the
    book usable or not. ``home_mid_usd`` is the home reference price: the deepest home book's mid,
    or its ticker's last price where the mid is undefined (an empty side); with no usable home
    book, the home ticker's last price (market cap only). ``price_disagreement`` names venues
    whose prices disagree when there was no reference to tell which is the token.
    """

    symbol: str
    home_exchange: str
    markets: tuple[MarketMetrics, ...]
    excluded: tuple[ExcludedVenue, ...]
    home_mid_usd: float | None
    home_spread_bps: float | None  # tightest spread among the home markets
    home_depth_bid_2pct_usd: float | None
    home_depth_ask_2pct_usd: float | None
    home_depth_2pct_usd: float | None
    home_depth_1pct_usd: float | None  # bid + ask, for the volume/depth ratio
    home_volume_24h_usd: float | None
    home_imbalance_2pct: float | None
    global_depth_bid_2pct_usd: float | None
    global_depth_ask_2pct_usd: float | None
    global_depth_2pct_usd: float | None
    global_volume_24h_usd: float | None
    home_share_depth: float | None  # home / global ±2% depth, 0..1
    home_share_volume: float | None
    circulating_supply: float | None
    market_cap_usd: float | None
    depth_truncated: bool
    venues: tuple[str, ...]  # exchanges with at least one measured market included
    price_disagreement: str | None = None

    @property
    def home_listed(self) -> bool:
        """The home exchange lists the token (some home market, usable or not)."""
        return any(market.exchange == self.home_exchange for market in self.markets)


@dataclass(frozen=True)
class RiskAssessment:
    """SPEC 4.3 result: 0–100 score (higher = riskier), tier and the human-readable reasons.
    An ``unrated`` token has ``score`` None and reasons naming the data fault and the market."""

    symbol: str
    score: int | None
    tier: Tier
    reasons: tuple[str, ...]
    rules: tuple[str, ...]  # machine ids of the rules that fired, e.g. "low_depth"
    mm_status: MMStatus

    @property
    def rated(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class SupplyRecord:
    """Circulating supply (tokens) and market cap (USD) of one token, with where it came from."""

    symbol: str
    circulating_supply: float
    market_cap_usd: float | None = None
    name: str | None = None
    source: str = "import"
