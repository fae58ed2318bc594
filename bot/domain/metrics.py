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

A book that cannot be measured (an empty side, bid ≥ ask, a non-positive price, a negative amount)
is not an exception: the market comes back with ``status="error"`` and the reason, and the scan goes
on. Levels with amount 0 are ignored.

This runs for every market of every scan (thousands per run), so the book is walked once per side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

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


def error_metrics(ref: MarketRef, reason: str) -> MarketMetrics:
    """A market that could not be measured (fetch failure, unusable book): ``status="error"``,
    ``error=reason``, every figure None."""
    return MarketMetrics(
        exchange=ref.exchange,
        symbol=ref.symbol,
        base=ref.base,
        quote=ref.quote,
        status="error",
        error=reason,
    )


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
    problem = _book_problem("bid", book.bids) or _book_problem("ask", book.asks)
    if problem is not None:
        return error_metrics(ref, problem)
    # Sorting an already sorted side is linear; it guards the walk against a misordered feed.
    bids = sorted((level for level in book.bids if level[1] > 0), reverse=True)
    asks = sorted(level for level in book.asks if level[1] > 0)
    if not bids or not asks:
        empty = " and ".join(name for name, side in (("bid", bids), ("ask", asks)) if not side)
        return error_metrics(ref, f"empty {empty} side of the order book")
    best_bid, best_ask = bids[0][0], asks[0][0]
    if best_bid >= best_ask:
        kind = "locked" if best_bid == best_ask else "crossed"
        return error_metrics(ref, f"{kind} book: best bid {best_bid:g} >= best ask {best_ask:g}")

    mid = (best_bid + best_ask) / 2
    known_rate = usd_per_quote is not None and math.isfinite(usd_per_quote) and usd_per_quote > 0
    rate = usd_per_quote if known_rate else None
    bid_bounds = (mid * 0.99 * (1 - _EDGE), mid * 0.98 * (1 - _EDGE))
    ask_bounds = (mid * 1.01 * (1 + _EDGE), mid * 1.02 * (1 + _EDGE))
    bid_1, bid_2 = _side_depths(bids, *bid_bounds, is_bid=True)
    ask_1, ask_2 = _side_depths(asks, *ask_bounds, is_bid=False)
    truncated = _truncated(
        len(book.bids), bids[-1][0], book.limit, bid_bounds[1], is_bid=True
    ) or _truncated(len(book.asks), asks[-1][0], book.limit, ask_bounds[1], is_bid=False)
    volume = _volume_quote(ticker)

    def usd(value: float | None) -> float | None:
        return None if value is None or rate is None else value * rate

    slippage: dict[str, dict[int, float | None]]
    if rate is None:
        unknown: dict[int, float | None] = dict.fromkeys(SLIPPAGE_SIZES_USD)
        slippage = {"buy": unknown, "sell": dict(unknown)}
    else:
        targets = [(size, size / rate) for size in sorted(SLIPPAGE_SIZES_USD)]
        slippage = {"buy": _slippage(asks, mid, targets), "sell": _slippage(bids, mid, targets)}

    return MarketMetrics(
        exchange=ref.exchange,
        symbol=ref.symbol,
        base=ref.base,
        quote=ref.quote,
        status="ok",
        best_bid=best_bid,
        best_ask=best_ask,
        mid=mid,
        spread_bps=10_000 * (best_ask - best_bid) / mid,
        depth_bid_1pct=bid_1,
        depth_ask_1pct=ask_1,
        depth_bid_2pct=bid_2,
        depth_ask_2pct=ask_2,
        depth_bid_1pct_usd=usd(bid_1),
        depth_ask_1pct_usd=usd(ask_1),
        depth_bid_2pct_usd=usd(bid_2),
        depth_ask_2pct_usd=usd(ask_2),
        depth_truncated=truncated,
        imbalance_2pct=(bid_2 - ask_2) / (bid_2 + ask_2) if bid_2 + ask_2 > 0 else None,
        volume_24h_usd=usd(volume),
        usd_per_quote=rate,
        slippage_bps=slippage,
    )
