"""Liquidity alerts over the Slack stand-in: each kind posted once per episode as one message
with the digest's buttons, its details in the thread, its recovery a thread reply after two
healthy snapshots; failed snapshots change nothing; a run taken over does not post again.

Hourly snapshots of hand-made binance books, assessed by the real scan code; ±2% depths by hand.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.db import repo_ledger
from bot.domain.metrics import compute_market_metrics
from bot.domain.models import MarketMetrics
from bot.usecases.ledger import STALE_AFTER
from bot.usecases.services import Services
from jobs.alerts import JOB, alerts_job
from jobs.scheduler import snapshot_period
from tests.builders import DIGEST_CHANNEL, NOW, book, failed, ref
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.jobs.alert_scans import Crash, deep, main_posts, no_asks, replies, snapshot

ALERTS = "C0ALERTS"


async def alerts(services: Services, hour: int, scan_id: int) -> Any:
    return await alerts_job(
        services, snapshot_period(services.settings, NOW + timedelta(hours=hour)), scan_id
    )


async def run(services: Services, hour: int, *markets: MarketMetrics) -> Any:
    return await alerts(services, hour, await snapshot(services, hour, *markets))


@pytest.fixture
def services(make_services: MakeServices) -> Services:
    return make_services(alert_channel=ALERTS)


async def test_the_first_snapshot_of_an_empty_database_is_a_baseline(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    outcome = await run(services, 0, no_asks(), deep("NEWT"))
    assert outcome.status == "done" and outcome.result.baseline
    assert outcome.result.opened == () and slack_api.calls() == []


async def test_a_depth_collapse_is_posted_once_and_recovers_in_its_thread(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, deep())  # $100k (the smaller side)
    await run(services, 1, deep())
    # $20k < $50k and ≤ ½ × median($100k, $100k) = $50k.
    collapsed = await snapshot(services, 2, deep(bid=20_000, ask=30_000))
    first = await alerts(services, 2, collapsed)
    again = await alerts(services, 2, collapsed)

    assert (first.status, again.status) == ("done", "already_done")
    (post,) = main_posts(slack_api)
    assert post.args["channel"] == ALERTS
    assert post.args["metadata"]["event_type"] == "liqbot_alerts"
    blocks = post.args["blocks"]
    assert "DEMO DATA" in blocks[1]["text"]["text"]  # the test services read the demo source
    assert [b.get("block_id") for b in blocks[2:4]] == ["token:ZORB", "actions:ZORB"]
    assert (
        "±2% depth collapsed to $20k (floor $50k, 7-day median $100k)" in blocks[2]["text"]["text"]
    )
    assert [e["text"]["text"] for e in blocks[3]["elements"]][:2] == [
        "Log outreach",
        "Reply: has MM",
    ]
    ts = post.answer["ts"]
    (detail,) = replies(slack_api, ts)
    assert "at most 50% of its 7-day median $100k (20% of it)" in detail

    await run(services, 3, deep(bid=60_000, ask=60_000))  # healthy 1: $60k ≥ the floor
    await run(services, 4, deep(bid=20_000, ask=30_000))  # collapsed again: counts from 0
    await run(services, 5, deep(bid=60_000, ask=60_000))  # healthy 1
    await run(services, 6, failed("binance", "ZORB/USDT"))  # failed: neither way
    assert len(replies(slack_api, ts)) == 1
    await run(services, 7, deep(bid=51_000, ask=60_000))  # healthy 2 ($51k ≥ $50k): recovered
    assert len(main_posts(slack_api)) == 1
    recovery = replies(slack_api, ts)[1]
    assert recovery.startswith("ZORB recovered from ±2% depth collapse: ±2% depth $51k")
    assert "alerted 2026-11-25 14:00 UTC" in recovery
    run_7 = await repo_ledger.get_run(
        services.engine, JOB, snapshot_period(services.settings, NOW + timedelta(hours=7))
    )
    assert run_7 is not None and [p.kind for p in run_7.posts] == [
        f"recovery:{first.result.opened[0].id}"
    ]


async def test_a_one_sided_and_an_empty_book_go_out_as_one_post(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, deep("ZORB"), deep("QUUX"), deep("FLIM"))
    empty = compute_market_metrics(ref("QUUX/USDT"), book([], [], symbol="QUUX/USDT"), None, 1.0)
    outcome = await run(services, 1, no_asks("ZORB"), empty, deep("FLIM"))

    assert [(e.symbol, e.kind) for e in outcome.result.opened] == [
        ("QUUX", "one_sided"),
        ("ZORB", "one_sided"),
    ]
    (post,) = main_posts(slack_api)
    text = post.args["text"]
    assert "Liquidity alerts · 2 tokens" in text
    assert "QUUX · book empty: no bids and no asks on binance" in text
    assert "ZORB · book one-sided: no asks on binance, nobody can buy" in text
    assert len(replies(slack_api, post.answer["ts"])) == 1  # the details, in one reply

    await run(services, 2, no_asks("ZORB"), empty, deep("FLIM"))  # still one-sided: quiet
    await run(services, 3, deep("ZORB"), empty, deep("FLIM"))
    await run(services, 4, deep("ZORB"), empty, deep("FLIM"))
    assert len(main_posts(slack_api)) == 1
    assert replies(slack_api, post.answer["ts"])[1].startswith(
        "ZORB recovered from one-sided book: both sides quote again"
    )


async def test_a_token_newly_listed_on_the_home_exchange_is_announced_once(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, deep("ZORB"))
    listed = await run(services, 1, deep("ZORB"), deep("NEWT", bid=1_000, ask=1_000))
    await run(services, 2, deep("ZORB"), deep("NEWT", bid=1_000, ask=1_000))
    await run(services, 3, deep("ZORB"), deep("NEWT", bid=1_000, ask=1_000))

    assert [(e.symbol, e.kind) for e in listed.result.opened] == [("NEWT", "new_listing")]
    assert listed.result.opened[0].closed_at is not None  # an event: no recovery to wait for
    (post,) = main_posts(slack_api)
    assert "NEWT · newly listed on binance" in post.args["text"]
    assert len(slack_api.ok_calls("chat.postMessage")) == 2  # the post and its details


async def test_the_first_listing_seen_on_the_home_exchange_is_a_baseline(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0)  # the home exchange could not be scanned: no market at all
    outcome = await run(services, 1, deep("ZORB"), deep("QUUX"))
    assert not outcome.result.baseline and outcome.result.opened == ()
    assert slack_api.calls() == []


async def test_without_a_channel_alerts_are_stored_not_posted(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services(digest_channel=None)
    await run(services, 0, deep())
    outcome = await run(services, 1, no_asks())
    assert [e.kind for e in outcome.result.opened] == ["one_sided"]
    assert slack_api.calls() == []


async def test_alerts_go_to_the_digest_channel_by_default(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services()
    await run(services, 0, deep())
    await run(services, 1, no_asks())
    assert [c.args["channel"] for c in main_posts(slack_api)] == [DIGEST_CHANNEL]


async def test_a_run_taken_over_after_a_crash_posts_nothing_twice(
    services: Services,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await run(services, 0, deep())
    scan_id = await snapshot(services, 1, no_asks())
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "finish_run", _crash)
        with pytest.raises(Crash):
            await alerts(services, 1, scan_id)
    posted = len(slack_api.ok_calls("chat.postMessage"))
    assert posted == 2  # the alert and its details

    services.clock.advance(seconds=STALE_AFTER.total_seconds() + 1)  # type: ignore[attr-defined]
    restarted = make_services(alert_channel=ALERTS)
    outcome = await alerts(restarted, 1, scan_id)
    assert outcome.status == "done" and len(outcome.result.opened) == 1
    assert len(slack_api.ok_calls("chat.postMessage")) == posted


async def test_two_replicas_post_one_alert(
    services: Services, make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, deep())
    scan_id = await snapshot(services, 1, no_asks())
    replicas = [make_services(alert_channel=ALERTS) for _ in range(3)]
    outcomes = await asyncio.gather(*(alerts(r, 1, scan_id) for r in replicas))
    assert sorted(o.status for o in outcomes).count("done") == 1
    assert len(main_posts(slack_api)) == 1


async def _crash(*args: Any, **kwargs: Any) -> Any:
    raise Crash
