"""The digest posted to the Slack stand-in: once per channel and day, through retries, crashes
and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import jobs
from bot.db import repo_ledger
from bot.market import DEMO_BANNER
from bot.usecases.ledger import STALE_AFTER
from jobs.digest import digest_job, digest_job_name, run_digest
from tests.builders import DIGEST_CHANNEL, Clock, many_tokens, store_batch
from tests.conftest import MakeServices
from tests.fakes.slack_api import ApiCall, SlackApiStandIn

TEN = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


class Crash(BaseException):
    """The process dies here (passes every ``except Exception``)."""


def main_posts(slack: SlackApiStandIn, event_type: str = "liqbot_digest") -> list[ApiCall]:
    """Main messages of ``event_type``: the digest's, not the alerts the snapshots post."""
    return [
        c
        for c in slack.ok_calls("chat.postMessage")
        if not c.args.get("thread_ts")
        and (c.args.get("metadata") or {}).get("event_type") == event_type
    ]


def thread_posts(slack: SlackApiStandIn) -> list[ApiCall]:
    return [c for c in slack.ok_calls("chat.postMessage") if c.args.get("thread_ts")]


async def crash_once(*args: Any, **kwargs: Any) -> Any:
    raise Crash


async def seeded(make_services: MakeServices, clock: Clock, **overrides: Any) -> Any:
    """Services over a fresh hand-made scan of 30 at-risk tokens (10 in the message, 20 in one
    thread reply), so the digest does not scan first."""
    services = make_services(**overrides)
    await store_batch(services, clock.now - timedelta(minutes=10), many_tokens(30))
    return services


async def test_posted_once_per_channel_and_day_with_the_rest_in_the_thread(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services()
    first = await run_digest(services)
    second = await run_digest(services)

    assert (first.status, second.status) == ("posted", "already_posted")
    assert second.ts == first.ts
    (main,) = main_posts(slack_api)
    assert main.args["channel"] == DIGEST_CHANNEL
    assert main.args["metadata"] == {
        "event_type": "liqbot_digest",
        "event_payload": {"period": "2026-11-25"},
    }
    assert DEMO_BANNER in main.args["text"]
    digest = first.digest
    assert digest is not None and digest.rest
    replies = thread_posts(slack_api)
    assert len(replies) == -(-len(digest.rest) // 20)  # 20 rows per reply
    assert {c.args["thread_ts"] for c in replies} == {first.ts}
    run = await repo_ledger.get_run(services.engine, digest_job_name(DIGEST_CHANNEL), "2026-11-25")
    assert run is not None and run.status == "done"
    assert [p.kind for p in run.posts] == ["main"] + [
        f"thread:{i + 1}" for i in range(len(replies))
    ]


@pytest.mark.parametrize("status", [429, 500])
async def test_slack_failing_once_still_means_one_post(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock, status: int
) -> None:
    services = await seeded(make_services, clock)
    slack_api.fail_next("chat.postMessage", times=1, status=status, retry_after=1)
    result = await run_digest(services)
    assert result.status == "posted"
    attempts = [c for c in slack_api.calls("chat.postMessage") if not c.args.get("thread_ts")]
    assert [c.status for c in attempts] == [status, 200]
    assert len(main_posts(slack_api)) == 1


async def test_a_5xx_after_slack_did_post_is_not_posted_again(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = await seeded(make_services, clock)
    slack_api.fail_next("chat.postMessage", times=1, status=502, after_doing=True)
    result = await run_digest(services)
    assert result.status == "posted"
    in_channel = [
        m for m in slack_api.workspace.messages.get(DIGEST_CHANNEL, []) if not m.get("thread_ts")
    ]
    assert len(in_channel) == 1  # found in the channel history, not posted a second time
    assert result.ts == in_channel[0]["ts"]


async def test_a_crash_between_post_and_finish_does_not_post_again(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = await seeded(make_services, clock)
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "finish_run", crash_once)
        with pytest.raises(Crash):
            await run_digest(services)
    posted = len(slack_api.ok_calls("chat.postMessage"))

    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    restarted = await run_digest(make_services())

    assert restarted.status == "posted"
    assert len(slack_api.ok_calls("chat.postMessage")) == posted
    assert len(main_posts(slack_api)) == 1


async def test_a_crash_before_the_post_is_recorded_is_found_in_the_channel_history(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = await seeded(make_services, clock)
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "record_post", crash_once)
        with pytest.raises(Crash):
            await run_digest(services)
    (posted,) = main_posts(slack_api)
    assert thread_posts(slack_api) == []  # died right after chat.postMessage

    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    restarted = await run_digest(make_services())

    assert len(main_posts(slack_api)) == 1
    assert slack_api.ok_calls("conversations.history")
    assert restarted.ts == posted.answer["ts"]
    assert thread_posts(slack_api)  # the thread is still posted, once, under the found ts
    assert {c.args["thread_ts"] for c in thread_posts(slack_api)} == {restarted.ts}


async def test_a_restart_after_the_digest_time_catches_up_exactly_once(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 25, 8, 59, tzinfo=UTC)
    await jobs.catch_up(make_services(digest_cron="0 9 * * *"))
    assert main_posts(slack_api) == []  # not due yet

    clock.now = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)  # was down at 09:00
    await jobs.catch_up(make_services(digest_cron="0 9 * * *"))
    await jobs.catch_up(make_services(digest_cron="0 9 * * *"))  # and restarted again
    clock.advance(minutes=5)
    await jobs.catch_up(make_services(digest_cron="0 9 * * *"))

    assert len(main_posts(slack_api)) == 1
    assert main_posts(slack_api)[0].args["metadata"]["event_payload"] == {"period": "2026-11-25"}
    # The demo's one-sided books were there at the first snapshot (08:00, a baseline): the 10:00
    # snapshot, the same books, alerts nothing.
    assert main_posts(slack_api, "liqbot_alerts") == []


async def test_force_posts_again_and_dry_run_posts_nothing(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = await seeded(make_services, clock)
    dry = await run_digest(services, dry_run=True)
    assert dry.status == "dry_run" and slack_api.calls() == []
    assert dry.text.startswith(DEMO_BANNER) and "Liquidity digest · 2026-11-25" in dry.text

    await run_digest(services)
    forced = await run_digest(services, force=True)
    assert forced.status == "posted"
    assert len(main_posts(slack_api)) == 2
    assert (await run_digest(services)).status == "already_posted"


async def test_another_channel_gets_its_own_digest(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = await seeded(make_services, clock)
    await run_digest(services)
    other = await run_digest(services, channel="C0OTHER")
    assert other.status == "posted"
    assert [c.args["channel"] for c in main_posts(slack_api)] == [DIGEST_CHANNEL, "C0OTHER"]


async def test_without_a_channel_the_digest_names_the_setting(
    make_services: MakeServices,
) -> None:
    from bot.settings import SettingsError

    services = make_services(digest_channel=None)
    with pytest.raises(SettingsError, match="DIGEST_CHANNEL"):
        await run_digest(services)
    assert await digest_job(services) is None


async def test_500_at_risk_tokens_post_one_valid_message_and_a_csv(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services()
    await store_batch(services, clock.now - timedelta(minutes=10), many_tokens(500))
    result = await run_digest(services)

    assert result.status == "posted"
    (main,) = main_posts(slack_api)  # the stand-in refuses what Slack would refuse
    assert len(main.args["blocks"]) <= 50
    assert thread_posts(slack_api) == []
    (upload,) = slack_api.workspace.uploads.values()
    assert upload.completed and upload.channel_id == DIGEST_CHANNEL
    assert upload.data is not None and len(upload.data.decode().splitlines()) == 501
    (complete,) = slack_api.ok_calls("files.completeUploadExternal")
    assert complete.args["thread_ts"] == result.ts
    # Posted once: a second run does not upload again.
    await run_digest(services)
    assert len(slack_api.workspace.uploads) == 1
