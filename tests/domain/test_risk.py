"""SPEC 4.3 risk rules: graded scores worked out by hand, reason texts and tiers."""

from dataclasses import replace

import pytest

from bot.domain.aggregate import aggregate_token
from bot.domain.models import MMStatus, RiskAssessment, Tier, TokenLiquidity
from bot.domain.risk import RiskRules, assess_risk, count_by_tier, is_at_risk, rank_at_risk
from bot.settings import RiskThresholds
from tests.domain.builders import failed, measured

RULES = RiskRules()


def _token(truncated: bool = False, **figures: object) -> TokenLiquidity:
    """A healthy token on binance alone; ``figures`` override the aggregates under test."""
    home = measured("binance", "FOO/USDT", 1.0, (200_000, 200_000), truncated=truncated)
    healthy = TokenLiquidity(
        symbol="FOO",
        home_exchange="binance",
        markets=(home,),
        excluded=(),
        home_mid_usd=1.0,
        home_spread_bps=10.0,
        home_depth_bid_2pct_usd=200_000,
        home_depth_ask_2pct_usd=200_000,
        home_depth_2pct_usd=200_000,
        home_depth_1pct_usd=300_000,
        home_volume_24h_usd=5_000_000,
        home_imbalance_2pct=0.1,
        global_depth_bid_2pct_usd=200_000,
        global_depth_ask_2pct_usd=200_000,
        global_depth_2pct_usd=200_000,
        global_volume_24h_usd=5_000_000,
        home_share_depth=1.0,
        home_share_volume=1.0,
        circulating_supply=500_000_000,
        market_cap_usd=500_000_000,
        depth_truncated=truncated,
        venues=("binance",),
    )
    return replace(healthy, **figures)  # type: ignore[arg-type]


def test_rules_mirror_the_risk_settings() -> None:
    assert RiskRules(**RiskThresholds().model_dump()) == RULES
    custom = RiskThresholds(min_depth_2pct_usd=25_000, tier_high=70)
    assert RiskRules(**custom.model_dump()).min_depth_2pct_usd == 25_000


def test_healthy_token_with_a_market_maker_scores_zero() -> None:
    risk = assess_risk(_token(), "verified", RULES)
    assert (risk.score, risk.tier, risk.reasons, risk.rules) == (0, "low", (), ())
    assert risk.symbol == "FOO" and risk.mm_status == "verified"


@pytest.mark.parametrize("status", ["verified", "claimed", "observed", "unknown"])
def test_only_none_and_breached_add_market_maker_points(status: MMStatus) -> None:
    assert assess_risk(_token(), status, RULES).score == 0
    assert assess_risk(_token(), "breached", RULES).rules == ("no_mm",)


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
    # depth 30·(1−4300/50000)=27.42, volume 15·(1−0.12)=13.2, no_mm 10,
    # spread 15·max(0.5, 1−100/180)=7.5; wash 12000/2000=6× is fine: 58.12 -> 58.
    assert risk.score == 58 and risk.tier == "medium"
    assert risk.rules == ("low_depth", "low_volume", "no_mm", "wide_spread")
    assert risk.reasons == (
        "±2% depth $4.3k < $50k",
        "24h volume $12k < $100k",
        "no market maker: none on record and no market-maker-like quoting observed",
        "spread 180 bps > 100 bps",
    )


def test_every_rule_fires_on_a_token_far_below_the_thresholds() -> None:
    token = _token(
        home_depth_2pct_usd=1_000,
        home_spread_bps=400.0,
        home_volume_24h_usd=5_000,
        market_cap_usd=2_000_000,
        home_depth_1pct_usd=50,
        home_imbalance_2pct=-0.95,
        home_share_depth=0.02,
        venues=("binance", "okx"),
    )
    risk = assess_risk(token, "breached", RULES)
    # 29.4 + 14.25 + 11.25 + 10 + 8 + 5 (100× vs 50×: 0.5) + 4 + 2.5 = 84.4
    assert risk.score == 84 and risk.tier == "high"
    assert risk.rules == (
        "low_depth",
        "low_volume",
        "wide_spread",
        "no_mm",
        "small_market_cap",
        "wash_trading",
        "low_home_share",
        "one_sided",
    )
    assert risk.reasons[3] == "market maker on record breached its obligations (see /mm)"
    assert risk.reasons[4] == "market cap $2M < $10M"
    assert risk.reasons[5] == "volume/±1% depth 100× > 50×"
    assert risk.reasons[6] == "home share of global ±2% depth 2.0% < 10.0%"
    assert risk.reasons[7] == "one-sided book: ±2% imbalance -0.95 (ask-heavy), beyond ±0.8"


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


def test_small_volume_against_an_empty_1pct_band_is_not_called_wash_trading() -> None:
    # $2.9k traded on a book whose spread is wider than 2%: thin, not washed.
    risk = assess_risk(
        _token(home_depth_1pct_usd=0.0, home_volume_24h_usd=2_900), "verified", RULES
    )
    assert "wash_trading" not in risk.rules


def test_truncated_home_book_marks_depth_as_a_lower_bound() -> None:
    risk = assess_risk(_token(truncated=True, home_depth_2pct_usd=40_000), "verified", RULES)
    assert risk.reasons == ("±2% depth $40k < $50k (lower bound)",)
    assert risk.score == 15  # just below: half the weight


def test_no_usable_home_book_is_maximally_risky_on_depth_spread_and_volume() -> None:
    markets = [
        failed("binance", "BAR/USDT", "crossed book"),
        measured("okx", "BAR/USDT", 1, (9e5, 9e5)),
    ]
    token = aggregate_token("BAR", markets, "binance", None)
    risk = assess_risk(token, "none", RULES)
    assert risk.score == 70 and risk.tier == "high"  # 30 + 15 + 15 + 10
    assert risk.rules == ("low_depth", "wide_spread", "low_volume", "no_mm")
    assert risk.reasons[0] == "no usable order book on binance"
    assert risk.reasons[1] == "spread n/a (no usable order book on binance)"


@pytest.mark.parametrize(
    ("weight", "status", "tier"),
    [(60, "none", "high"), (59, "none", "medium"), (30, "breached", "medium"), (29, "none", "low")],
)
def test_tier_boundaries(weight: int, status: MMStatus, tier: str) -> None:
    risk = assess_risk(_token(), status, RiskRules(weight_no_mm=weight))
    assert (risk.score, risk.tier) == (weight, tier)


def test_weight_zero_switches_a_rule_off_and_score_is_capped() -> None:
    off = assess_risk(_token(), "none", RiskRules(weight_no_mm=0))
    assert (off.score, off.rules) == (0, ())
    heavy = RiskRules(weight_depth=100, weight_no_mm=100)
    assert assess_risk(_token(home_depth_2pct_usd=0.0), "none", heavy).score == 100


def test_at_risk_lists_rank_the_riskiest_first_ties_by_symbol() -> None:
    def rated(symbol: str, score: int, tier: Tier) -> RiskAssessment:
        return RiskAssessment(symbol, score, tier, (), (), "none")

    batch = [rated("B", 70, "high"), rated("A", 70, "high"), rated("C", 40, "medium")]
    batch.append(rated("D", 10, "low"))
    assert [r.symbol for r in rank_at_risk(batch)] == ["A", "B", "C"]
    assert [r.symbol for r in rank_at_risk(batch, "medium")] == ["C"]
    assert count_by_tier(batch) == {"high": 2, "medium": 1}
    assert count_by_tier([]) == {"high": 0, "medium": 0}
    assert [is_at_risk(t) for t in ("high", "medium", "low")] == [True, True, False]
