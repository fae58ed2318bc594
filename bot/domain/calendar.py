"""The team's calendar: "the team's day" is a date in the team's ``TIMEZONE`` (an IANA name).

Follow-up dates, contract dates, "new today" in the digest and the scheduler's daily periods are
all counted in that zone; the moment itself is always an aware datetime (UTC from the clock),
passed in, never read here. Elapsed time is counted in whole days of 24 hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def team_zone(timezone: str) -> ZoneInfo:
    """The team's time zone from its IANA name (``TIMEZONE``, validated by the settings)."""
    return ZoneInfo(timezone)


def team_day(moment: datetime, timezone: str) -> date:
    """The team's day of the aware ``moment``: its calendar date in ``timezone``."""
    return moment.astimezone(team_zone(timezone)).date()


def team_day_start(moment: datetime, timezone: str) -> datetime:
    """Midnight (aware, in ``timezone``) of the team's day of ``moment``: where "today" starts
    for "new today" and the scheduler's daily catch-up."""
    return datetime.combine(team_day(moment, timezone), time(0), tzinfo=team_zone(timezone))


def whole_days_between(earlier: datetime, later: datetime) -> int:
    """Whole days of 24 hours from ``earlier`` to ``later`` (0 within the first day, negative
    when ``later`` comes first): "logged 3 days ago"."""
    return (later - earlier).days


def team_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """Where the team's ``day`` starts and where the next one starts, as aware UTC moments: 24
    hours apart, or 23 / 25 across a daylight-saving change."""
    zone = team_zone(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end
