"""The team's calendar: "the team's day" is a date in the team's ``TIMEZONE`` (an IANA name).

Follow-up dates, contract dates, "new today" in the digest, the scheduler's daily periods and the
weekly report's ISO weeks (Monday to Sunday) are all counted in that zone; the moment itself is
always an aware datetime (UTC from the clock), passed in, never read here. Days between moments
are calendar days in that zone (``team_days_between``).
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


def team_days_between(earlier: datetime, later: datetime, timezone: str) -> int:
    """Calendar days in ``timezone`` from the team's day of ``earlier`` to that of ``later``:
    logged on 12-01 at 10:00, asked on 12-04 at 09:00 → 3 ("3 days ago"), where whole 24-hour
    days would say 2."""
    return (team_day(later, timezone) - team_day(earlier, timezone)).days


def team_time(moment: datetime, timezone: str) -> str:
    """``moment`` as the team reads it: ``2026-12-01 10:00 CET`` (the zone's abbreviation, or
    its UTC offset where the zone has none)."""
    local = moment.astimezone(team_zone(timezone))
    label = local.tzname() or local.strftime("%z")
    if label[:1] in "+-":
        label = f"UTC{label}"
    return f"{local:%Y-%m-%d %H:%M} {label}"


def team_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """Where the team's ``day`` starts and where the next one starts, as aware UTC moments: 24
    hours apart, or 23 / 25 across a daylight-saving change."""
    zone = team_zone(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def iso_week(day: date) -> str:
    """The ISO 8601 week of ``day``, as ``YYYY-Www`` (``2026-W47``): the weekly report's period."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday of the ISO week ``YYYY-Www``; ValueError for anything else (``2026-W54``,
    ``2026-47``)."""
    year, separator, number = week.strip().upper().partition("-W")
    if not (separator and year.isdigit() and len(year) == 4 and number.isdigit()):
        raise ValueError(f"not an ISO week: {week!r} (expected YYYY-Www, e.g. 2026-W47)")
    try:
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ValueError(f"{week!r} has no week {int(number)}") from None


def previous_iso_week(moment: datetime, timezone: str) -> str:
    """The ISO week before the one the team's day of ``moment`` falls in: what a Monday-morning
    report covers."""
    return iso_week(team_day(moment, timezone) - timedelta(days=7))


def week_span(week: str, timezone: str) -> tuple[datetime, datetime]:
    """[start, end) of the ISO week ``week`` in ``timezone``: Monday 00:00 to the next Monday
    00:00, aware."""
    monday = week_monday(week)
    zone = team_zone(timezone)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    return start, datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
