"""Contribution arithmetic: tokens, USD, the ±2%-depth multiple, what the home book absorbs, the
shortfall."""

import math
from datetime import UTC, datetime

import pytest

from bot.domain.contribution import DatedFigures, absorbable_usd, contribution, shortfall_tokens


def test_three_percent_of_supply_in_tokens_usd_and_depth_multiple() -> None:
    # 3% of 1e9 tokens = 3e7 tokens; at $0.002 that is $60k, 3× a $20k ±2% depth.
    pledge = contribution(3, 1_000_000_000, 0.002, 20_000)
    assert pledge.pct_of_supply == 3
    assert pledge.tokens == pytest.approx(30_000_000)
    assert pledge.usd == pytest.approx(60_000)
    assert pledge.depth_multiple == pytest.approx(3.0)


def test_unknown_price_or_depth_leaves_usd_figures_unknown() -> None:
    assert contribution(1, 500, None, 10_000).usd is None
    assert contribution(1, 500, None, 10_000).depth_multiple is None
    assert contribution(1, 500, 2.0, None).usd == pytest.approx(10.0)
    assert contribution(1, 500, 2.0, None).depth_multiple is None
    assert contribution(1, 500, 2.0, 0.0).depth_multiple is None
    assert contribution(1, 500, 0.0, 100.0).usd is None


def test_whole_supply_is_allowed() -> None:
    assert contribution(100, 42, 1.0, 84).depth_multiple == pytest.approx(0.5)


@pytest.mark.parametrize("pct", [0, -1, 100.0001, math.nan, math.inf])
def test_percentage_outside_0_100_is_rejected(pct: float) -> None:
    with pytest.raises(ValueError, match="0, 100"):
        contribution(pct, 1_000, 1.0, 1_000)


@pytest.mark.parametrize("supply", [0, -5, math.nan])
def test_non_positive_supply_is_rejected(supply: float) -> None:
    with pytest.raises(ValueError, match="supply"):
        contribution(3, supply, 1.0, 1_000)


def test_a_contribution_is_worth_what_the_home_book_absorbs_within_2pct() -> None:
    # 7.99M tokens at $0.0164 = $131k, but the home book holds $695 within ±2%.
    figures = DatedFigures(7_985_768.78, 0.0163739, 694.70, datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert figures.usd == pytest.approx(130_758.18, abs=0.01)
    assert figures.absorbable_usd == pytest.approx(694.70)
    assert DatedFigures(1_000, 2.0, 50_000, None).absorbable_usd == pytest.approx(2_000)
    assert DatedFigures(1_000, None, 50_000, None).absorbable_usd is None
    assert absorbable_usd(100.0, 0.0) == 0.0


def test_the_shortfall_is_what_was_agreed_and_not_received() -> None:
    assert shortfall_tokens(3_000, 2_500) == 500
    assert shortfall_tokens(3_000, 3_000) is None
    assert shortfall_tokens(3_000, 3_500) is None
    assert shortfall_tokens(None, 2_500) is None


def test_the_book_absorbs_a_contribution_up_to_its_depth() -> None:
    from bot.domain.contribution import absorbable_usd

    assert absorbable_usd(600_000, 40_000) == 40_000
    assert absorbable_usd(10_000, 40_000) == 10_000
    assert absorbable_usd(None, 40_000) is None and absorbable_usd(10_000, None) is None
