"""Alerts that must not be lost or invented: the baseline's one-sided books are known, not news,
on the next snapshot; an alert whose post failed in its own slot goes out with a later
snapshot's alerts, saying since when it is open. Over the Slack stand-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.db import repo_ledger
from bot.domain.models import MarketMetrics
from bot.usecases.ledger import STALE_AFTER
from bot.usecases.services import Services
from jobs.alerts import alerts_job
from jobs.scheduler import snapshot_period
from tests.builders import NOW
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.jobs.alert_scans import Crash, deep, main_posts, no_asks, replies, snapshot

ALERTS = "C0ALERTS"


async def run(services: Services, hour: int, *markets: MarketMetrics) -> Any:
    scan_id = await snapshot(services, hour, *markets)
    return await alerts_job(
        services, snapshot_period(services.settings, NOW + timedelta(hours=hour)), scan_id
    )


@pytest.fixture
def services(make_services: MakeServices) -> Services:
    return make_services(alert_channel=ALERTS)


async def test_a_book_one_sided_at_the_baseline_is_not_news_on_the_next_snapshot(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, no_asks(), deep("QUUX"))  # the baseline: ZORB already one-sided
    second = await run(services, 1, no_asks(), no_asks("QUUX"))  # QUUX's asks are gone: news
    assert [(e.symbol, e.kind) for e in second.result.opened] == [("QUUX", "one_sided")]
    assert len(main_posts(slack_api)) == 1

    await run(services, 2, deep(), no_asks("QUUX"))  # ZORB healthy 1
    await run(services, 3, deep(), no_asks("QUUX"))  # healthy 2: over, without a word
    assert len(slack_api.ok_calls("chat.postMessage")) == 2  # QUUX's post and its details
    again = await run(services, 4, no_asks(), no_asks("QUUX"))  # one-sided again: now news
    assert [(e.symbol, e.kind) for e in again.result.opened] == [("ZORB", "one_sided")]
    assert len(main_posts(slack_api)) == 2


async def test_an_alert_whose_post_failed_goes_out_with_the_next_snapshot(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, deep())
    slack_api.fail_next("chat.postMessage", times=10, status=404)  # Slack refuses the post
    with pytest.raises(SlackApiError):  # the run is marked failed; its slot passes
        await run(services, 1, no_asks())
    assert main_posts(slack_api) == []
    slack_api.fail_next("chat.postMessage", times=0)

    late = await run(services, 2, no_asks())  # still one-sided: nothing new, but never announced
    assert late.status == "done" and late.result.opened == ()
    (post,) = main_posts(slack_api)
    assert "ZORB · book one-sided: no asks on binance, nobody can buy" in post.args["text"]
    (detail,) = replies(slack_api, post.answer["ts"])
    assert detail.endswith(
        "Open since the snapshot of 2026-11-25 13:00 UTC (not announced then: its post did not "
        "go out)."
    )
    await run(services, 3, no_asks())  # announced now: not again
    assert len(main_posts(slack_api)) == 1

    await run(services, 4, deep())
    await run(services, 5, deep())  # recovered: a reply in the thread of the late post
    assert replies(slack_api, post.answer["ts"])[1].startswith("ZORB recovered from")


async def test_a_recovery_posted_just_before_a_crash_is_not_posted_again(
    services: Services,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await run(services, 0, deep())
    await run(services, 1, no_asks())  # the alert and its details
    (post,) = main_posts(slack_api)
    await run(services, 2, deep())  # healthy 1
    scan_id = await snapshot(services, 3, deep())  # healthy 2: the recovery
    record_post = repo_ledger.record_post

    async def dies_after_slack_took_the_recovery(*args: Any, **kwargs: Any) -> None:
        if str(kwargs.get("kind")).startswith("recovery:"):
            raise Crash
        await record_post(*args, **kwargs)

    period = snapshot_period(services.settings, NOW + timedelta(hours=3))
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "record_post", dies_after_slack_took_the_recovery)
        with pytest.raises(Crash):
            await alerts_job(services, period, scan_id)
    assert len(replies(slack_api, post.answer["ts"])) == 2  # details, recovery

    services.clock.advance(seconds=STALE_AFTER.total_seconds() + 1)  # type: ignore[attr-defined]
    taken_over = await alerts_job(make_services(alert_channel=ALERTS), period, scan_id)
    assert taken_over.status == "done"
    assert len(replies(slack_api, post.answer["ts"])) == 2  # found in the thread, not posted
    assert slack_api.ok_calls("conversations.replies")
    assert [p.kind for p in taken_over.posts] == [f"recovery:{post_id(taken_over)}"]


def post_id(outcome: Any) -> int:
    (episode,) = outcome.result.recovered
    return int(episode.id)
