"""When liqbot's jobs fire (SPEC 7): triggers as pure functions of the settings, and periods.

Every trigger runs in the team's ``TIMEZONE``. ``DIGEST_CRON`` is a standard crontab, which
APScheduler 3 reads differently in one field: its day-of-week numbers count 0 as *Monday*, the
crontab's as *Sunday* (and 7 is Sunday too). ``crontab_trigger`` therefore rewrites numeric
weekdays as names ("1-5" → "mon,tue,wed,thu,fri", "0" → "sun") before APScheduler sees them, and
follows cron's rule that a restricted day-of-month and a restricted day-of-week are alternatives
(either matches), where APScheduler would require both.

Periods are the run ledger's keys: a digest period is the team's day (``bot.domain.calendar``) of
the fire time it belongs to, a report period the ISO week before it (``2026-W47``); a snapshot
period is the start of its interval slot (UTC, ISO 8601).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.calendar import team_day_start, team_zone
from bot.settings import Settings, SettingsError

# crontab numbers the days Sunday = 0 (and 7); APScheduler 3 understands the names in any case.
CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
SLOT_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Snapshot slots are counted from here, so every replica computes the same slot starts."""
REMINDERS_MINUTE = 15  # past every hour: away from the top of the hour, when scans start
SUPPLY_REFRESH_CRON = "40 3 * * *"  # once a day, before the morning digest
MISFIRE_GRACE_S = 15 * 60
"""A fire time missed by less than this (event loop busy) still runs; later ones are left to
the catch-up job, which knows whether the period is already done."""


def zone(settings: Settings) -> zoneinfo.ZoneInfo:
    """The team's ``TIMEZONE``, which every trigger runs in."""
    return team_zone(settings.timezone)


def _weekday_numbers(part: str) -> set[int]:
    """One comma-separated element of a crontab day-of-week field → crontab day numbers 0–6."""

    def number(token: str) -> int:
        token = token.strip().lower()
        if token.isdigit() and 0 <= int(token) <= 7:
            return int(token) % 7
        if token[:3] in CRON_WEEKDAYS and len(token) == 3:
            return CRON_WEEKDAYS.index(token)
        raise ValueError(f"bad day of week {token!r}")

    body, _, step_text = part.partition("/")
    step = int(step_text) if step_text else 1
    if step < 1:
        raise ValueError(f"bad step in {part!r}")
    if body == "*":
        first, last = 0, 6
    elif "-" in body:
        low, high = body.split("-", 1)
        first, last = number(low), number(high)
        if high.strip() == "7":
            last = 7  # "5-7" is Friday to Sunday, not an empty range
    else:
        first = number(body)
        last = 6 if step_text else first  # "1/2" = from Monday on, every other day
    if last < first:
        raise ValueError(f"range {body!r} runs backwards")
    return {day % 7 for day in range(first, last + 1, step)}


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field in APScheduler 3's terms: ``*`` or a list of day names."""
    if field.strip() == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        days |= _weekday_numbers(part)
    return ",".join(CRON_WEEKDAYS[d] for d in sorted(days))


def crontab_trigger(expr: str, tz: zoneinfo.ZoneInfo, setting: str = "DIGEST_CRON") -> BaseTrigger:
    """A standard 5-field crontab (minute hour day-of-month month day-of-week) in zone ``tz``.

    Raises ``SettingsError`` naming ``setting`` when the expression is not valid."""
    try:
        minute, hour, day, month, weekday = expr.split()
        weekdays = crontab_weekdays(weekday)
        if day != "*" and weekdays != "*":
            # cron: "0 9 1 * mon" fires on the 1st *and* on Mondays.
            return OrTrigger(
                [
                    CronTrigger(minute=minute, hour=hour, day=day, month=month, timezone=tz),
                    CronTrigger(
                        minute=minute, hour=hour, month=month, day_of_week=weekdays, timezone=tz
                    ),
                ]
            )
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=weekdays, timezone=tz
        )
    except ValueError as exc:
        raise SettingsError(f"invalid setting {setting}: {exc}") from None


def digest_trigger(settings: Settings) -> BaseTrigger:
    """The daily digest: ``DIGEST_CRON`` in ``TIMEZONE``."""
    return crontab_trigger(settings.digest_cron, zone(settings))


def report_trigger(settings: Settings) -> BaseTrigger:
    """The weekly report: ``REPORT_CRON`` in ``TIMEZONE``."""
    return crontab_trigger(settings.report_cron, zone(settings), "REPORT_CRON")


def snapshot_trigger(settings: Settings) -> IntervalTrigger:
    """Every ``SNAPSHOT_INTERVAL_MINUTES``, at the slot starts (``snapshot_slot``); fixed
    intervals of elapsed time, so a DST change neither skips nor doubles a snapshot."""
    return IntervalTrigger(
        minutes=settings.snapshot_interval_minutes, start_date=SLOT_EPOCH, timezone=zone(settings)
    )


def reminders_trigger(settings: Settings) -> CronTrigger:
    """Follow-up reminders: hourly, at minute 15."""
    return CronTrigger(minute=REMINDERS_MINUTE, timezone=zone(settings))


def supply_refresh_trigger(settings: Settings) -> BaseTrigger:
    """The CoinGecko supply refresh: daily at 03:40 in ``TIMEZONE``."""
    return crontab_trigger(SUPPLY_REFRESH_CRON, zone(settings))


def snapshot_slot(settings: Settings, now: datetime) -> datetime:
    """Start (UTC) of the snapshot slot ``now`` falls in."""
    interval = timedelta(minutes=settings.snapshot_interval_minutes)
    return SLOT_EPOCH + ((now - SLOT_EPOCH) // interval) * interval


def snapshot_period(settings: Settings, now: datetime) -> str:
    """The run ledger period of the snapshot due at ``now``: its slot start, ISO 8601 UTC."""
    return snapshot_slot(settings, now).isoformat()


def latest_fire_today(trigger: BaseTrigger, settings: Settings, now: datetime) -> datetime | None:
    """The last fire time of ``trigger`` at or before ``now`` on ``now``'s local day, or None
    when it has not fired yet today (or never fires today): what is due and may need a
    catch-up after a restart."""
    return latest_fire_since(trigger, settings, team_day_start(now, settings.timezone), now)


def latest_fire_since(
    trigger: BaseTrigger, settings: Settings, since: datetime, now: datetime
) -> datetime | None:
    """The last fire time of ``trigger`` in [since, now] (in ``TIMEZONE``), or None."""
    tz = zone(settings)
    fire = trigger.get_next_fire_time(None, since)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest.astimezone(tz) if latest is not None else None


def build_scheduler(settings: Settings) -> AsyncIOScheduler:
    """The scheduler of `liqbot serve`, in ``TIMEZONE``: one instance of a job at a time, missed
    runs coalesced into one (the run ledger and the catch-up job make up for the rest)."""
    return AsyncIOScheduler(
        timezone=zone(settings),
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_S,
        },
    )
