"""Market-maker quoting: one snapshot's check, and a day's result built one snapshot at a time."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.aggregate import aggregate_token
from bot.domain.mm import (
    Obligations,
    QuotingSample,
    add_sample,
    close_day,
    home_sample,
    meets,
    quoting_days,
    quoting_sample,
)
from tests.builders import failed, measured

CRITERIA = Obligations(max_spread_bps=50.0, min_depth_usd=10_000.0, min_uptime=0.75)
T0 = datetime(2026, 11, 20, tzinfo=UTC)
GOOD = home_sample(T0, 20.0, 15_000.0, 12_000.0, empty_side=False)
WIDE = replace(GOOD, spread_bps=80.0)
THIN = replace(GOOD, depth_2pct_usd=9_000.0)
FAILED = home_sample(T0, None, None, None, empty_side=False)


def _hourly(start: datetime, kinds: list[QuotingSample]) -> list[QuotingSample]:
    return [replace(kind, taken_at=start + timedelta(hours=h)) for h, kind in enumerate(kinds)]


def test_a_snapshot_meets_the_obligations_on_both_sides_and_the_spread() -> None:
    assert GOOD.depth_2pct_usd == 12_000.0 and GOOD.two_sided and not GOOD.failed
    assert meets(GOOD, CRITERIA)
    edge = replace(GOOD, spread_bps=50.0, depth_2pct_usd=10_000.0)
    assert meets(edge, CRITERIA)  # the thresholds themselves are kept
    assert not meets(WIDE, CRITERIA) and not meets(THIN, CRITERIA)
    assert not meets(FAILED, CRITERIA)


def test_an_empty_side_is_a_fact_and_a_missing_book_a_failure() -> None:
    empty = home_sample(T0, None, None, None, empty_side=True)
    assert (empty.failed, empty.two_sided, empty.depth_2pct_usd) == (False, False, 0.0)
    assert not meets(empty, CRITERIA)
    assert FAILED.failed and FAILED.depth_2pct_usd is None
    one_sided = home_sample(T0, 30.0, 20_000.0, 0.0, empty_side=False)
    assert not one_sided.two_sided and not meets(one_sided, CRITERIA)


def test_the_sample_of_a_token_sums_its_home_pairs() -> None:
    markets = [
        measured("binance", "FOO/USDT", 1.0, (6_000.0, 7_000.0), spread_bps=20.0),
        measured("binance", "FOO/FDUSD", 1.0, (5_000.0, 5_000.0), spread_bps=35.0),
        measured("okx", "FOO/USDT", 1.0, (90_000.0, 90_000.0), spread_bps=5.0),
    ]
    sample = quoting_sample(aggregate_token("FOO", markets, "binance", None), T0)
    assert (sample.spread_bps, sample.depth_2pct_usd, sample.failed) == (20.0, 11_000.0, False)
    broken = [failed("binance", "FOO/USDT", "crossed book: best bid 2 >= best ask 1")]
    assert quoting_sample(aggregate_token("FOO", broken, "binance", None), T0).failed
    empty = [failed("binance", "FOO/USDT", "empty ask side of the order book")]
    one_sided = quoting_sample(aggregate_token("FOO", empty, "binance", None), T0)
    assert not one_sided.failed and one_sided.depth_2pct_usd == 0.0


def test_a_whole_day_is_judged_with_its_medians() -> None:
    kinds = [GOOD] * 17 + [WIDE] * 4 + [THIN] * 2 + [FAILED]
    [day] = quoting_days(_hourly(T0, kinds), CRITERIA, "UTC", 60)
    assert (day.day, day.snapshots, day.met, day.failed) == (date(2026, 11, 20), 23, 17, 1)
    assert day.coverage == 1.0 and day.judged
    assert not day.kept(0.75)  # 17 of the 23 counted: 73.9%
    assert day.kept(0.7)
    assert day.median_spread_bps == 20.0 and day.median_depth_2pct_usd == 12_000.0


def test_25_hours_of_history_is_no_whole_day() -> None:
    start = T0 + timedelta(hours=10)
    days = quoting_days(_hourly(start, [GOOD] * 26), CRITERIA, "UTC", 60)
    assert [d.day.day for d in days] == [20, 21]
    assert [d.judged for d in days] == [False, False]
    assert days[0].coverage == pytest.approx(14 / 24)


def test_a_day_missing_one_hourly_snapshot_is_whole_two_are_not() -> None:
    one = _hourly(T0, [GOOD] * 24)
    assert quoting_days(one[:12] + one[13:], CRITERIA, "UTC", 60)[0].judged
    assert not quoting_days(one[:12] + one[14:], CRITERIA, "UTC", 60)[0].judged


def test_days_are_the_teams_days_and_a_daylight_saving_day_has_25_hours() -> None:
    start = datetime(2026, 10, 24, 22, tzinfo=UTC)  # midnight of Oct 25 in Berlin (CEST)
    days = quoting_days(_hourly(start, [GOOD] * 25), CRITERIA, "Europe/Berlin", 60)
    assert [(d.day, d.snapshots, d.judged) for d in days] == [(date(2026, 10, 25), 25, True)]


def test_a_closed_day_keeps_its_medians_and_counts_on() -> None:
    [day] = quoting_days(_hourly(T0, [GOOD, WIDE, WIDE]), CRITERIA, "UTC", 60)
    closed = close_day(day)
    later = add_sample(closed, replace(GOOD, taken_at=T0 + timedelta(hours=5)), CRITERIA, "UTC", 60)
    assert (later.snapshots, later.met, later.median_spread_bps) == (4, 2, 80.0)
    assert later.spreads is None
    with pytest.raises(ValueError, match="added to"):
        add_sample(day, replace(GOOD, taken_at=T0 + timedelta(days=1)), CRITERIA, "UTC", 60)


@given(
    st.lists(st.sampled_from([GOOD, WIDE, THIN, FAILED]), min_size=1, max_size=30),
    st.randoms(use_true_random=False),
)
def test_the_day_does_not_depend_on_the_order_snapshots_arrive_in(
    kinds: list[QuotingSample], rng: object
) -> None:
    samples = _hourly(T0, kinds)
    shuffled = list(samples)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert quoting_days(shuffled, CRITERIA, "UTC", 60) == quoting_days(samples, CRITERIA, "UTC", 60)


@given(st.lists(st.sampled_from([GOOD, WIDE, THIN, FAILED]), min_size=1, max_size=24))
def test_a_snapshot_that_meets_the_obligations_never_makes_a_kept_day_missed(
    kinds: list[QuotingSample],
) -> None:
    [before] = quoting_days(_hourly(T0, kinds), CRITERIA, "UTC", 60)
    [after] = quoting_days(_hourly(T0, [GOOD, *kinds[1:]]), CRITERIA, "UTC", 60)
    assert after.met >= before.met and after.coverage == before.coverage
    assert after.kept(0.75) or not before.kept(0.75)
