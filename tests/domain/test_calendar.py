"""The team's calendar: the team's day and midnight in TIMEZONE, whole days between moments, ISO
weeks."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import (
    iso_week,
    previous_iso_week,
    team_day,
    team_day_start,
    week_monday,
    week_span,
    whole_days_between,
)

LATE_UTC = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


def test_the_teams_day_is_the_date_in_its_zone() -> None:
    assert team_day(LATE_UTC, "UTC") == date(2026, 11, 25)
    assert team_day(LATE_UTC, "Europe/Berlin") == date(2026, 11, 26)  # 00:30 CET
    assert team_day(LATE_UTC, "America/New_York") == date(2026, 11, 25)


def test_the_teams_midnight_is_in_its_zone() -> None:
    start = team_day_start(LATE_UTC, "Europe/Berlin")
    assert start == datetime(2026, 11, 26, tzinfo=ZoneInfo("Europe/Berlin"))
    assert start.astimezone(UTC) == datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


def test_the_teams_midnight_on_a_daylight_saving_day() -> None:
    # 2026-03-29: Berlin moves from CET (+1) to CEST (+2) at 02:00; midnight is still +1.
    noon = datetime(2026, 3, 29, 12, tzinfo=UTC)
    assert team_day_start(noon, "Europe/Berlin").astimezone(UTC) == datetime(
        2026, 3, 28, 23, tzinfo=UTC
    )


def test_whole_days_count_full_24_hours() -> None:
    assert whole_days_between(LATE_UTC, LATE_UTC + timedelta(hours=23)) == 0
    assert whole_days_between(LATE_UTC, LATE_UTC + timedelta(days=3, hours=1)) == 3
    assert whole_days_between(LATE_UTC, LATE_UTC - timedelta(hours=1)) == -1


def test_iso_weeks_name_monday_to_sunday_in_the_teams_zone() -> None:
    assert iso_week(date(2026, 11, 23)) == "2026-W48"  # a Monday
    assert iso_week(date(2026, 11, 22)) == "2026-W47"  # the Sunday before
    assert iso_week(date(2027, 1, 1)) == "2026-W53"  # 2026 has 53 ISO weeks
    assert week_monday("2026-w47") == date(2026, 11, 16)
    # Monday 2026-11-23 00:30 in Berlin is still Sunday in UTC: the week before differs.
    monday_berlin = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert previous_iso_week(monday_berlin, "Europe/Berlin") == "2026-W47"
    assert previous_iso_week(monday_berlin, "UTC") == "2026-W46"
    start, end = week_span("2026-W47", "Europe/Berlin")
    assert start == datetime(2026, 11, 16, tzinfo=ZoneInfo("Europe/Berlin"))
    assert end - start == timedelta(days=7)


@pytest.mark.parametrize("text", ["2026-47", "2026-W54", "26-W47", "W47", "2026-Wxx", ""])
def test_a_malformed_week_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"2026-W|no week|ISO week"):
        week_monday(text)
