"""Market-maker status: quoting history summary and the status branches."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain.mm import QuotingSample, QuotingSummary, mm_status, summarize_quoting

S, D = 50.0, 10_000.0  # mm_max_spread_bps, mm_min_depth_2pct_usd

GOOD = QuotingSample(datetime(2024, 5, 1, tzinfo=UTC), True, spread_bps=20.0, depth_2pct_usd=15e3)
# Each misses one criterion: spread too wide, too little depth, one-sided (no spread, no depth).
MISSES = (
    replace(GOOD, spread_bps=80.0),
    replace(GOOD, depth_2pct_usd=9_000.0),
    replace(GOOD, two_sided=False, spread_bps=None, depth_2pct_usd=None),
)


def _day(day: int, good: int, bad: int) -> list[QuotingSample]:
    """Hourly samples on 2024-05-<day> UTC: ``good`` meeting the criteria, then ``bad`` missing."""
    start = datetime(2024, 5, day, tzinfo=UTC)
    kinds = [GOOD] * good + [MISSES[i % 3] for i in range(bad)]
    return [replace(kind, taken_at=start + timedelta(hours=h)) for h, kind in enumerate(kinds)]


def test_summary_counts_days_with_75_percent_of_samples_meeting_the_criteria() -> None:
    # 100%, 75% (qualifies), 25%; the misses: 2 wide spreads, 1 thin, 1 one-sided.
    samples = _day(1, 4, 0) + _day(2, 3, 1) + _day(3, 1, 3)
    summary = summarize_quoting(samples, S, D)
    assert (summary.samples, summary.days, summary.qualifying_days) == (12, 3, 2)
    assert summary.uptime == pytest.approx(8 / 12)
    assert summary.two_sided_uptime == pytest.approx(11 / 12)
    assert summary.median_spread_bps == 20.0  # nine at 20 bps, two at 80, one unknown
    assert summary.median_depth_2pct_usd == 15_000.0  # ten at $15k, one at $9k, one unknown


def test_boundary_values_meet_the_criteria() -> None:
    edge = replace(GOOD, spread_bps=S, depth_2pct_usd=D)
    assert summarize_quoting([edge], S, D).qualifying_days == 1


def test_days_are_utc_days() -> None:
    # 23:30 at UTC−2 on 1 May is 01:30 UTC on 2 May: the same UTC day as the second sample.
    minus_two = timezone(timedelta(hours=-2))
    samples = [
        replace(GOOD, taken_at=datetime(2024, 5, 1, 23, 30, tzinfo=minus_two)),
        replace(GOOD, taken_at=datetime(2024, 5, 2, 12, 0, tzinfo=UTC)),
        replace(GOOD, taken_at=datetime(2024, 5, 3, 0, 0)),  # naive = UTC
    ]
    assert summarize_quoting(samples, S, D).days == 2


def test_empty_history() -> None:
    summary = summarize_quoting([], S, D)
    assert summary == QuotingSummary(0, 0, 0, None, None, None, None)
    assert mm_status(False, False, summary, min_days=3) == "unknown"


def _history(days: int, qualifying: int) -> QuotingSummary:
    samples: list[QuotingSample] = []
    for day in range(1, days + 1):
        samples += _day(day, 4, 0) if day <= qualifying else _day(day, 1, 3)
    return summarize_quoting(samples, S, D)


@pytest.mark.parametrize(
    ("active", "recorded_none", "days", "qualifying", "status"),
    [
        (True, True, 0, 0, "confirmed"),  # an active engagement wins over everything
        (False, True, 5, 5, "none"),  # recorded as none, whatever the books look like
        (False, False, 2, 2, "unknown"),  # fewer than min_days of history
        (False, False, 4, 3, "observed"),  # 3 of 4 days = 75%
        (False, False, 3, 2, "none"),  # 2 of 3 days < 75%
    ],
)
def test_mm_status_branches(
    active: bool, recorded_none: bool, days: int, qualifying: int, status: str
) -> None:
    quoting = _history(days, qualifying)
    assert (quoting.days, quoting.qualifying_days) == (days, qualifying)
    assert mm_status(active, recorded_none, quoting, min_days=3) == status
