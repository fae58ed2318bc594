"""Triggers as pure functions: next fire times in TIMEZONE across DST, crontab weekdays, periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

import jobs
from bot.settings import Settings, SettingsError
from bot.wiring import build_services
from jobs.scheduler import (
    build_scheduler,
    crontab_weekdays,
    digest_trigger,
    latest_fire_today,
    snapshot_period,
    snapshot_slot,
    snapshot_trigger,
)

BERLIN = ZoneInfo("Europe/Berlin")


def settings(**overrides: object) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[arg-type]


def fire_times(trigger: BaseTrigger, start: datetime, count: int) -> list[datetime]:
    times: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        times.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)
    return times


def test_daily_digest_keeps_9am_local_across_the_spring_dst_change_in_berlin() -> None:
    trigger = digest_trigger(settings(digest_cron="0 9 * * *", timezone="Europe/Berlin"))
    times = fire_times(trigger, datetime(2026, 3, 27, 12, 0, tzinfo=UTC), 3)
    # 2026-03-29 02:00 CET → 03:00 CEST: 9:00 local is 08:00 UTC before, 07:00 UTC after.
    assert [t.astimezone(UTC) for t in times] == [
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]
    assert all(t.astimezone(BERLIN).hour == 9 for t in times)


def test_daily_digest_keeps_9am_local_across_the_autumn_dst_change_in_berlin() -> None:
    trigger = digest_trigger(settings(digest_cron="0 9 * * *", timezone="Europe/Berlin"))
    times = fire_times(trigger, datetime(2026, 10, 24, 12, 0, tzinfo=UTC), 2)
    # 2026-10-25 03:00 CEST → 02:00 CET.
    assert [t.astimezone(UTC) for t in times] == [
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]


def test_a_digest_time_inside_the_skipped_hour_still_fires_once_that_day() -> None:
    trigger = digest_trigger(settings(digest_cron="30 2 * * *", timezone="Europe/Berlin"))
    times = fire_times(trigger, datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 2)
    # 02:30 does not exist on 2026-03-29; the day still gets exactly one digest.
    assert [t.astimezone(BERLIN).date().isoformat() for t in times] == [
        "2026-03-29",
        "2026-03-30",
    ]
    assert times[1].astimezone(UTC) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)


def test_hourly_snapshots_stay_one_hour_apart_across_the_dst_change() -> None:
    trigger = snapshot_trigger(settings(snapshot_interval_minutes=60, timezone="Europe/Berlin"))
    times = fire_times(trigger, datetime(2026, 3, 28, 23, 10, tzinfo=UTC), 4)
    assert [t.astimezone(UTC) for t in times] == [
        datetime(2026, 3, 29, h, 0, tzinfo=UTC) for h in (0, 1, 2, 3)
    ]
    # At 01:00 UTC the wall clock jumps from 02:00 CET to 03:00 CEST: one hour elapsed per
    # snapshot, none lost and none doubled, although local hours go 1, 3, 4, 5.
    assert [t.astimezone(BERLIN).hour for t in times] == [1, 3, 4, 5]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1-5/2", "mon,wed,fri"),
        ("SUN", "sun"),
    ],
)
def test_crontab_weekday_numbers_count_sunday_as_zero(field: str, expected: str) -> None:
    assert crontab_weekdays(field) == expected


def test_a_weekday_digest_fires_monday_to_friday_not_tuesday_to_saturday() -> None:
    trigger = digest_trigger(settings(digest_cron="0 9 * * 1-5", timezone="Europe/Berlin"))
    # 2026-11-21 is a Saturday.
    times = fire_times(trigger, datetime(2026, 11, 21, 0, 0, tzinfo=BERLIN), 6)
    assert [t.strftime("%a %d") for t in times] == [
        "Mon 23",
        "Tue 24",
        "Wed 25",
        "Thu 26",
        "Fri 27",
        "Mon 30",
    ]


def test_a_sunday_digest_fires_on_sunday() -> None:
    trigger = digest_trigger(settings(digest_cron="0 18 * * 0", timezone="UTC"))
    (fire,) = fire_times(trigger, datetime(2026, 11, 25, tzinfo=UTC), 1)
    assert fire == datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    assert fire.strftime("%A") == "Sunday"


def test_day_of_month_and_weekday_are_alternatives_as_in_cron() -> None:
    trigger = digest_trigger(settings(digest_cron="0 9 1 * mon", timezone="UTC"))
    times = fire_times(trigger, datetime(2026, 11, 25, tzinfo=UTC), 3)
    # Monday the 30th, then Tuesday December 1st (the 1st), then Monday the 7th.
    assert [t.date().isoformat() for t in times] == ["2026-11-30", "2026-12-01", "2026-12-07"]


@pytest.mark.parametrize("cron", ["0 9 * * 8", "0 25 * * *", "0 9 * * fri-mon", "x 9 * * *"])
def test_an_invalid_digest_cron_names_the_setting(cron: str) -> None:
    with pytest.raises(SettingsError, match="DIGEST_CRON"):
        digest_trigger(settings(digest_cron=cron))


def test_snapshot_periods_are_interval_slot_starts() -> None:
    s = settings(snapshot_interval_minutes=15)
    at = datetime(2026, 11, 25, 9, 44, 59, tzinfo=UTC)
    assert snapshot_slot(s, at) == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert snapshot_period(s, at) == "2026-11-25T09:30:00+00:00"
    assert snapshot_period(s, at + timedelta(seconds=1)) == "2026-11-25T09:45:00+00:00"
    # The same instant written in another zone is the same slot.
    assert snapshot_slot(s, at.astimezone(BERLIN)) == snapshot_slot(s, at)


def test_latest_fire_today_is_what_a_catch_up_owes() -> None:
    s = settings(digest_cron="0 9 * * *", timezone="Europe/Berlin")
    trigger = digest_trigger(s)
    before = datetime(2026, 11, 25, 7, 59, tzinfo=UTC)  # 08:59 in Berlin
    after = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert latest_fire_today(trigger, s, before) is None
    assert latest_fire_today(trigger, s, after) == datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)
    twice = settings(digest_cron="0 9,17 * * *", timezone="UTC")
    late = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    assert latest_fire_today(digest_trigger(twice), twice, late) == datetime(
        2026, 11, 25, 17, 0, tzinfo=UTC
    )


async def test_every_job_is_registered_with_a_stable_id_and_the_team_zone() -> None:
    s = settings(
        timezone="Europe/Berlin",
        coingecko_api_key="cg-key",
        market_source="demo",
        digest_channel="C0DIGEST",
    )
    scheduler = build_scheduler(s)
    assert isinstance(scheduler, AsyncIOScheduler)
    services = build_services(s)
    try:
        jobs.register(scheduler, services)
        scheduler.start(paused=True)  # in the job store now, nothing runs
        registered = {job.id: job for job in scheduler.get_jobs()}
        assert set(registered) == set(jobs.JOB_IDS)
        for job in registered.values():
            zones = [t.timezone for t in getattr(job.trigger, "triggers", [job.trigger])]
            assert all(str(z) == "Europe/Berlin" for z in zones), job.id
        jobs.register(scheduler, services)  # registering again replaces, never duplicates
        assert len(scheduler.get_jobs()) == len(jobs.JOB_IDS)
    finally:
        scheduler.shutdown(wait=False)
        await services.close()


async def test_without_a_coingecko_key_or_a_channel_those_jobs_are_not_registered() -> None:
    s = settings(market_source="demo")
    scheduler = build_scheduler(s)
    services = build_services(s)
    try:
        jobs.register(scheduler, services)
        registered = {job.id for job in scheduler.get_jobs()}
        assert "supply_refresh" not in registered and "weekly_report" not in registered
    finally:
        await services.close()
