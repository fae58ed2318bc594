"""SPEC 4.3 risk version 2: graded scores worked out by hand, reason texts, tiers, unrated."""

from dataclasses import fields

import pytest

from bot.domain.aggregate import aggregate_token
from bot.domain.metrics import compute_market_metrics, error_metrics
from bot.domain.models import MarketMetrics, MMStatus, TokenLiquidity
from bot.domain.risk import RiskRules, assess_risk
from bot.settings import RiskThresholds
from tests.builders import book, failed, liquidity, measured, ref, ticker

RULES = RiskRules()


def _token(truncated: bool = False, **figures: object) -> TokenLiquidity:
    """A healthy token on binance alone; ``figures`` override the aggregates under test."""
    home = measured("binance", "FOO/USDT", 1.0, (200_000, 200_000), truncated=truncated)
    return liquidity("FOO", markets=(home,), depth_truncated=truncated, **figures)


def test_rules_mirror_the_risk_settings() -> None:
    # Every RISK_ setting is a risk rule of the same name, or an alert rule (RISK_ALERT_…,
    # bot.usecases.alerts.alert_rules).
    names = {f.name for f in fields(RiskRules)}
    settings = RiskThresholds().model_dump()
    assert set(settings) - names == {name for name in settings if name.startswith("alert_")}
    assert RiskRules(**{k: v for k, v in settings.items() if k in names}) == RULES
    custom = RiskThresholds(min_depth_2pct_usd=25_000, tier_high=70).model_dump()
    assert RiskRules(**{k: v for k, v in custom.items() if k in names}).min_depth_2pct_usd == 25_000


@pytest.mark.parametrize("status", ["verified", "claimed", "observed", "unknown"])
def test_a_deep_tight_major_scores_zero_whatever_is_known_of_its_market_maker(
    status: MMStatus,
) -> None:
    risk = assess_risk(_token(), status, RULES)
    assert (risk.score, risk.tier, risk.reasons, risk.rules) == (0, "low", (), ())
    assert risk.symbol == "FOO" and risk.mm_status == status and risk.rated


@pytest.mark.parametrize("status", ["verified", "claimed", "observed", "unknown"])
def test_only_none_and_breached_add_market_maker_points(status: MMStatus) -> None:
    assert assess_risk(_token(), status, RULES).score == 0
    assert assess_risk(_token(), "breached", RULES).rules == ("mm_breached",)
    assert assess_risk(_token(), "none", RULES).rules == ("no_mm",)


def test_thin_token_scores_by_severity_and_orders_reasons() -> None:
    token = _token(
        home_depth_2pct_usd=4_300,
        home_spread_bps=180.0,
        home_volume_24h_usd=12_000,
        home_depth_1pct_usd=2_000,
        home_imbalance_2pct=0.0,
        market_cap_usd=None,
    )
    risk = assess_risk(token, "none", RULES)
    # depth 35·(1 − 4300/50000) = 31.99, volume 20·(1 − 0.12) = 17.6,
    # spread 20·max(0.5, 1 − 100/180) = 10, no_mm 10; no wash signal under the volume floor.
    assert risk.score == 70 and risk.tier == "high"  # 69.59
    assert risk.rules == ("low_depth", "low_volume", "wide_spread", "no_mm")
    assert risk.reasons == (
        "±2% depth $4.3k < $50k",
        "24h volume $12k < $100k",
        "spread 180 bps > 100 bps",
        "no market maker on record and no market-maker-like quoting observed",
    )


def test_a_token_far_past_the_thresholds_is_high_without_market_maker_points() -> None:
    token = _token(
        home_depth_2pct_usd=300,
        home_spread_bps=300.0,
        home_volume_24h_usd=3_000,
        home_depth_1pct_usd=100,
        home_imbalance_2pct=0.0,
        market_cap_usd=None,
    )
    risk = assess_risk(token, "unknown", RULES)
    # 35·(1 − 0.006) + 20·(1 − 100/300) + 20·(1 − 0.03) = 34.79 + 13.33 + 19.4 = 67.52
    assert (risk.score, risk.tier) == (68, "high")
    assert "market maker" not in " ".join(risk.reasons)


def test_every_rule_but_low_volume_fires_on_a_busy_token_far_below_the_thresholds() -> None:
    token = _token(
        home_depth_2pct_usd=1_000,
        home_spread_bps=400.0,
        home_volume_24h_usd=150_000,
        market_cap_usd=2_000_000,
        home_depth_1pct_usd=1_000,
        home_imbalance_2pct=-0.95,
        home_share_depth=0.02,
        venues=("binance", "okx"),
    )
    risk = assess_risk(token, "none", RULES)
    # depth 35·0.98 = 34.3, spread 20·0.75 = 15, no_mm 10, cap 10·0.8 = 8,
    # one-sided 10·(0.95 − 0.8)/0.2 = 7.5, wash 10·(1 − 50/150) = 6.67, home share 5·0.8 = 4.
    assert risk.score == 85 and risk.tier == "high"  # 85.47
    assert risk.rules == (
        "low_depth",
        "wide_spread",
        "no_mm",
        "small_market_cap",
        "one_sided",
        "wash_trading",
        "low_home_share",
    )
    assert risk.reasons[3:] == (
        "market cap $2M < $10M",
        "one-sided book (ask-heavy): |±2% imbalance| 0.95 > 0.8",
        "volume/±1% depth 150× > 50×",
        "home share of global ±2% depth 2% < 10%",
    )


def test_home_share_counts_only_when_the_token_trades_elsewhere() -> None:
    alone = assess_risk(_token(home_share_depth=0.02), "verified", RULES)
    assert "low_home_share" not in alone.rules
    shared = assess_risk(
        _token(home_share_depth=0.02, venues=("binance", "okx")), "verified", RULES
    )
    assert shared.rules == ("low_home_share",) and shared.score == 4  # 5 · (1 − 0.2)


def test_volume_against_an_empty_1pct_band_is_the_strongest_wash_signal() -> None:
    risk = assess_risk(_token(home_depth_1pct_usd=0.0), "verified", RULES)
    assert risk.rules == ("wash_trading",) and risk.score == 10
    assert risk.reasons == ("24h volume $5M against no ±1% depth (volume/±1% depth > 50×)",)
    thin = assess_risk(_token(home_depth_1pct_usd=20.0), "confirmed", RULES)
    assert thin.score == 10  # 10·(1 − 50/250,000) = 9.998: never more than an empty band


def test_small_volume_is_thinness_not_a_wash_signal() -> None:
    # $2.9k traded against $20 of ±1% depth (145×): low volume scores it, not wash trading.
    risk = assess_risk(
        _token(home_depth_1pct_usd=20.0, home_volume_24h_usd=2_900), "verified", RULES
    )
    assert risk.rules == ("low_volume",) and risk.score == 19  # 20 · 0.971


def test_the_wash_rule_no_longer_rewards_an_empty_band() -> None:
    # Risk v1: 199 bps with $20 of ±1% depth scored 10 more than 201 bps with none.
    def score(spread: float, depth_1pct: float) -> int | None:
        token = _token(
            home_spread_bps=spread, home_depth_1pct_usd=depth_1pct, home_volume_24h_usd=60_000
        )
        return assess_risk(token, "unknown", RULES).score

    # spread 20·max(0.5, 1 − 100/199) = 10, volume 20·max(0.5, 1 − 0.6) = 10; no wash signal
    assert score(199, 20.0) == 20
    assert score(201, 0.0) == 20  # spread 20·(1 − 100/201) = 10.05


def test_truncated_home_book_marks_depth_as_a_lower_bound() -> None:
    risk = assess_risk(_token(truncated=True, home_depth_2pct_usd=40_000), "verified", RULES)
    assert risk.reasons == ("±2% depth $40k < $50k (lower bound)",)
    assert risk.score == 18  # just below: half the weight, 17.5 rounded half up


@pytest.mark.parametrize(
    ("depth", "reason"),
    [
        (49_960, "±2% depth $49.96k < $50k"),
        (49_940, "±2% depth $49.9k < $50k"),
        (49_999.5, "±2% depth $49.9995k < $50k"),
    ],
)
def test_a_reason_never_reads_as_its_threshold(depth: float, reason: str) -> None:
    assert assess_risk(_token(home_depth_2pct_usd=depth), "confirmed", RULES).reasons == (reason,)


def test_spread_just_past_its_limit_shows_the_digits_that_matter() -> None:
    risk = assess_risk(_token(home_spread_bps=100.04), "confirmed", RULES)
    assert risk.reasons == ("spread 100.04 bps > 100 bps",) and risk.score == 10


def test_a_book_with_bids_only_reaches_the_full_one_sided_weight() -> None:
    risk = assess_risk(_token(home_imbalance_2pct=1.0), "confirmed", RULES)
    assert risk.rules == ("one_sided",) and risk.score == 10
    assert risk.reasons == ("one-sided book (bid-heavy): |±2% imbalance| 1 > 0.8",)
    just_past = assess_risk(_token(home_imbalance_2pct=0.81), "confirmed", RULES)
    assert just_past.score == 5  # half the weight just past the limit


def _no_asks(volume: float = 1_000_000) -> MarketMetrics:
    # Bids only: $9,900 at 0.99 and $9,800 at 0.98 around the last trade at $1.
    return compute_market_metrics(
        ref("BAZ/USDT"),
        book([(0.99, 10_000), (0.98, 10_000)], [], symbol="BAZ/USDT"),
        ticker(quote_volume=volume, last=1.0, symbol="BAZ/USDT"),
        1.0,
    )


def test_an_empty_ask_side_is_a_liquidity_fact_and_is_rated() -> None:
    token = aggregate_token("BAZ", [_no_asks()], "binance", None)
    risk = assess_risk(token, "unknown", RULES)
    # depth 35 + no spread 20 + one-sided 10 + wash 10·(1 − 50/101.01) = 5.05 → 70.05
    assert (risk.score, risk.tier) == (70, "high")
    assert risk.reasons == (
        "±2% depth $0 < $50k",
        "no spread: no two-sided book on binance",
        "no asks on binance: nobody can buy",
        "volume/±1% depth 101× > 50×",
    )


def test_an_empty_side_never_scores_less_than_asks_far_away() -> None:
    far = compute_market_metrics(
        ref("BAZ/USDT"),
        book([(0.99, 10_000), (0.98, 10_000)], [(1.5, 10)], symbol="BAZ/USDT"),
        ticker(quote_volume=1_000_000, last=1.0, symbol="BAZ/USDT"),
        1.0,
    )
    empty = assess_risk(aggregate_token("BAZ", [_no_asks()], "binance", None), "none", RULES)
    asks_far = assess_risk(aggregate_token("BAZ", [far], "binance", None), "none", RULES)
    assert asks_far.score is not None and empty.score is not None
    assert asks_far.score <= empty.score


def test_no_bids_and_no_asks_says_nobody_can_trade() -> None:
    nothing = compute_market_metrics(
        ref("BAZ/USDT"), book([], [], symbol="BAZ/USDT"), ticker(500, last=1.0), 1.0
    )
    risk = assess_risk(aggregate_token("BAZ", [nothing], "binance", None), "unknown", RULES)
    assert "no bids and no asks on binance: nobody can buy or sell" in risk.reasons
    assert risk.score == 85  # 35 + 20 + 10 + volume 20·0.995


def test_unknown_volume_is_a_reason_without_points() -> None:
    risk = assess_risk(_token(home_volume_24h_usd=None), "confirmed", RULES)
    assert (risk.score, risk.rules) == (0, ("unknown_volume",))
    assert risk.reasons == ("24h volume unknown on binance",)
    thin = assess_risk(_token(home_volume_24h_usd=None, home_spread_bps=150.0), "none", RULES)
    assert thin.rules == ("wide_spread", "no_mm", "unknown_volume")  # information comes last


@pytest.mark.parametrize(
    ("home", "reason"),
    [
        (
            failed("binance", "BAR/USDT", "crossed book: best bid 1.01 >= best ask 1"),
            "BAR/USDT on binance: crossed book: best bid 1.01 >= best ask 1",
        ),
        (
            failed("binance", "BAR/USDT", "locked book: best bid 1 >= best ask 1"),
            "BAR/USDT on binance: locked book: best bid 1 >= best ask 1",
        ),
        (
            failed("binance", "BAR/USDT", "non-positive ask price 0"),
            "BAR/USDT on binance: non-positive ask price 0",
        ),
        (
            error_metrics(ref("BAR/USDT"), "timeout after 10 s", ticker(2.79e6, last=1.0), 1.0),
            "BAR/USDT on binance: timeout after 10 s",
        ),
        (
            measured("binance", "BAR/BTC", 1.6e-5, (9e5, 9e5), usd_per_quote=None),
            "BAR/BTC on binance: no USD rate for quote BTC",
        ),
    ],
)
def test_no_usable_home_book_for_data_reasons_is_unrated(home: MarketMetrics, reason: str) -> None:
    token = aggregate_token("BAR", [home, measured("okx", "BAR/USDT", 1, (9e5, 9e5))], "binance", 1)
    risk = assess_risk(token, "none", RULES)
    assert (risk.score, risk.tier, risk.rated) == (None, "unrated", False)
    assert risk.reasons == (reason,) and risk.rules == ("data_fault",)


def test_unrated_names_every_faulty_home_market_and_a_price_disagreement() -> None:
    markets = [
        failed("binance", "BAR/USDT", "timeout after 10 s"),
        failed("binance", "BAR/USDC", "non-positive bid price 0"),
        measured("okx", "BAR/USDT", 1.0, (1, 1)),
        measured("bybit", "BAR/USDT", 2.0, (1, 1)),
    ]
    risk = assess_risk(aggregate_token("BAR", markets, "binance", None), "none", RULES)
    assert risk.tier == "unrated"
    assert risk.reasons == (
        "BAR/USDT on binance: timeout after 10 s",
        "BAR/USDC on binance: non-positive bid price 0",
        "prices disagree (okx $1, bybit $2) and no home book tells which is the token",
    )
    assert risk.rules == ("data_fault", "data_fault", "price_disagreement")


def test_a_token_the_home_exchange_does_not_list_is_not_assessed() -> None:
    token = aggregate_token("QUX", [measured("okx", "QUX/USDT", 1, (9e5, 9e5))], "binance", None)
    assert not token.home_listed
    with pytest.raises(ValueError, match="QUX is not listed on binance: not assessed"):
        assess_risk(token, "none", RULES)


def test_a_breached_market_maker_adds_the_market_maker_weight() -> None:
    risk = assess_risk(_token(), "breached", RULES)
    assert (risk.score, risk.rules) == (10, ("mm_breached",))
    assert risk.reasons == ("market maker on record is not meeting its obligations",)


@pytest.mark.parametrize(
    ("weight", "status", "tier"),
    [
        (60, "none", "high"),
        (59, "none", "medium"),
        (30, "breached", "medium"),
        (29, "none", "low"),
        (60, "unknown", "low"),
    ],
)
def test_tier_boundaries(weight: int, status: MMStatus, tier: str) -> None:
    risk = assess_risk(_token(), status, RiskRules(weight_no_mm=weight))
    expected = 0 if status == "unknown" else weight
    assert (risk.score, risk.tier) == (expected, tier)


def test_weight_zero_switches_a_rule_off_and_score_is_capped() -> None:
    off = assess_risk(_token(), "none", RiskRules(weight_no_mm=0))
    assert (off.score, off.rules) == (0, ())
    heavy = RiskRules(weight_depth=100, weight_no_mm=100)
    assert assess_risk(_token(home_depth_2pct_usd=0.0), "none", heavy).score == 100
