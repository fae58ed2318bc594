"""A day of liqbot with time-machine: the catch-up every 15 minutes through a day in Berlin runs
each snapshot slot once, posts the 09:00 digest once, catches last week's report up once,
reminds once and alerts once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

import jobs
from bot.db import repo_ledger
from bot.usecases.outreach import log_outreach
from jobs.digest import digest_job_name
from tests.builders import ALICE, DIGEST_CHANNEL, count_rows
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn

BERLIN = ZoneInfo("Europe/Berlin")


async def test_a_day_runs_every_period_once(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=BERLIN), tick=False) as trip:
        services = make_services(
            use_clock=False,
            timezone="Europe/Berlin",
            digest_cron="0 9 * * *",
            snapshot_interval_minutes=240,
            followup_days=7,
        )
        await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "outreach-zorb")
        trip.move_to(datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN))
        posted_at: list[datetime] = []
        for _ in range(24 * 4):
            before = len(slack_api.ok_calls("chat.postMessage"))
            await jobs.catch_up(services)
            if len(slack_api.ok_calls("chat.postMessage")) > before:
                posted_at.append(datetime.now(BERLIN))
            trip.shift(timedelta(minutes=15))

    calls = slack_api.ok_calls("chat.postMessage")
    main = [c for c in calls if c.args["channel"] == DIGEST_CHANNEL and not c.args.get("thread_ts")]
    digests = [c for c in main if c.args["metadata"]["event_type"] == "liqbot_digest"]
    alerts = [c for c in main if c.args["metadata"]["event_type"] == "liqbot_alerts"]
    reminders = [c for c in calls if c.args["channel"] == "U_ALICE"]
    reports = [c for c in main if c.args["metadata"]["event_type"] == "liqbot_report"]
    assert len(digests) == 1 and len(reminders) == 1
    # Last week's report (due since Monday 09:00) is caught up once, at the first tick.
    assert [c.args["metadata"]["event_payload"]["period"] for c in reports] == ["2026-W47"]
    # The reminder went out at the first tick (due since Nov 23), the digest at 09:00 sharp. The
    # demo's books are the same all day: its one-sided ones were found by the first snapshot, a
    # baseline, so no snapshot alerts them.
    assert alerts == []
    assert [t.strftime("%H:%M") for t in posted_at] == ["00:00", "09:00"]
    run = await repo_ledger.get_run(services.engine, digest_job_name(DIGEST_CHANNEL), "2026-11-25")
    assert run is not None and run.claimed_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    # 4-hour slots (UTC) overlapping Berlin's Nov 25: 20:00 (the day before), 00:00 … 20:00.
    assert await count_rows(services, "scans") == 7
    for hour in (0, 4, 8, 12, 16, 20):
        slot = datetime(2026, 11, 25, hour, tzinfo=UTC).isoformat()
        snapshot = await repo_ledger.get_run(services.engine, "snapshot", slot)
        assert snapshot is not None and snapshot.status == "done" and snapshot.attempts == 1
