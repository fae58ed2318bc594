"""SPEC 4.2 aggregation, with sums worked out by hand."""

import pytest

from bot.domain.aggregate import (
    aggregate_token,
    group_by_token,
    home_faults,
    home_markets,
    min_side,
)
from bot.domain.metrics import compute_market_metrics, error_metrics
from bot.domain.models import MarketMetrics
from tests.builders import book, failed, measured, ref, ticker


def _foo_markets() -> list[MarketMetrics]:
    return [
        measured("binance", "FOO/USDT", 0.0091, (30_000, 20_000), (10_000, 8_000), 400_000, 20),
        measured("binance", "FOO/FDUSD", 0.00911, (5_000, 6_000), (2_000, 3_000), 100_000, 15),
        # BTC-quoted: mid in BTC, 1 BTC = $60,000, so the same $0.0091 a token.
        measured(
            "binance",
            "FOO/BTC",
            0.0091 / 60_000,
            (1_000, 1_000),
            (500, 500),
            10_000,
            40,
            usd_per_quote=60_000,
        ),
        measured("okx", "FOO/USDT", 0.0095, (40_000, 50_000), (0, 0), 600_000, truncated=True),
        measured("bybit", "FOO/USDT", 0.0123, (900_000, 900_000), (0, 0), 9_000_000),  # collision
        failed("okx", "FOO/USDC"),
        measured("gate", "FOO/XYZ", 3.0, (1_000, 1_000), usd_per_quote=None),
    ]


def test_home_and_global_sums_exclude_the_collision_venue() -> None:
    markets = _foo_markets()
    token = aggregate_token("FOO", markets, "binance", circulating_supply=1_000_000_000)
    assert token.markets == tuple(markets)  # error and excluded markets stay visible
    assert token.home_mid_usd == pytest.approx(0.0091)  # FOO/USDT: the deepest home pair
    assert token.home_spread_bps == 15
    assert token.home_depth_bid_2pct_usd == pytest.approx(36_000)
    assert token.home_depth_ask_2pct_usd == pytest.approx(27_000)
    assert token.home_depth_2pct_usd == pytest.approx(27_000)
    assert token.home_depth_1pct_usd == pytest.approx(18_000 + 5_000 + 1_000)
    assert token.home_volume_24h_usd == pytest.approx(510_000)
    assert token.home_imbalance_2pct == pytest.approx(9_000 / 63_000)
    assert token.global_depth_bid_2pct_usd == pytest.approx(76_000)
    assert token.global_depth_ask_2pct_usd == pytest.approx(77_000)
    assert token.global_depth_2pct_usd == pytest.approx(76_000)
    assert token.global_volume_24h_usd == pytest.approx(1_110_000)
    assert token.home_share_depth == pytest.approx(63_000 / 153_000)
    assert token.home_share_volume == pytest.approx(510_000 / 1_110_000)
    assert token.market_cap_usd == pytest.approx(9_100_000)
    assert token.circulating_supply == 1_000_000_000
    assert token.depth_truncated is True  # the okx book is a lower bound
    assert token.venues == ("binance", "okx")
    reasons = {(v.exchange, v.symbol): v.reason for v in token.excluded}
    assert reasons == {
        ("bybit", "FOO/USDT"): (
            "mid $0.0123 deviates 35.2% from home mid $0.0091 (ticker collision?)"
        ),
        ("gate", "FOO/XYZ"): "no USD rate for quote XYZ",
    }
    assert [m.symbol for m in home_markets(token)] == ["FOO/USDT", "FOO/FDUSD", "FOO/BTC"]


def test_reference_is_the_deepest_home_market() -> None:
    markets = [
        measured("binance", "FOO/USDT", 1.00, (1_000, 1_000)),
        measured("binance", "FOO/USDC", 1.05, (10_000, 10_000)),
        measured("okx", "FOO/USDT", 1.14, (5_000, 5_000)),  # 8.6% from 1.05, 14% from 1.00
    ]
    token = aggregate_token("FOO", markets, "binance", None)
    assert token.home_mid_usd == 1.05
    assert token.excluded == ()
    assert token.venues == ("binance", "okx")
    assert token.market_cap_usd is None


def test_deviation_threshold_is_configurable() -> None:
    markets = [
        measured("binance", "FOO/USDT", 1.0, (1, 1)),
        measured("okx", "FOO/USDT", 1.05, (1, 1)),
    ]
    assert aggregate_token("FOO", markets, "binance", None).excluded == ()
    strict = aggregate_token("FOO", markets, "binance", None, max_mid_deviation=0.04)
    assert [v.exchange for v in strict.excluded] == ["okx"]


def test_without_a_home_book_the_median_mid_is_the_reference() -> None:
    markets = [
        failed("binance", "BAR/USDT", "crossed book"),
        measured("okx", "BAR/USDT", 0.010, (2_000, 3_000), volume=50_000),
        measured("bybit", "BAR/USDT", 0.011, (4_000, 1_000), volume=70_000),
        measured("gate", "BAR/USDT", 0.030, (9_000, 9_000), volume=1_000_000),
    ]
    token = aggregate_token("BAR", markets, "binance", circulating_supply=5_000_000)
    assert token.home_mid_usd is None and token.market_cap_usd is None
    assert token.home_depth_2pct_usd is None and token.home_volume_24h_usd is None
    assert token.home_spread_bps is None and token.home_share_depth is None
    assert [(v.exchange, v.reason) for v in token.excluded] == [
        ("gate", "mid $0.03 deviates 173% from median mid $0.011 (ticker collision?)")
    ]
    assert token.global_depth_2pct_usd == pytest.approx(4_000)  # asks 3k + 1k < bids 6k
    assert token.global_volume_24h_usd == pytest.approx(120_000)
    assert token.venues == ("okx", "bybit")
    assert home_markets(token) == ()


def test_empty_bands_give_no_share_and_no_imbalance() -> None:
    token = aggregate_token("Z", [measured("binance", "Z/USDT", 1.0, (0, 0))], "binance", None)
    assert token.home_depth_2pct_usd == 0
    assert token.home_share_depth is None and token.home_imbalance_2pct is None


def test_only_error_markets() -> None:
    token = aggregate_token("Z", [failed("binance", "Z/USDT")], "binance", 1e6)
    assert token.global_depth_2pct_usd is None and token.global_volume_24h_usd is None
    assert token.venues == () and token.excluded == ()


def test_group_by_token_keeps_first_seen_order() -> None:
    a1, b1, a2 = (
        measured("binance", "A/USDT", 1, (1, 1)),
        failed("okx", "B/USDT"),
        failed("okx", "A/USDT"),
    )
    assert group_by_token([a1, b1, a2]) == {"A": [a1, a2], "B": [b1]}


def test_a_collision_is_judged_the_same_both_ways() -> None:
    # max(p/ref, ref/p) > 1.10: 0.905 is 10.5% under 1.0 (1/0.905 = 1.105), 1.095 only 9.5% over.
    markets = [
        measured("binance", "FOO/USDT", 1.0, (1_000, 1_000)),
        measured("okx", "FOO/USDT", 0.905, (1_000, 1_000)),
        measured("bybit", "FOO/USDT", 1.095, (1_000, 1_000)),
        measured("gate", "FOO/USDT", 0.91, (1_000, 1_000)),  # 1/0.91 = 1.0989: kept
    ]
    token = aggregate_token("FOO", markets, "binance", None)
    assert [(v.exchange, v.reason) for v in token.excluded] == [
        ("okx", "mid $0.905 deviates 10.5% from home mid $1 (ticker collision?)")
    ]
    assert token.venues == ("binance", "bybit", "gate")


def test_with_two_venues_and_no_home_book_nothing_is_excluded_but_a_disagreement_is_named() -> None:
    markets = [
        failed("binance", "BAR/USDT", "crossed book"),
        measured("okx", "BAR/USDT", 0.010, (2_000, 3_000)),
        measured("bybit", "BAR/USDT", 0.030, (4_000, 1_000)),
    ]
    token = aggregate_token("BAR", markets, "binance", None)
    assert token.excluded == () and token.venues == ("okx", "bybit")
    assert token.price_disagreement == (
        "prices disagree (okx $0.01, bybit $0.03) and no home book tells which is the token"
    )
    agreeing = [*markets[:2], measured("bybit", "BAR/USDT", 0.0105, (1, 1))]
    assert aggregate_token("BAR", agreeing, "binance", None).price_disagreement is None


def test_home_volume_and_price_count_when_the_home_book_is_unusable() -> None:
    # A crossed binance book traded $2.79M; its last trade at $0.02 still prices the token.
    crossed = compute_market_metrics(
        ref("BAR/USDT"),
        book([(0.0201, 10)], [(0.0199, 10)], symbol="BAR/USDT"),
        ticker(quote_volume=2_790_000, last=0.02, symbol="BAR/USDT"),
        1.0,
    )
    markets = [crossed, measured("okx", "BAR/USDT", 0.021, (5_000, 4_000), volume=100_000)]
    token = aggregate_token("BAR", markets, "binance", circulating_supply=1_000_000)
    assert home_markets(token) == () and token.home_listed
    assert [(f.symbol, f.reason) for f in home_faults(token)] == [
        ("BAR/USDT", "crossed book: best bid 0.0201 >= best ask 0.0199")
    ]
    assert token.home_volume_24h_usd == 2_790_000
    assert token.global_volume_24h_usd == pytest.approx(2_890_000)
    assert token.home_depth_2pct_usd is None and token.global_depth_2pct_usd == 4_000
    assert token.home_mid_usd == 0.02 and token.market_cap_usd == pytest.approx(20_000)


def test_an_empty_ask_side_counts_as_zero_depth_and_the_last_price_serves() -> None:
    no_asks = compute_market_metrics(
        ref("BAZ/USDT"),
        book([(0.99, 1_000), (0.985, 1_000)], [], symbol="BAZ/USDT"),
        ticker(quote_volume=50_000, last=1.0, symbol="BAZ/USDT"),
        1.0,
    )
    two_sided = measured("binance", "BAZ/USDC", 1.0, (300, 200), volume=10_000, spread_bps=80)
    okx = measured("okx", "BAZ/USDT", 1.2, (9_000, 9_000))  # 20% over the home price
    token = aggregate_token("BAZ", [no_asks, two_sided, okx], "binance", 1_000_000)
    assert home_markets(token) == (no_asks, two_sided) and home_faults(token) == ()
    assert token.home_depth_bid_2pct_usd == pytest.approx(990 + 985 + 300)
    assert token.home_depth_ask_2pct_usd == 200 and token.home_depth_2pct_usd == 200
    assert token.home_spread_bps == 80  # only the two-sided pair has a spread
    assert token.home_volume_24h_usd == 60_000
    # The reference is the deepest home book's price: no mid there, so its last trade.
    assert token.home_mid_usd == 1.0 and token.market_cap_usd == 1_000_000
    assert [v.exchange for v in token.excluded] == ["okx"]


def test_another_venue_failing_counts_for_volume_when_its_last_price_agrees() -> None:
    home = measured("binance", "FOO/USDT", 1.0, (1_000, 1_000), volume=10_000)
    fine = error_metrics(ref("FOO/USDT", "okx"), "timeout", ticker(20_000, last=1.02), 1.0)
    other = error_metrics(ref("FOO/USDC", "okx"), "timeout", ticker(40_000, last=3.0), 1.0)
    token = aggregate_token("FOO", [home, fine, other], "binance", None)
    assert token.global_volume_24h_usd == 30_000
    assert [(v.symbol, v.reason) for v in token.excluded] == [
        ("FOO/USDC", "last price $3 deviates 200% from home mid $1 (ticker collision?)")
    ]


def test_a_home_pair_without_a_usd_rate_is_a_fault_and_left_out() -> None:
    no_rate = measured("binance", "FOO/XYZ", 3.0, (1_000, 1_000), usd_per_quote=None)
    token = aggregate_token("FOO", [no_rate], "binance", None)
    assert home_markets(token) == ()
    assert [f.reason for f in home_faults(token)] == ["no USD rate for quote XYZ"]
    assert [v.reason for v in token.excluded] == ["no USD rate for quote XYZ"]


def test_min_side_is_the_token_depth() -> None:
    assert min_side(30_000, 20_000) == 20_000
    assert min_side(None, 20_000) is None
