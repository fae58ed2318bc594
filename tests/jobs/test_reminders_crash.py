"""Follow-ups across a crash between Slack's answer and the run ledger's record: the retried run
finds the reminder (in the owner's DM) or the escalation (in the channel) by its metadata and
records it with Slack's ts instead of sending it again; a history Slack cannot show for now fails
the run, which is retried, never posting blindly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest

from bot.db import repo_ledger
from bot.db.records import JobRunRecord
from bot.usecases.ledger import STALE_AFTER
from bot.usecases.outreach import Actor, log_outreach
from bot.usecases.outreach.followups import due_steps
from bot.usecases.services import Services
from jobs.reminders import reminders_job
from tests.builders import DIGEST_CHANNEL, Clock
from tests.conftest import MakeServices
from tests.fakes.slack_api import ApiCall, SlackApiStandIn

ALICE = Actor("U0ALICE", "T_TEAM", "alice")
ALICE_DM = "D0ALICE"  # the stand-in's DM with U0ALICE


class Crash(BaseException):
    """The process dies (not an error the run could mark failed)."""


@pytest.fixture(autouse=True)
def slack_clock(slack_api: SlackApiStandIn, clock: Clock) -> None:
    """Slack stamps messages with the tests' time, so a history read from a run's start sees
    what was posted since."""
    slack_api.workspace.clock = lambda: clock().timestamp()


def fails_recording(kind: str, fault: BaseException) -> Callable[..., Awaitable[None]]:
    """``repo_ledger.record_post`` that raises ``fault`` instead of recording a ``kind`` post:
    Slack has the message, the ledger does not."""
    record_post = repo_ledger.record_post

    async def record(*args: Any, **kwargs: Any) -> None:
        if kwargs.get("kind") == kind:
            raise fault
        await record_post(*args, **kwargs)

    return record


def followups(slack: SlackApiStandIn, step: str) -> list[ApiCall]:
    """The reminders to Alice ("remind") or escalations in the channel ("escalate") Slack
    accepted."""
    to = {"remind": "U0ALICE", "escalate": DIGEST_CHANNEL}[step]
    return [c for c in slack.ok_calls("chat.postMessage") if c.args["channel"] == to]


async def run_of(services: Services, job: str) -> JobRunRecord:
    (due,) = await due_steps(services, services.clock())
    period = due.period
    run = await repo_ledger.get_run(services.engine, job, period)
    assert run is not None
    return run


async def reminded_after_a_crash(
    make_services: MakeServices, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> tuple[Services, JobRunRecord]:
    """ZORB's reminder went to Alice, then the process died before recording it."""
    services = make_services()
    await log_outreach(services, ALICE, "ZORB", "telegram", "@team", None, None, "o-zorb")
    clock.advance(days=8)
    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "record_post", fails_recording("remind", Crash()))
        with pytest.raises(Crash):
            await reminders_job(services)
    run = await run_of(services, "followup_reminder")
    assert (run.status, run.posts) == ("claimed", ())
    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)
    return services, run


async def test_the_first_attempt_posts_without_reading_slack_and_names_its_step(
    make_services: MakeServices, slack_api: SlackApiStandIn, clock: Clock
) -> None:
    services = make_services()
    await log_outreach(services, ALICE, "ZORB", "telegram", "@team", None, None, "o-zorb")
    clock.advance(days=8)
    (due,) = await due_steps(services, clock())

    assert await reminders_job(services) == 1

    (dm,) = slack_api.ok_calls("chat.postMessage")
    assert dm.args["channel"] == "U0ALICE"
    assert dm.args["metadata"] == {
        "event_type": "liqbot_followup",
        "event_payload": {
            "token": "ZORB",
            "step": "remind",
            "anchor": str(due.followup.anchor.id),
            "period": due.period,
        },
    }
    assert slack_api.calls("conversations.history") == []  # nothing to look for yet
    assert slack_api.calls("conversations.open") == []


async def test_a_reminder_slack_took_before_a_crash_is_recorded_not_sent_again(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services, crashed = await reminded_after_a_crash(make_services, clock, monkeypatch)
    (dm,) = followups(slack_api, "remind")

    assert await reminders_job(make_services()) == 1  # another replica takes the run over

    assert followups(slack_api, "remind") == [dm]
    assert await due_steps(services, clock()) == []  # the case records the reminder
    done = await repo_ledger.get_run(services.engine, *key(crashed))
    assert done is not None and done.status == "done" and done.attempts == 2
    assert [(p.kind, p.channel, p.ts) for p in done.posts] == [
        ("remind", ALICE_DM, dm.answer["ts"])
    ]
    (opened,) = slack_api.ok_calls("conversations.open")
    assert opened.args["users"] == "U0ALICE"
    (history,) = slack_api.ok_calls("conversations.history")
    assert history.args["channel"] == ALICE_DM
    # Read from the run's start (less a margin for clocks), not from the takeover.
    oldest = Decimal(history.args["oldest"])
    assert oldest <= Decimal(str(crashed.started_at.timestamp())) <= Decimal(dm.answer["ts"])


def key(run: JobRunRecord) -> tuple[str, str]:
    return run.job, run.period


async def test_an_escalation_slack_took_before_the_database_failed_is_not_posted_again(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services(followup_days=7, followup_escalate_days=3)
    await log_outreach(services, ALICE, "ZORB", "telegram", "@team", None, None, "o-zorb")
    clock.advance(days=8)
    assert await reminders_job(services) == 1
    clock.advance(days=3)
    with monkeypatch.context() as patch:
        database_down = ConnectionError("the database went away")
        patch.setattr(repo_ledger, "record_post", fails_recording("escalate", database_down))
        assert await reminders_job(services) == 0  # logged; the run is marked failed
    (escalation,) = followups(slack_api, "escalate")
    failed = await run_of(services, "followup_escalation")
    assert failed.status == "failed"
    # Busy channel: the escalation is past the first page of its history by now.
    for n in range(250):
        slack_api.workspace.messages[DIGEST_CHANNEL].append(
            {"type": "message", "ts": f"{int(clock().timestamp()) + 1}.{n:06d}", "text": f"{n}"}
        )
    clock.advance(minutes=5)  # the next catch-up

    assert await reminders_job(services) == 1

    assert followups(slack_api, "escalate") == [escalation]
    done = await repo_ledger.get_run(services.engine, *key(failed))
    assert done is not None and done.status == "done"
    assert [(p.kind, p.channel, p.ts) for p in done.posts] == [
        ("escalate", DIGEST_CHANNEL, escalation.answer["ts"])
    ]
    assert await due_steps(services, clock()) == []
    pages = slack_api.ok_calls("conversations.history")
    assert len(pages) == 2 and pages[1].args["cursor"]
    assert slack_api.calls("conversations.open") == []  # a channel needs no opening


@pytest.mark.parametrize(("status", "times"), [(503, 1), (429, 4)])
async def test_a_history_slack_cannot_show_fails_the_run_which_is_retried_without_a_duplicate(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    times: int,
) -> None:
    services, crashed = await reminded_after_a_crash(make_services, clock, monkeypatch)
    # 429 past the jobs' client retries (three, after Retry-After), or a 5xx (not retried).
    slack_api.fail_next("conversations.history", times=times, status=status, retry_after=0)

    assert await reminders_job(make_services()) == 0

    assert len(followups(slack_api, "remind")) == 1  # not posted blindly
    failed = await repo_ledger.get_run(services.engine, *key(crashed))
    assert failed is not None and (failed.status, failed.posts) == ("failed", ())
    assert "SlackApiError" in str((failed.result or {}).get("error"))

    clock.advance(minutes=5)  # the next catch-up: Slack answers again
    assert await reminders_job(make_services()) == 1
    (dm,) = followups(slack_api, "remind")
    done = await repo_ledger.get_run(services.engine, *key(crashed))
    assert done is not None and done.status == "done" and done.attempts == 3
    assert [p.ts for p in done.posts] == [dm.answer["ts"]]


async def test_without_im_history_a_retried_reminder_still_goes_out_unchecked(
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An app installed before ``im:history`` was in the manifest: Slack refuses the check for
    good, so the reminder is sent again rather than never (logged)."""
    slack_api.workspace.scopes.discard("im:history")
    services, _ = await reminded_after_a_crash(make_services, clock, monkeypatch)

    assert await reminders_job(make_services()) == 1

    (refused,) = slack_api.calls("conversations.history")
    assert refused.answer == {
        "ok": False,
        "error": "missing_scope",
        "needed": "im:history",
        "provided": ",".join(sorted(slack_api.workspace.scopes)),
    }
    assert len(followups(slack_api, "remind")) == 2
    assert await due_steps(services, clock()) == []
