"""The team's calendar: "the team's day" is a date in the team's ``TIMEZONE`` (an IANA name).

Follow-up dates, contract dates, "new today" in the digest and the scheduler's daily periods are
all counted in that zone; the moment itself is always an aware datetime (UTC from the clock),
passed in, never read here. Days between moments are calendar days in that zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
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
