"""The weekly report posted to the Slack stand-in: the previous ISO week by default, once per
channel and week with its charts in the thread, through crashes and the catch-up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.db import repo_ledger
from bot.errors import UserFacingError
from bot.settings import SettingsError
from bot.usecases.ledger import STALE_AFTER
from jobs.report import report_job, run_report
from tests.builders import DIGEST_CHANNEL, Clock
from tests.conftest import MakeServices
from tests.fakes.slack_api import ApiCall, SlackApiStandIn
from tests.report_scenario import store_fortnight


class Crash(BaseException):
    """The process dies here (passes every ``except Exception``)."""


async def crash_once(*args: Any, **kwargs: Any) -> Any:
    raise Crash


def main_posts(slack: SlackApiStandIn) -> list[ApiCall]:
    return [c for c in slack.ok_calls("chat.postMessage") if not c.args.get("thread_ts")]


def chart_uploads(slack: SlackApiStandIn) -> list[ApiCall]:
    return slack.ok_calls("files.completeUploadExternal")


async def test_the_previous_week_is_posted_once_with_its_charts_in_the_thread(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services()
    await store_fortnight(services, clock)
    first = await run_report(services)  # NOW is Wednesday 25 Nov: the week before is W47
    second = await run_report(services)
    assert (first.status, first.week, second.status, second.ts) == (
        "posted",
        "2026-W47",
        "already_posted",
        first.ts,
    )
    (main,) = main_posts(slack_api)
    assert main.args["channel"] == DIGEST_CHANNEL
    assert main.args["metadata"] == {
        "event_type": "liqbot_report",
        "event_payload": {"period": "2026-W47"},
    }
    assert main.args["text"] == (
        "DEMO DATA · Weekly report 2026-W47: 2 at risk · 1 cases opened · 1 moved · 1 pledges"
    )
    assert "Response rate: 3 of 4 contacted projects answered (75%)" in str(main.args["blocks"])
    (charts,) = chart_uploads(slack_api)
    assert charts.args["thread_ts"] == first.ts and charts.args["channel_id"] == DIGEST_CHANNEL
    names = sorted(u.filename for u in slack_api.workspace.uploads.values() if u.completed)
    assert names == [
        "report-2026-W47-depth-after-outreach.png",
        "report-2026-W47-pipeline.png",
        "report-2026-W47-pledges.png",
    ]


async def test_report_channel_and_week_can_be_chosen(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services(report_channel="C0REPORT")
    done = await run_report(services, week="2026-w40")
    assert (done.status, done.week, done.channel) == ("posted", "2026-W40", "C0REPORT")
    assert main_posts(slack_api)[0].args["channel"] == "C0REPORT"
    assert chart_uploads(slack_api) == []  # an empty week: no chart to draw, the text says none
    with pytest.raises(UserFacingError, match="not an ISO week"):
        await run_report(services, week="2026-40")


async def test_a_dry_run_posts_nothing_and_needs_no_channel(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services(digest_channel=None)
    dry = await run_report(services, dry_run=True)
    assert dry.status == "dry_run" and "Weekly liquidity report 2026-W47" in dry.text
    assert slack_api.ok_calls("chat.postMessage") == []
    with pytest.raises(SettingsError, match="REPORT_CHANNEL"):
        await run_report(services)


async def test_a_crash_before_the_post_is_recorded_does_not_post_twice(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    await store_fortnight(services, clock)
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "record_post", crash_once)
        with pytest.raises(Crash):
            await run_report(services)
    (posted,) = main_posts(slack_api)
    assert chart_uploads(slack_api) == []  # died right after chat.postMessage

    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    restarted = await run_report(make_services())
    assert len(main_posts(slack_api)) == 1 and restarted.ts == posted.answer["ts"]
    (charts,) = chart_uploads(slack_api)
    assert charts.args["thread_ts"] == restarted.ts


async def test_charts_shared_just_before_a_crash_are_not_shared_again(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    await store_fortnight(services, clock)
    record_post = repo_ledger.record_post

    async def dies_after_the_charts(*args: Any, **kwargs: Any) -> None:
        if kwargs.get("kind") == "charts":
            raise Crash
        await record_post(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "record_post", dies_after_the_charts)
        with pytest.raises(Crash):
            await run_report(services)
    assert len(chart_uploads(slack_api)) == 1  # Slack shared them; the record never happened

    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    restarted = await run_report(make_services())
    assert restarted.status == "posted" and len(main_posts(slack_api)) == 1
    assert len(chart_uploads(slack_api)) == 1  # found in the thread, not shared again
    assert slack_api.ok_calls("conversations.replies")


async def test_the_job_posts_the_week_before_its_latest_fire_time(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 23, 8, 59, tzinfo=UTC)  # Monday, before REPORT_CRON 09:00
    services = make_services()
    caught_up = await report_job(services)  # the catch-up: last Monday's fire, week W46
    assert caught_up is not None and caught_up.week == "2026-W46"
    clock.now = datetime(2026, 11, 23, 9, 1, tzinfo=UTC)
    done = await report_job(services)
    again = await report_job(services)
    assert done is not None and again is not None
    assert (done.week, done.status, again.status) == ("2026-W47", "posted", "already_posted")
    assert [c.args["metadata"]["event_payload"]["period"] for c in main_posts(slack_api)] == [
        "2026-W46",
        "2026-W47",
    ]
    assert await report_job(make_services(digest_channel=None)) is None
