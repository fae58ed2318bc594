"""SPEC 4.3 monotonicity (hypothesis): all else equal, more depth on the thinner side or on both
sides, a narrower spread or a larger market cap never raises the score (every rule included: the
wash-trading ratio reads the ±1% depth, the one-sided rule the ±2% imbalance, the home share the
home and global depths). Tokens go through the real aggregation, one or two home pairs and maybe
another venue."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.aggregate import aggregate_token
from bot.domain.models import MarketMetrics, MMStatus
from bot.domain.risk import RiskRules, assess_risk
from tests.builders import measured

RULES = RiskRules()
_examples = settings(max_examples=200, deadline=None, derandomize=True)

# Empty, thin and deep books alike: the thresholds sit at $50k of depth and $100k of volume.
_usd = st.one_of(
    st.just(0.0), st.floats(min_value=0.0, max_value=100.0), st.floats(min_value=0.0, max_value=2e6)
)
_share = st.floats(min_value=0.0, max_value=1.0)
_band_share = st.one_of(st.just(0.0), _share)  # an empty ±1% band under a wide spread
_volume = st.one_of(
    st.none(), st.floats(min_value=0.0, max_value=2e5), st.floats(min_value=0.0, max_value=1e8)
)


@dataclass(frozen=True)
class Case:
    home: tuple[MarketMetrics, ...]
    others: tuple[MarketMetrics, ...]
    supply: float | None
    mm: MMStatus

    def score(
        self, home: Sequence[MarketMetrics] | None = None, supply: float | None = None
    ) -> int:
        markets = [*(self.home if home is None else home), *self.others]
        token = aggregate_token("FOO", markets, "binance", supply or self.supply)
        score = assess_risk(token, self.mm, RULES).score
        assert score is not None  # measured home books: always rated
        return score


@st.composite
def _pair(draw: st.DrawFn, symbol: str) -> MarketMetrics:
    bid2, ask2 = draw(_usd), draw(_usd)
    depth_1pct = (bid2 * draw(_band_share), ask2 * draw(_band_share))  # ±1% is inside ±2%
    spread = draw(st.floats(min_value=0.5, max_value=3_000.0))
    volume = draw(_volume)
    return measured("binance", symbol, 1.0, (bid2, ask2), depth_1pct, volume, spread)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    home = [draw(_pair("FOO/USDT"))]
    if draw(st.booleans()):
        home.append(draw(_pair("FOO/USDC")))
    others = []
    if draw(st.booleans()):
        others.append(measured("okx", "FOO/USDT", 1.0, (draw(_usd), draw(_usd)), volume=1e5))
    supply = draw(st.one_of(st.none(), st.floats(min_value=1e3, max_value=1e10)))
    mm = draw(st.sampled_from(["confirmed", "observed", "none", "unknown", "breached"]))
    return Case(tuple(home), tuple(others), supply, mm)


def _with_depths(
    m: MarketMetrics, bid: tuple[float, float], ask: tuple[float, float]
) -> MarketMetrics:
    """``m`` with (±1%, ±2%) USD depths per side (rate 1: quote figures alike)."""
    return replace(
        m,
        depth_bid_1pct=bid[0],
        depth_bid_2pct=bid[1],
        depth_ask_1pct=ask[0],
        depth_ask_2pct=ask[1],
        depth_bid_1pct_usd=bid[0],
        depth_bid_2pct_usd=bid[1],
        depth_ask_1pct_usd=ask[0],
        depth_ask_2pct_usd=ask[1],
    )


def _sides(m: MarketMetrics) -> tuple[tuple[float, float], tuple[float, float]]:
    return (
        (m.depth_bid_1pct_usd or 0.0, m.depth_bid_2pct_usd or 0.0),
        (m.depth_ask_1pct_usd or 0.0, m.depth_ask_2pct_usd or 0.0),
    )


@_examples
@given(cases(), _share, st.booleans())
def test_more_depth_on_the_thinner_side_never_raises_the_score(
    case: Case, fraction: float, near_the_touch: bool
) -> None:
    bids = sum(m.depth_bid_2pct_usd or 0.0 for m in case.home)
    asks = sum(m.depth_ask_2pct_usd or 0.0 for m in case.home)
    # Up to the thicker side's total, so the side stays the thinner one (or draws level).
    added = fraction * abs(bids - asks)
    first = case.home[0]
    bid, ask = _sides(first)
    grown = (bid[0] + added * near_the_touch, bid[1] + added)
    if bids <= asks:
        deeper = _with_depths(first, grown, ask)
    else:
        deeper = _with_depths(first, bid, (ask[0] + added * near_the_touch, ask[1] + added))
    assert case.score([deeper, *case.home[1:]]) <= case.score()


@_examples
@given(cases(), st.floats(min_value=1.0, max_value=100.0), _usd)
def test_more_depth_on_both_sides_never_raises_the_score(
    case: Case, factor: float, added: float
) -> None:
    scaled = []
    shifted = []
    for m in case.home:
        bid, ask = _sides(m)
        scaled.append(
            _with_depths(m, (bid[0] * factor, bid[1] * factor), (ask[0] * factor, ask[1] * factor))
        )
        shifted.append(
            _with_depths(m, (bid[0] + added, bid[1] + added), (ask[0] + added, ask[1] + added))
        )
    assert case.score(scaled) <= case.score()
    assert case.score(shifted) <= case.score()


@_examples
@given(cases(), st.floats(min_value=0.0, max_value=1.0))
def test_a_narrower_spread_never_raises_the_score(case: Case, factor: float) -> None:
    narrower = [replace(m, spread_bps=(m.spread_bps or 0.0) * factor) for m in case.home]
    assert case.score(narrower) <= case.score()


@_examples
@given(cases(), st.floats(min_value=1.0, max_value=1_000.0))
def test_a_larger_market_cap_never_raises_the_score(case: Case, factor: float) -> None:
    supply = case.supply or 1e6
    assert case.score(supply=supply * factor) <= case.score(supply=supply)
