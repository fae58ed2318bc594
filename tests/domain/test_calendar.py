"""The team's calendar: the team's day and midnight in TIMEZONE, days between moments, times
shown in the zone with its label, ISO weeks."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import (
    iso_week,
    previous_iso_week,
    team_day,
    team_day_start,
    team_days_between,
    team_time,
    week_monday,
    week_span,
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


def test_days_ago_are_calendar_days_in_the_teams_zone() -> None:
    # The issue: logged on 12-01 at 10:00, asked on 12-04 at 09:00 read "2 days ago" (whole
    # 24-hour days).
    logged = datetime(2026, 12, 1, 10, tzinfo=UTC)
    asked = datetime(2026, 12, 4, 9, tzinfo=UTC)
    assert team_days_between(logged, asked, "UTC") == 3
    # 23:30 UTC on 11-25 is already the 26th in Berlin: one day before the 27th there.
    assert team_days_between(LATE_UTC, datetime(2026, 11, 27, 8, tzinfo=UTC), "Europe/Berlin") == 1


def test_times_are_shown_in_the_teams_zone_with_its_label() -> None:
    moment = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert team_time(moment, "UTC") == "2026-12-01 09:00 UTC"
    assert team_time(moment, "Europe/Berlin") == "2026-12-01 10:00 CET"
    assert (
        team_time(datetime(2026, 7, 1, 9, tzinfo=UTC), "Europe/Berlin") == "2026-07-01 11:00 CEST"
    )
    assert team_time(moment, "Asia/Singapore") == "2026-12-01 17:00 UTC+08"


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
