"""SPEC 4.2 aggregation, with sums worked out by hand."""

import pytest

from bot.domain.aggregate import aggregate_token, group_by_token, home_markets
from bot.domain.models import MarketMetrics
from tests.builders import market

# What the markets of these tests leave unmeasured: no ±1% depth, no volume, a 10 bps spread.
UNMEASURED = {"bid_1pct_usd": 0.0, "ask_1pct_usd": 0.0, "volume_usd": 0.0, "spread_bps": 10.0}


def _foo_markets() -> list[MarketMetrics]:
    # fmt: off
    return [
        market("FOO/USDT", "binance", mid=0.0091, bid_usd=30_000, ask_usd=20_000,
               bid_1pct_usd=10_000, ask_1pct_usd=8_000, volume_usd=400_000, spread_bps=20),
        market("FOO/FDUSD", "binance", mid=0.00911, bid_usd=5_000, ask_usd=6_000,
               bid_1pct_usd=2_000, ask_1pct_usd=3_000, volume_usd=100_000, spread_bps=15),
        # BTC-quoted: mid in BTC, 1 BTC = $60,000, so the same $0.0091 a token.
        market("FOO/BTC", "binance", mid=0.0091 / 60_000, bid_usd=1_000, ask_usd=1_000,
               bid_1pct_usd=500, ask_1pct_usd=500, volume_usd=10_000, spread_bps=40,
               usd_per_quote=60_000),
        market("FOO/USDT", "okx", mid=0.0095, bid_usd=40_000, ask_usd=50_000,
               bid_1pct_usd=0, ask_1pct_usd=0, volume_usd=600_000, spread_bps=10, truncated=True),
        market("FOO/USDT", "bybit", mid=0.0123, bid_usd=900_000, ask_usd=900_000,  # collision
               bid_1pct_usd=0, ask_1pct_usd=0, volume_usd=9_000_000, spread_bps=10),
        market("FOO/USDC", "okx", error="fetch failed"),
        market("FOO/XYZ", "gate", mid=3.0, bid_usd=1_000, ask_usd=1_000, bid_1pct_usd=0,
               ask_1pct_usd=0, volume_usd=0, spread_bps=10, usd_per_quote=None),
    ]
    # fmt: on


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
            "mid $0.0123 deviates 35% from home mid $0.0091 (ticker collision?)"
        ),
        ("gate", "FOO/XYZ"): "no USD rate for quote XYZ",
    }
    assert [m.symbol for m in home_markets(token)] == ["FOO/USDT", "FOO/FDUSD", "FOO/BTC"]


def test_reference_is_the_deepest_home_market() -> None:
    markets = [
        market("FOO/USDT", mid=1.00, bid_usd=1_000, ask_usd=1_000, **UNMEASURED),
        market("FOO/USDC", mid=1.05, bid_usd=10_000, ask_usd=10_000, **UNMEASURED),
        # okx: 8.6% from 1.05, 14% from 1.00
        market("FOO/USDT", "okx", mid=1.14, bid_usd=5_000, ask_usd=5_000, **UNMEASURED),
    ]
    token = aggregate_token("FOO", markets, "binance", None)
    assert token.home_mid_usd == 1.05
    assert token.excluded == ()
    assert token.venues == ("binance", "okx")
    assert token.market_cap_usd is None


def test_deviation_threshold_is_configurable() -> None:
    markets = [
        market("FOO/USDT", mid=1.0, bid_usd=1, ask_usd=1, **UNMEASURED),
        market("FOO/USDT", "okx", mid=1.05, bid_usd=1, ask_usd=1, **UNMEASURED),
    ]
    assert aggregate_token("FOO", markets, "binance", None).excluded == ()
    strict = aggregate_token("FOO", markets, "binance", None, max_mid_deviation=0.04)
    assert [v.exchange for v in strict.excluded] == ["okx"]


def test_without_a_home_book_the_median_mid_is_the_reference() -> None:
    # fmt: off
    markets = [
        market("BAR/USDT", error="crossed book"),
        market("BAR/USDT", "okx", mid=0.010, bid_usd=2_000, ask_usd=3_000,
               bid_1pct_usd=0, ask_1pct_usd=0, volume_usd=50_000, spread_bps=10),
        market("BAR/USDT", "bybit", mid=0.011, bid_usd=4_000, ask_usd=1_000,
               bid_1pct_usd=0, ask_1pct_usd=0, volume_usd=70_000, spread_bps=10),
        market("BAR/USDT", "gate", mid=0.030, bid_usd=9_000, ask_usd=9_000,
               bid_1pct_usd=0, ask_1pct_usd=0, volume_usd=1_000_000, spread_bps=10),
    ]
    # fmt: on
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
    empty = market("Z/USDT", mid=1.0, bid_usd=0, ask_usd=0, **UNMEASURED)
    token = aggregate_token("Z", [empty], "binance", None)
    assert token.home_depth_2pct_usd == 0
    assert token.home_share_depth is None and token.home_imbalance_2pct is None


def test_only_error_markets() -> None:
    token = aggregate_token("Z", [market("Z/USDT", error="fetch failed")], "binance", 1e6)
    assert token.global_depth_2pct_usd is None and token.global_volume_24h_usd is None
    assert token.venues == () and token.excluded == ()


def test_group_by_token_keeps_first_seen_order() -> None:
    a1, b1, a2 = (
        market("A/USDT", mid=1, bid_usd=1, ask_usd=1, **UNMEASURED),
        market("B/USDT", "okx", error="fetch failed"),
        market("A/USDT", "okx", error="fetch failed"),
    )
    assert group_by_token([a1, b1, a2]) == {"A": [a1, a2], "B": [b1]}
