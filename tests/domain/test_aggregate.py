"""SPEC 4.2 aggregation, with sums worked out by hand."""

import pytest

from bot.domain.aggregate import aggregate_token, group_by_token, home_markets
from bot.domain.models import MarketMetrics
from tests.domain.builders import failed, measured


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
            "mid $0.0123 deviates 35% from home mid $0.0091 (ticker collision?)"
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
