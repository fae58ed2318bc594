"""Invariants of SPEC 4.1 on random uncrossed books (hypothesis)."""

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.metrics import compute_market_metrics
from bot.domain.models import SLIPPAGE_SIZES_USD, Level, OrderBook
from tests.builders import ref

_steps = st.lists(
    st.tuples(
        st.floats(min_value=1e-4, max_value=0.01),  # relative gap to the previous level
        st.floats(min_value=0.0, max_value=5_000.0),  # amount in base tokens (0 = ignored)
    ),
    min_size=1,
    max_size=40,
)


@st.composite
def uncrossed_books(draw: st.DrawFn) -> OrderBook:
    best_bid = draw(st.floats(min_value=1e-6, max_value=100_000.0))
    gap = draw(st.floats(min_value=1e-5, max_value=0.05))
    best_ask = best_bid * (1 + gap)
    bids: list[Level] = [(best_bid, draw(st.floats(min_value=0.001, max_value=5_000.0)))]
    asks: list[Level] = [(best_ask, draw(st.floats(min_value=0.001, max_value=5_000.0)))]
    for step, amount in draw(_steps):
        bids.append((bids[-1][0] * (1 - step), amount))
    for step, amount in draw(_steps):
        asks.append((asks[-1][0] * (1 + step), amount))
    return OrderBook("binance", "FOO/USDT", tuple(bids), tuple(asks))


_rates = st.floats(min_value=1e-4, max_value=100_000.0)

# Derandomized: the same examples on every run and machine, and no example database on disk.
_examples = settings(max_examples=100, deadline=None, derandomize=True)


@_examples
@given(uncrossed_books(), _rates)
def test_spread_is_positive_and_depth_monotone_in_band_width(book: OrderBook, rate: float) -> None:
    m = compute_market_metrics(ref(), book, None, rate)
    assert m.status == "ok"
    assert m.spread_bps is not None and m.spread_bps > 0
    for narrow, wide in (
        (m.depth_bid_1pct, m.depth_bid_2pct),
        (m.depth_ask_1pct, m.depth_ask_2pct),
        (m.depth_bid_1pct_usd, m.depth_bid_2pct_usd),
        (m.depth_ask_1pct_usd, m.depth_ask_2pct_usd),
    ):
        assert narrow is not None and wide is not None
        assert 0 <= narrow <= wide
    assert m.imbalance_2pct is None or -1 <= m.imbalance_2pct <= 1


@_examples
@given(uncrossed_books(), _rates)
def test_depth_usd_is_depth_in_quote_times_the_rate(book: OrderBook, rate: float) -> None:
    m = compute_market_metrics(ref(), book, None, rate)
    pairs = (
        (m.depth_bid_1pct, m.depth_bid_1pct_usd),
        (m.depth_ask_1pct, m.depth_ask_1pct_usd),
        (m.depth_bid_2pct, m.depth_bid_2pct_usd),
        (m.depth_ask_2pct, m.depth_ask_2pct_usd),
    )
    for quote, usd in pairs:
        assert quote is not None and usd is not None
        assert math.isclose(usd, quote * rate, rel_tol=1e-12)


@_examples
@given(uncrossed_books(), _rates)
def test_slippage_grows_with_size_and_is_at_least_half_the_spread(
    book: OrderBook, rate: float
) -> None:
    m = compute_market_metrics(ref(), book, None, rate)
    assert m.spread_bps is not None
    for side in ("buy", "sell"):
        figures = [m.slippage_bps[side][size] for size in sorted(SLIPPAGE_SIZES_USD)]
        # Once a size cannot be filled, no larger size can.
        known = [f for f in figures if f is not None]
        assert figures[: len(known)] == known
        for smaller, larger in itertools.pairwise(known):
            assert larger >= smaller * (1 - 1e-9)
        for figure in known:
            # The vwap is never better than the best price, which sits half a spread from mid.
            assert figure >= m.spread_bps / 2 * (1 - 1e-9)
