"""The monitoring-tag review: the criteria, the grounds, and where decisions leave a token."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.review import (
    DecisionRecord,
    Grounds,
    ReviewRules,
    counted_from,
    grounds,
    meets_criteria,
    review_window,
    standing,
)

RULES = ReviewRules(floor_usd=50_000, min_days_under_floor=14, window_days=30, snooze_days=30)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _decision(id: int, decision: str, days_ago: float, until_days: float | None = None):
    at = NOW - timedelta(days=days_ago)
    until = at + timedelta(days=until_days) if until_days is not None else None
    return DecisionRecord(id, "ZORB", decision, "U_A", at, until, {})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("contribution", "stage", "mm_status", "expected"),
    [
        ("declined", "declined", "none", Grounds(contribution_declined=True)),
        ("pledged", "no response", "unknown", Grounds(no_response=True)),
        (None, "in talks", "breached", Grounds(mm_breached=True)),
        ("pledged", "in talks", "confirmed", Grounds()),
    ],
)
def test_each_ground_reads_the_state_it_is_given(
    contribution: str | None, stage: str, mm_status: str, expected: Grounds
) -> None:
    assert grounds(contribution, stage, mm_status) == expected


def test_both_halves_of_the_criteria_are_needed() -> None:
    declined = Grounds(contribution_declined=True)
    assert meets_criteria(14, RULES, declined)
    assert not meets_criteria(13, RULES, declined)
    assert not meets_criteria(30, RULES, Grounds())


def test_the_window_is_the_whole_days_before_today() -> None:
    assert review_window(date(2026, 11, 25), RULES) == (date(2026, 10, 26), date(2026, 11, 24))


def test_the_latest_decision_decides_where_a_token_stands() -> None:
    assert standing([], NOW) == "open"
    assert standing([_decision(1, "recommend", 3)], NOW) == "recommended"
    assert standing([_decision(1, "not_now", 3, until_days=30)], NOW) == "not_now"
    assert standing([_decision(1, "not_now", 31, until_days=30)], NOW) == "open"  # ran out
    later_clear = [_decision(1, "recommend", 5), _decision(2, "clear", 1)]
    assert standing(later_clear, NOW) == "open"
    assert standing([_decision(1, "recommend", -1)], NOW) == "open"  # not taken yet


def test_a_clear_restarts_the_count_the_day_after() -> None:
    first = date(2026, 10, 26)
    assert counted_from(first, [], NOW, "UTC") == first
    cleared = [_decision(1, "clear", 5), _decision(2, "not_now", 1, until_days=30)]
    assert counted_from(first, cleared, NOW, "UTC") == date(2026, 11, 21)
    assert counted_from(first, [_decision(1, "clear", 60)], NOW, "UTC") == first
