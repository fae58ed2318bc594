"""SPEC 4.1 figures checked against books computed by hand (mid 100 unless said otherwise)."""

import pytest

from bot.domain.metrics import (
    STABLE_QUOTES,
    compute_market_metrics,
    error_metrics,
    usd_per_quote,
)
from tests.builders import book, ref, ticker


def test_single_level_book() -> None:
    m = compute_market_metrics(ref(), book([(99, 2)], [(101, 20)]), None, 1.0)
    assert m.status == "ok" and m.error is None
    assert (m.best_bid, m.best_ask, m.mid) == (99, 101, 100)
    assert m.spread_bps == pytest.approx(200)  # 10000 · 2 / 100
    assert m.depth_bid_1pct == pytest.approx(198) and m.depth_bid_2pct == pytest.approx(198)
    assert m.depth_ask_1pct == pytest.approx(2020) and m.depth_ask_2pct == pytest.approx(2020)
    assert m.imbalance_2pct == pytest.approx((198 - 2020) / (198 + 2020))
    # $1,000 buy fills inside the one ask level: vwap 101, 100 bps from mid; $10k cannot fill.
    assert m.slippage_bps["buy"] == {
        1_000: pytest.approx(100),
        10_000: None,
        50_000: None,
        100_000: None,
    }
    # The bid side holds $198: not even $1,000 can be sold.
    assert set(m.slippage_bps["sell"].values()) == {None}
    assert m.depth_truncated is False


def test_band_cuts_between_levels_and_includes_its_edge() -> None:
    bids = [(99.5, 10), (99.0, 10), (98.5, 10), (98.0, 10), (97.9, 10)]
    asks = [(100.5, 10), (101.0, 10), (101.5, 10), (102.0, 10), (102.1, 10)]
    m = compute_market_metrics(ref(), book(bids, asks), None, 1.0)
    assert m.mid == 100 and m.spread_bps == pytest.approx(100)
    assert m.depth_bid_1pct == pytest.approx(995 + 990)  # ≥ 99.0
    assert m.depth_bid_2pct == pytest.approx(995 + 990 + 985 + 980)  # ≥ 98.0; 97.9 is out
    assert m.depth_ask_1pct == pytest.approx(1005 + 1010)  # ≤ 101.0
    assert m.depth_ask_2pct == pytest.approx(1005 + 1010 + 1015 + 1020)  # ≤ 102.0; 102.1 is out
    assert m.depth_bid_2pct_usd == m.depth_bid_2pct  # USDT counts 1:1
    assert m.imbalance_2pct == pytest.approx((3950 - 4050) / 8000)


def test_slippage_walks_levels_and_takes_the_last_in_part() -> None:
    asks = [(101, 50), (102, 100), (104, 500)]  # $5,050 + $10,200 + $52,000 = $67,250
    m = compute_market_metrics(ref(), book([(99, 1_000)], asks), None, 1.0)
    buy = m.slippage_bps["buy"]
    vwap_10k = 10_000 / (50 + 4_950 / 102)
    vwap_50k = 50_000 / (50 + 100 + 34_750 / 104)
    assert buy[1_000] == pytest.approx(100)
    assert buy[10_000] == pytest.approx(10_000 * (vwap_10k - 100) / 100)
    assert buy[50_000] == pytest.approx(10_000 * (vwap_50k - 100) / 100)
    assert buy[100_000] is None  # more than the visible $67,250
    sell = m.slippage_bps["sell"]  # one bid level of $99,000 at 99: 100 bps for every fillable size
    assert sell[1_000] == pytest.approx(100) and sell[50_000] == pytest.approx(100)
    assert sell[100_000] is None


def test_size_equal_to_the_whole_side_still_fills() -> None:
    m = compute_market_metrics(
        ref(), book([(99, 10)], [(100.1, 5), (100.2, 5_000 / 100.2)]), None, 1
    )
    assert m.slippage_bps["buy"][1_000] is not None


@pytest.mark.parametrize(
    ("limit", "bids", "truncated"),
    [
        (3, [(99.5, 1), (99, 1), (98.5, 1)], True),  # 3 of 3 levels, last still inside ±2%
        (3, [(99.5, 1), (99, 1), (97, 1)], False),  # the book leaves the band: depth is complete
        (3, [(99.5, 1), (99, 1)], False),  # fewer levels than asked for: the whole side
        (None, [(99.5, 1), (99, 1), (98.5, 1)], False),  # full book fetched
    ],
)
def test_truncated_band(
    limit: int | None, bids: list[tuple[float, float]], truncated: bool
) -> None:
    asks = [(100.5, 1), (110, 1), (120, 1)]
    m = compute_market_metrics(ref(), book(bids, asks, limit=limit), None, 1.0)
    assert m.status == "ok"
    assert m.depth_truncated is truncated


def test_truncated_ask_side_alone_marks_the_market() -> None:
    bids = [(99.5, 1), (90, 1)]
    asks = [(100.5, 1), (101, 1)]
    assert compute_market_metrics(ref(), book(bids, asks, limit=2), None, 1.0).depth_truncated


@pytest.mark.parametrize(
    ("bids", "asks", "reason"),
    [
        ([(101, 1)], [(100, 1)], "crossed book"),
        ([(100, 1)], [(100, 1)], "locked book"),
        ([(0, 1)], [(101, 1)], "non-positive bid price"),
        ([(99, 1)], [(-101, 1)], "non-positive ask price"),
        ([(99, -1)], [(101, 1)], "negative bid amount"),
        ([(float("nan"), 1)], [(101, 1)], "non-finite bid level"),
    ],
)
def test_data_faults_are_error_markets_that_keep_the_ticker(
    bids: list[tuple[float, float]], asks: list[tuple[float, float]], reason: str
) -> None:
    tick = ticker(quote_volume=1e6, last=100.0)
    m = compute_market_metrics(ref(), book(bids, asks), tick, 1.0)
    assert m.status == "error" and not m.ok and not m.measured
    assert m.error is not None and reason in m.error
    assert (m.mid, m.spread_bps, m.depth_bid_2pct_usd, m.depth_ask_2pct_usd) == (None,) * 4
    assert m.slippage_bps == {}
    assert (m.exchange, m.symbol, m.base, m.quote) == ("binance", "FOO/USDT", "FOO", "USDT")
    # SPEC 4.1: the ticker's volume is still reported; its last price stands in for the mid.
    assert m.volume_24h_usd == 1e6 and m.last_price == 100.0 and m.price_usd == 100.0


def test_an_empty_ask_side_is_measured_around_the_last_price() -> None:
    # No asks: the mid is undefined, the bands centre on the last trade at 100 (1%: ≥ 99, 2%: ≥ 98).
    bids = [(99, 10), (98, 10), (96, 10)]
    m = compute_market_metrics(ref(), book(bids, []), ticker(quote_volume=5e4, last=100), 1.0)
    assert m.status == "error" and m.error == "empty ask side of the order book"
    assert m.measured and m.empty_sides == ("ask",)
    assert (m.best_bid, m.best_ask, m.mid, m.spread_bps) == (99, None, None, None)
    assert m.depth_bid_1pct_usd == pytest.approx(990)
    assert m.depth_bid_2pct_usd == pytest.approx(990 + 980)  # 96 is outside
    assert (m.depth_ask_1pct_usd, m.depth_ask_2pct_usd) == (0, 0)
    assert m.imbalance_2pct == 1.0
    assert m.volume_24h_usd == 5e4 and m.price_usd == 100
    assert m.slippage_bps == {}


def test_an_empty_side_without_a_ticker_centres_on_the_best_remaining_price() -> None:
    # No ticker: centre 101 (the best ask); 1% band ≤ 102.01, 2% band ≤ 103.02.
    asks = [(101, 1), (102, 1), (103, 1), (104, 1)]
    m = compute_market_metrics(ref(), book([], asks), None, 2.0)  # 1 quote = $2
    assert m.empty_sides == ("bid",) and m.error == "empty bid side of the order book"
    assert m.depth_ask_1pct == pytest.approx(101 + 102)
    assert m.depth_ask_2pct_usd == pytest.approx(2 * (101 + 102 + 103))
    assert m.depth_bid_2pct_usd == 0 and m.imbalance_2pct == -1.0
    assert m.price_usd is None  # no mid and no last trade: no price


def test_a_book_with_no_order_at_all_has_zero_depth_on_both_sides() -> None:
    m = compute_market_metrics(ref(), book([(99, 0)], []), ticker(1e5, last=1.0), 1.0)
    assert m.error == "empty bid and ask side of the order book"
    assert m.measured and m.empty_sides == ("bid", "ask")
    assert (m.depth_bid_2pct_usd, m.depth_ask_2pct_usd, m.imbalance_2pct) == (0, 0, None)


def test_an_empty_side_without_a_usd_rate_is_not_measured() -> None:
    m = compute_market_metrics(ref("FOO/XYZ"), book([(99, 1)], []), ticker(5.0), None)
    assert m.depth_bid_2pct == pytest.approx(99) and m.depth_bid_2pct_usd is None
    assert not m.measured and m.empty_sides == ()


def test_zero_amount_levels_are_ignored_and_misordered_sides_sorted() -> None:
    m = compute_market_metrics(ref(), book([(98, 1), (100, 0), (99, 1)], [(101, 1)]), None, 1.0)
    assert m.best_bid == 99 and m.mid == 100
    assert m.depth_bid_2pct == pytest.approx(99 + 98)


def test_btc_quoted_market_converts_through_usd_per_quote() -> None:
    # FOO/BTC: bid 0.000099, ask 0.000101 BTC, mid 0.0001 BTC; 1 BTC = $60,000.
    bids = [(0.000099, 2_000), (0.000097, 1_000)]  # 0.198 BTC inside ±1% and ±2%, 0.097 BTC out
    asks = [(0.000101, 1_000), (0.000102, 1_000)]  # 0.101 BTC ±1%, + 0.102 BTC ±2%
    rate = 60_000.0
    m = compute_market_metrics(ref("FOO/BTC"), book(bids, asks), ticker(quote_volume=3.0), rate)
    assert m.mid == pytest.approx(0.0001)
    assert m.mid_usd == pytest.approx(6.0)
    assert m.depth_bid_2pct == pytest.approx(0.198)
    assert m.depth_bid_2pct_usd == pytest.approx(0.198 * 60_000)
    assert m.depth_ask_1pct_usd == pytest.approx(0.101 * 60_000)
    assert m.depth_ask_2pct_usd == pytest.approx(0.203 * 60_000)
    assert m.volume_24h_usd == pytest.approx(180_000)
    # $1,000 = 1/60 BTC; the first ask level holds 0.101 BTC: vwap 0.000101, 100 bps.
    assert m.slippage_bps["buy"][1_000] == pytest.approx(100)
    # $10,000 = 1/6 BTC > 0.101 BTC: 0.101 at the first level, the rest at 0.000102.
    base = 1_000 + (1 / 6 - 0.101) / 0.000102
    vwap = (1 / 6) / base
    assert m.slippage_bps["buy"][10_000] == pytest.approx(10_000 * (vwap - 0.0001) / 0.0001)
    assert m.slippage_bps["buy"][50_000] is None  # the asks hold $12,180 in all


def test_unknown_usd_rate_keeps_quote_figures_only() -> None:
    m = compute_market_metrics(ref("FOO/XYZ"), book([(99, 1)], [(101, 1)]), ticker(5.0), None)
    assert m.status == "ok"
    assert m.depth_bid_2pct == pytest.approx(99)
    assert m.depth_bid_2pct_usd is None and m.volume_24h_usd is None and m.mid_usd is None
    assert m.slippage_bps == {
        "buy": dict.fromkeys((1_000, 10_000, 50_000, 100_000)),
        "sell": dict.fromkeys((1_000, 10_000, 50_000, 100_000)),
    }


@pytest.mark.parametrize(
    ("tick", "volume"),
    [
        (ticker(quote_volume=250_000), 250_000),
        (ticker(quote_volume=None, base_volume=1_000, last=2.5), 2_500),  # base × last fallback
        (ticker(quote_volume=None, base_volume=1_000, last=None), None),
        (ticker(quote_volume=None), None),
        (None, None),
    ],
)
def test_volume_24h_usd(tick: object, volume: float | None) -> None:
    m = compute_market_metrics(ref(), book([(99, 1)], [(101, 1)]), tick, 1.0)  # type: ignore[arg-type]
    assert m.volume_24h_usd == (pytest.approx(volume) if volume is not None else None)


def test_imbalance_is_none_when_both_2pct_depths_are_zero() -> None:
    m = compute_market_metrics(ref(), book([(90, 1)], [(110, 1)]), None, 1.0)  # 2000 bps wide
    assert m.depth_bid_2pct == 0 and m.depth_ask_2pct == 0
    assert m.imbalance_2pct is None


def test_usd_per_quote() -> None:
    assert sorted(STABLE_QUOTES) == ["FDUSD", "USD", "USDC", "USDT"]
    mids = {"BTC": 60_000.0, "ETH": 3_000.0, "BAD": 0.0}
    assert usd_per_quote("USDC", mids) == 1.0
    assert usd_per_quote("BTC", mids) == 60_000.0
    assert usd_per_quote("eth", mids) == 3_000.0
    assert usd_per_quote("BNB", mids) is None
    assert usd_per_quote("BAD", mids) is None


def test_error_metrics_for_fetch_failures() -> None:
    m = error_metrics(ref(exchange="okx"), "timeout after 10 s")
    assert (m.exchange, m.status, m.error, m.mid) == ("okx", "error", "timeout after 10 s", None)
    assert (m.volume_24h_usd, m.last_price, m.price_usd) == (None, None, None)


def test_error_metrics_keep_the_ticker_of_a_failed_fetch() -> None:
    # FOO/BTC at 1 BTC = $60,000: 2.5 BTC traded, last trade 0.0001 BTC = $6.
    tick = ticker(quote_volume=2.5, last=0.0001, symbol="FOO/BTC")
    m = error_metrics(ref("FOO/BTC"), "timeout after 10 s", tick, 60_000.0)
    assert m.volume_24h_usd == pytest.approx(150_000)
    assert m.price_usd == pytest.approx(6.0) and not m.measured
