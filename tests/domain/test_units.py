import math

import pytest

from bot.domain.units import (
    digits_apart,
    fmt_amount,
    fmt_bps,
    fmt_pct,
    fmt_price,
    fmt_ratio,
    fmt_usd,
)


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


@pytest.mark.parametrize(
    ("value", "threshold", "digits"),
    [
        (4_300, 50_000, 3),  # "$4.3k" vs "$50k": apart at once
        (49_940, 50_000, 3),  # "$49.9k"
        (49_960, 50_000, 4),  # 3 digits round to 50.0k: "$49.96k"
        (49_999.9, 50_000, 6),  # "$49.9999k"
        (100.04, 100, 5),  # "100.04 bps", not "100 bps > 100 bps"
        (0.0999, 0.10, 3),  # "9.99%"
        (12_330, 12_345, 4),  # a threshold that rounds too: "$12.33k" vs "$12.34k"
    ],
)
def test_digits_apart_never_reads_as_equal(value: float, threshold: float, digits: int) -> None:
    assert digits_apart(value, threshold) == digits


def test_figures_with_more_significant_digits() -> None:
    assert fmt_usd(49_960, 4) == "$49.96k" and fmt_usd(50_000, 4) == "$50k"
    assert fmt_usd(49_999.9, 6) == "$49.9999k"
    assert fmt_usd(0.012345, 4) == "$0.01235"
    assert fmt_bps(100.04, significant=5) == "100.04 bps"
    assert fmt_bps(277.3, significant=3) == "277 bps"
    assert fmt_bps(2_626.4, significant=3) == "2,626 bps"  # never fewer than the integer digits
    assert fmt_pct(0.0999, significant=3) == "9.99%" and fmt_pct(0.1, significant=3) == "10%"
    assert fmt_ratio(50.4, significant=3) == "50.4×" and fmt_ratio(1_373.2, 3) == "1,373×"
