import math

import pytest

from bot.domain.units import fmt_amount, fmt_bps, fmt_pct, fmt_price, fmt_ratio, fmt_usd


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4300.0, "$4.3k"),
        (1_250_000, "$1.25M"),
        (950, "$950"),
        (50_000, "$50k"),
        (12_345, "$12.3k"),
        (999_999, "$1M"),  # rounds up into the next suffix, never "$1000k"
        (2_500_000_000, "$2.5B"),
        (0, "$0"),
        (0.42, "$0.42"),
        (-4300, "-$4.3k"),
        (None, "n/a"),
        (math.nan, "n/a"),
    ],
)
def test_fmt_usd(value: float | None, text: str) -> None:
    assert fmt_usd(value) == text


def test_fmt_amount_uses_the_same_suffixes_without_a_dollar() -> None:
    assert fmt_amount(30_000_000) == "30M"
    assert fmt_amount(4.2e14) == "420T"
    assert fmt_amount(0.00001) == "0.00001"
    assert fmt_amount(None) == "n/a"


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0123, "$0.0123"), (0.0000012345, "$0.00000123"), (1.2345, "$1.234"), (64123.5, "$64,124")],
)
def test_fmt_price_keeps_micro_prices_readable(value: float, text: str) -> None:
    assert fmt_price(value) == text


def test_fmt_bps_pct_and_ratio() -> None:
    assert fmt_bps(12.345) == "12.3 bps"
    assert fmt_bps(180.4) == "180 bps"
    assert fmt_bps(None) == "n/a"
    assert fmt_pct(0.0412) == "4.1%"
    assert fmt_pct(0.35, 0) == "35%"
    assert fmt_pct(None) == "n/a"
    assert fmt_ratio(180.4) == "180×"
    assert fmt_ratio(2.35) == "2.4×"
    assert fmt_ratio(math.inf) == "n/a"
