"""Follow-up reminders: one DM per outreach without a reply after FOLLOWUP_DAYS."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import repo_ledger
from bot.usecases.ledger import STALE_AFTER
from bot.usecases.outreach import log_outreach, log_reply_declined
from bot.usecases.outreach.followups import due_followups
from jobs.reminders import reminders_job
from tests.builders import ALICE, BOB, Clock
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn


class Crash(BaseException):
    pass


async def crash(*args: object, **kwargs: object) -> bool:
    raise Crash


async def log(services_: object, actor: object, symbol: str, key: str) -> None:
    await log_outreach(services_, actor, symbol, "telegram", "@team", None, None, key)  # type: ignore[arg-type]


async def test_one_dm_to_the_person_who_logged_it_after_followup_days(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services(followup_days=7)
    await log(services, ALICE, "ZORB", "o-zorb")
    await log(services, BOB, "QUUX", "o-quux")
    clock.advance(days=1)
    await log_reply_declined(services, BOB, "QUUX", "not now", "r-quux")  # answered: no reminder

    clock.advance(days=5)  # Dec 1, 12:00: due on Nov 25 + 7 days = Dec 2 (team's day, UTC)
    assert await reminders_job(services) == 0
    clock.advance(hours=12)  # Dec 2, 00:00
    sent = [await reminders_job(services) for _ in range(3)]

    assert sent == [1, 0, 0]
    (dm,) = slack_api.ok_calls("chat.postMessage")
    assert dm.args["channel"] == "U_ALICE"
    assert "Follow-up due for ZORB" in dm.args["text"] and "6 days ago" in dm.args["text"]
    assert dm.args["blocks"][0]["block_id"] == "token:ZORB"
    assert dm.args["blocks"][1]["type"] == "actions"
    assert await due_followups(services, clock(), 7) == []  # marked reminded


async def test_replicas_reminding_at_once_send_one_dm(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    await log(make_services(), ALICE, "ZORB", "o-zorb")
    clock.advance(days=8)
    replicas = [make_services() for _ in range(3)]
    await asyncio.gather(*(reminders_job(r) for r in replicas))
    assert len(slack_api.ok_calls("chat.postMessage")) == 1


async def test_a_crash_after_the_dm_is_recorded_does_not_send_it_twice(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    await log(services, ALICE, "ZORB", "o-zorb")
    clock.advance(days=8)
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "finish_run", crash)
        with pytest.raises(Crash):
            await reminders_job(services)
    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    await reminders_job(make_services())
    assert len(slack_api.ok_calls("chat.postMessage")) == 1
    assert await due_followups(services, clock(), 7) == []


async def test_a_dm_that_fails_is_retried_by_the_next_run(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services()
    await log(services, ALICE, "ZORB", "o-zorb")
    clock.advance(days=8)
    slack_api.fail_next("chat.postMessage", times=10, status=400)  # not retried by the client
    assert await reminders_job(services) == 0
    slack_api.fail_next("chat.postMessage", times=0)
    clock.advance(minutes=5)
    assert await reminders_job(services) == 1
    assert len(slack_api.ok_calls("chat.postMessage")) == 1
