"""SPEC 4.1: the liquidity figures of one market from one order book and one 24h ticker.

Definitions (prices in quote currency, amounts in base tokens):

- ``mid = (best_bid + best_ask) / 2``; ``spread_bps = 10000 · (best_ask − best_bid) / mid``.
- ``depth_bid_{x}pct`` = Σ price·amount of bids priced ≥ mid·(1 − x/100), ``depth_ask_{x}pct`` =
  Σ price·amount of asks priced ≤ mid·(1 + x/100), x ∈ {1, 2}, in quote currency; the ``_usd``
  twins are × ``usd_per_quote``.
- ``depth_truncated``: the book was fetched with a level limit, a side returned that many levels and
  its last level is still inside the ±2% band, so the book may go on inside the band and the depth
  figures are lower bounds.
- ``imbalance_2pct = (bid − ask) / (bid + ask)`` of the 2% depths, in −1..1 (+1 = bids only).
- ``slippage_bps[side][N]``: fill N USD of quote by walking the asks (``buy``) or the bids
  (``sell``); ``10000 · |vwap − mid| / mid``; None when the visible book cannot fill N.
- ``volume_24h_usd``: the ticker's quote volume (else base volume × last price) × ``usd_per_quote``.

A book that cannot be measured (bid ≥ ask, a non-positive price, a negative amount) is not an
exception: the market comes back with ``status="error"`` and the reason, and the scan goes on; the
ticker's volume and last price are still reported. An empty side is an error market too (SPEC 4.1)
but a measured one, because it is a liquidity fact (SPEC 4.3): that side's depth is 0 and the
other side's depth is taken around the ticker's last price, the mid being undefined. Levels with
amount 0 are ignored.

This runs for every market of every scan (thousands per run), so the book is walked once per side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.domain.models import (
    SLIPPAGE_SIZES_USD,
    Level,
    MarketMetrics,
    MarketRef,
    OrderBook,
    Ticker,
)

STABLE_QUOTES: frozenset[str] = frozenset({"USDT", "USDC", "FDUSD", "USD"})
"""Quote assets counted 1:1 as US dollars."""

# A level priced exactly on a band edge counts, whatever the float rounding of mid · (1 ± x/100).
_EDGE = 1e-9

# A fill that matches the visible book to within float rounding still counts as filled.
_FILL_TOLERANCE = 1e-9


def usd_per_quote(quote: str, home_mids_usdt: Mapping[str, float]) -> float | None:
    """USD value of one unit of ``quote``: 1.0 for a stablecoin, otherwise the home exchange's
    ``<QUOTE>/USDT`` mid from ``home_mids_usdt`` (quote asset -> mid in USDT); None when unknown
    or not a positive number."""
    code = quote.upper()
    if code in STABLE_QUOTES:
        return 1.0
    mid = home_mids_usdt.get(code)
    if mid is None or not math.isfinite(mid) or mid <= 0:
        return None
    return float(mid)


def error_metrics(
    ref: MarketRef,
    reason: str,
    ticker: Ticker | None = None,
    usd_per_quote: float | None = None,
) -> MarketMetrics:
    """A market whose book could not be measured (fetch failure, crossed book, …):
    ``status="error"``, ``error=reason``, every book figure None. The ticker's figures still
    count (SPEC 4.1): ``volume_24h_usd`` when the USD rate is known, and ``last_price``."""
    rate = _known_rate(usd_per_quote)
    volume = _volume_quote(ticker)
    return MarketMetrics(
        exchange=ref.exchange,
        symbol=ref.symbol,
        base=ref.base,
        quote=ref.quote,
        status="error",
        error=reason,
        volume_24h_usd=None if volume is None or rate is None else volume * rate,
        usd_per_quote=rate,
        last_price=_last_price(ticker),
    )


def _known_rate(usd_per_quote: float | None) -> float | None:
    known = usd_per_quote is not None and math.isfinite(usd_per_quote) and usd_per_quote > 0
    return usd_per_quote if known else None


def _last_price(ticker: Ticker | None) -> float | None:
    last = ticker.last if ticker is not None else None
    return last if last is not None and math.isfinite(last) and last > 0 else None


def _book_problem(side: str, levels: Sequence[Level]) -> str | None:
    for price, amount in levels:
        if not (math.isfinite(price) and math.isfinite(amount)):
            return f"non-finite {side} level ({price}, {amount})"
        if price <= 0:
            return f"non-positive {side} price {price}"
        if amount < 0:
            return f"negative {side} amount {amount} at price {price}"
    return None


def _side_depths(
    levels: Sequence[Level], bound_1pct: float, bound_2pct: float, is_bid: bool
) -> tuple[float, float]:
    """Quote-currency notional of one side (sorted best first) inside the 1% and 2% bands."""
    depth_1 = 0.0
    depth_2 = 0.0
    for price, amount in levels:
        if (price < bound_2pct) if is_bid else (price > bound_2pct):
            break  # sorted best first: every further level is outside the band too
        notional = price * amount
        depth_2 += notional
        if (price >= bound_1pct) if is_bid else (price <= bound_1pct):
            depth_1 += notional
    return depth_1, depth_2


def _slippage(
    levels: Sequence[Level], mid: float, targets_quote: Sequence[tuple[int, float]]
) -> dict[int, float | None]:
    """Slippage in bps of filling each (size in USD, size in quote) on one side sorted best first.

    ``targets_quote`` is sorted by size, so one walk serves every size; a size the visible book
    cannot fill stays None.
    """
    result: dict[int, float | None] = {size: None for size, _ in targets_quote}
    filled_quote = 0.0
    filled_base = 0.0
    index = 0
    for price, amount in levels:
        notional = price * amount
        reachable = filled_quote + notional
        while index < len(targets_quote):
            size, target = targets_quote[index]
            if target > reachable * (1 + _FILL_TOLERANCE):
                break
            # The last level is taken only in part: what is left of the target, at this price.
            base = filled_base + min(amount, (target - filled_quote) / price)
            vwap = target / base
            result[size] = 10_000 * abs(vwap - mid) / mid
            index += 1
        if index == len(targets_quote):
            break
        filled_quote = reachable
        filled_base += amount
    return result


def _volume_quote(ticker: Ticker | None) -> float | None:
    if ticker is None:
        return None
    volume = ticker.quote_volume
    if volume is None and ticker.base_volume is not None and ticker.last is not None:
        # Some exchanges report no quote volume; base volume at the last price is the best proxy.
        volume = ticker.base_volume * ticker.last
    if volume is None or not math.isfinite(volume) or volume < 0:
        return None
    return volume


def _truncated(
    levels_returned: int, worst_price: float, limit: int | None, bound: float, is_bid: bool
) -> bool:
    if limit is None or levels_returned < limit:
        return False
    return worst_price >= bound if is_bid else worst_price <= bound


@dataclass(frozen=True)
class _Depths:
    """Quote-currency notional of each side inside the ±1% and ±2% bands of one centre price."""

    bid_1: float = 0.0
    bid_2: float = 0.0
    ask_1: float = 0.0
    ask_2: float = 0.0
    truncated: bool = False


def _depths(
    book: OrderBook, bids: Sequence[Level], asks: Sequence[Level], centre: float
) -> _Depths:
    """Both sides' depths around ``centre`` (the mid); an empty side has depth 0."""
    bid_bounds = (centre * 0.99 * (1 - _EDGE), centre * 0.98 * (1 - _EDGE))
    ask_bounds = (centre * 1.01 * (1 + _EDGE), centre * 1.02 * (1 + _EDGE))
    bid_1, bid_2 = _side_depths(bids, *bid_bounds, is_bid=True)
    ask_1, ask_2 = _side_depths(asks, *ask_bounds, is_bid=False)
    truncated = bool(bids) and _truncated(
        len(book.bids), bids[-1][0], book.limit, bid_bounds[1], is_bid=True
    )
    truncated = truncated or (
        bool(asks) and _truncated(len(book.asks), asks[-1][0], book.limit, ask_bounds[1], False)
    )
    return _Depths(bid_1, bid_2, ask_1, ask_2, truncated)


def _empty_side_metrics(
    ref: MarketRef,
    book: OrderBook,
    bids: Sequence[Level],
    asks: Sequence[Level],
    ticker: Ticker | None,
    rate: float | None,
) -> MarketMetrics:
    """A book with an empty side: a liquidity fact, not a data fault (SPEC 4.3). The market is an
    error market naming the side, yet measured: the empty side's depth is 0 and the other side's
    is taken around the ticker's last price (the mid is undefined), else around its own best
    price. No mid, spread or slippage."""
    empty = " and ".join(name for name, side in (("bid", bids), ("ask", asks)) if not side)
    base = error_metrics(ref, f"empty {empty} side of the order book", ticker, rate)
    remaining = bids or asks
    centre = (
        base.last_price if base.last_price is not None else (remaining[0][0] if remaining else None)
    )
    depths = _depths(book, bids, asks, centre) if centre is not None else _Depths()
    best_bid = bids[0][0] if bids else None
    best_ask = asks[0][0] if asks else None
    return _with_depths(base, depths, rate, best_bid, best_ask)


def _with_depths(
    market: MarketMetrics,
    depths: _Depths,
    rate: float | None,
    best_bid: float | None,
    best_ask: float | None,
) -> MarketMetrics:
    """``market`` with the book's best prices, depths (quote and USD) and ±2% imbalance."""

    def usd(value: float) -> float | None:
        return None if rate is None else value * rate

    both_2 = depths.bid_2 + depths.ask_2
    return replace(
        market,
        best_bid=best_bid,
        best_ask=best_ask,
        depth_bid_1pct=depths.bid_1,
        depth_ask_1pct=depths.ask_1,
        depth_bid_2pct=depths.bid_2,
        depth_ask_2pct=depths.ask_2,
        depth_bid_1pct_usd=usd(depths.bid_1),
        depth_ask_1pct_usd=usd(depths.ask_1),
        depth_bid_2pct_usd=usd(depths.bid_2),
        depth_ask_2pct_usd=usd(depths.ask_2),
        depth_truncated=depths.truncated,
        imbalance_2pct=(depths.bid_2 - depths.ask_2) / both_2 if both_2 > 0 else None,
    )


def compute_market_metrics(
    ref: MarketRef,
    book: OrderBook,
    ticker: Ticker | None,
    usd_per_quote: float | None,
) -> MarketMetrics:
    """SPEC 4.1 figures of one market (see the module docstring for every definition).

    ``usd_per_quote`` converts quote currency to USD (see :func:`usd_per_quote`); when it is None
    the ``_usd`` figures, the 24h volume and the slippage are None, the rest is still measured.
    Never raises on a bad book: returns ``status="error"`` with the reason instead.
    """
    rate = _known_rate(usd_per_quote)
    problem = _book_problem("bid", book.bids) or _book_problem("ask", book.asks)
    if problem is not None:
        return error_metrics(ref, problem, ticker, rate)
    # Sorting an already sorted side is linear; it guards the walk against a misordered feed.
    bids = sorted((level for level in book.bids if level[1] > 0), reverse=True)
    asks = sorted(level for level in book.asks if level[1] > 0)
    if not bids or not asks:
        return _empty_side_metrics(ref, book, bids, asks, ticker, rate)
    best_bid, best_ask = bids[0][0], asks[0][0]
    if best_bid >= best_ask:
        kind = "locked" if best_bid == best_ask else "crossed"
        reason = f"{kind} book: best bid {best_bid:g} >= best ask {best_ask:g}"
        return error_metrics(ref, reason, ticker, rate)

    mid = (best_bid + best_ask) / 2
    slippage: dict[str, dict[int, float | None]]
    if rate is None:
        unknown: dict[int, float | None] = dict.fromkeys(SLIPPAGE_SIZES_USD)
        slippage = {"buy": unknown, "sell": dict(unknown)}
    else:
        targets = [(size, size / rate) for size in sorted(SLIPPAGE_SIZES_USD)]
        slippage = {"buy": _slippage(asks, mid, targets), "sell": _slippage(bids, mid, targets)}
    volume = _volume_quote(ticker)
    market = MarketMetrics(
        exchange=ref.exchange,
        symbol=ref.symbol,
        base=ref.base,
        quote=ref.quote,
        status="ok",
        mid=mid,
        spread_bps=10_000 * (best_ask - best_bid) / mid,
        volume_24h_usd=None if volume is None or rate is None else volume * rate,
        usd_per_quote=rate,
        last_price=_last_price(ticker),
        slippage_bps=slippage,
    )
    return _with_depths(market, _depths(book, bids, asks, mid), rate, best_bid, best_ask)
