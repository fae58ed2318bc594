"""Follow-ups: one DM to the case owner without an answer after FOLLOWUP_DAYS, then one post in
the channel FOLLOWUP_ESCALATE_DAYS later mentioning the owner; each once, across replicas and
crashes."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import repo_ledger
from bot.usecases.ledger import STALE_AFTER
from bot.usecases.outreach import (
    Actor,
    log_outreach,
    log_reply_declined,
    log_reply_has_mm,
    outreach_state,
)
from bot.usecases.outreach.followups import due_steps
from jobs.reminders import reminders_job
from tests.builders import ALICE, BOB, DIGEST_CHANNEL, Clock
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn


class Crash(BaseException):
    pass


async def crash(*args: object, **kwargs: object) -> bool:
    raise Crash


async def log(services_: object, actor: object, symbol: str, key: str) -> None:
    await log_outreach(services_, actor, symbol, "telegram", "@team", None, None, key)  # type: ignore[arg-type]


async def test_one_dm_to_the_owner_after_followup_days_then_one_escalation(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services(followup_days=7, followup_escalate_days=3)
    alice = Actor("U0ALICE", "T_TEAM", "alice")  # an id Slack would show as a mention
    await log(services, alice, "ZORB", "o-zorb")
    await log(services, BOB, "QUUX", "o-quux")
    clock.advance(days=1)
    await log(services, BOB, "ZORB", "o-zorb-2")  # Alice owns ZORB: the first to contact
    await log_reply_declined(services, BOB, "QUUX", "not now", "r-quux", ["contribution"])
    await log_reply_has_mm(services, BOB, "QUUX", "GSR", None, None, None, None, "m-quux")

    clock.advance(days=5)  # Dec 1, 12:00: due on Nov 26 + 7 days = Dec 3 (team's day, UTC)
    assert await reminders_job(services) == 0
    clock.advance(hours=36)  # Dec 3, 00:00
    sent = [await reminders_job(services) for _ in range(3)]

    assert sent == [1, 0, 0]
    (dm,) = slack_api.ok_calls("chat.postMessage")
    assert dm.args["channel"] == "U0ALICE"
    assert dm.args["text"] == (
        "Follow-up due for ZORB (your case): waiting for an answer on the market maker and an "
        "answer on the contribution since the outreach of 2026-11-26 12:00 UTC, 7 days ago. Log "
        "the project's answer, log a new outreach, or snooze the token."
    )
    assert dm.args["blocks"][0]["block_id"] == "token:ZORB"
    assert dm.args["blocks"][1]["type"] == "actions"
    assert await due_steps(services, clock()) == []  # recorded in the case

    clock.advance(days=3)  # Dec 6: three days after the reminder, still no answer
    assert [await reminders_job(services) for _ in range(2)] == [1, 0]
    escalation = slack_api.ok_calls("chat.postMessage")[-1]
    assert escalation.args["channel"] == DIGEST_CHANNEL
    assert escalation.args["text"].startswith(
        "<@U0ALICE>: ZORB is escalated, waiting for an answer"
    )
    state = (await outreach_state(services, ["ZORB"]))["ZORB"]
    assert state.label == "no response · escalated 2026-12-06"


async def test_an_answer_to_one_question_restarts_the_wait_for_the_other(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services(followup_days=7)
    await log(services, ALICE, "ZORB", "o-zorb")
    clock.advance(days=5)
    await log_reply_has_mm(services, BOB, "ZORB", "GSR", None, None, None, None, "m")
    clock.advance(days=3)  # 8 days after the contact, 3 after the answer
    assert await reminders_job(services) == 0
    clock.advance(days=4)
    assert await reminders_job(services) == 1
    (dm,) = slack_api.ok_calls("chat.postMessage")
    assert (
        "waiting for an answer on the contribution since the has market maker of"
        in (dm.args["text"])
    )


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
    assert await due_steps(services, clock()) == []


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
