"""Daily figures of a token and the depth before/after a moment, by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.history import (
    DailyLiquidity,
    DepthSample,
    daily_liquidity,
    days_under_floor,
    depth_change,
)


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


SAMPLES = [
    DepthSample(_at(24, 1), 1_000, 3_000, 200),
    DepthSample(_at(24, 9), 9_000, None, 100),  # no global figure that scan
    DepthSample(_at(24, 17), 4_000, 5_000, None),
    DepthSample(_at(24, 23), 2_000, 4_000, 50),  # 00:00 on the 25th in Berlin
    DepthSample(_at(25, 8), None, None, None),  # a scan with no usable home book
]


def test_a_day_is_the_median_of_its_scans_in_the_teams_zone() -> None:
    utc = daily_liquidity(SAMPLES, "UTC")
    assert utc == (
        # 24th: depth median of 1k, 9k, 4k, 2k = (2k + 4k) / 2; global of 3k, 5k, 4k = 4k;
        # spread of 200, 100, 50 = 100.
        DailyLiquidity(date(2026, 11, 24), 4, 3_000, 4_000, 100),
        DailyLiquidity(date(2026, 11, 25), 1, None, None, None),
    )
    berlin = daily_liquidity(SAMPLES, "Europe/Berlin")
    assert [(d.day, d.scans, d.home_depth_2pct_usd) for d in berlin] == [
        (date(2026, 11, 24), 3, 4_000),
        (date(2026, 11, 25), 2, 2_000),
    ]


def _days(depths: dict[int, float | None]) -> list[DailyLiquidity]:
    return [
        DailyLiquidity(date(2026, 11, day), 1, depth, None, None)
        for day, depth in sorted(depths.items())
    ]


def test_days_under_the_floor_count_known_figures_inside_the_window() -> None:
    days = _days({1: 10_000, 2: 49_999, 3: 50_000, 4: None, 5: 1_000, 9: 0})
    found = days_under_floor(days, 50_000, date(2026, 11, 2), date(2026, 11, 8))
    assert found == (date(2026, 11, 2), date(2026, 11, 5))  # 1st and 9th outside, 3rd = floor


def test_depth_change_compares_the_days_on_either_side_of_the_moment() -> None:
    # Before the 10th: days 3..9 (the 2nd is 8 days before); after: 11..17; the 10th is neither.
    days = _days({2: 1, 3: 4_000, 5: 2_000, 9: 6_000, 10: 999_999, 11: 30_000, 17: 50_000, 18: 1})
    change = depth_change(days, date(2026, 11, 10))
    assert (change.before_usd, change.before_days) == (4_000, 3)
    assert (change.after_usd, change.after_days) == (40_000, 2)
    assert change.change == 9.0 and not change.complete
    assert depth_change(days, date(2026, 11, 20)).change is None  # no day before in reach


def test_a_complete_comparison_has_every_day() -> None:
    moment = date(2026, 11, 10)
    days = [
        DailyLiquidity(moment + timedelta(days=offset), 1, 100.0, None, None)
        for offset in range(-7, 8)
    ]
    assert depth_change(days, moment).complete
