"""One outreach case end to end through the real app over HTTP, on SQLite and PostgreSQL:
contact → has MM → will contribute 3% → agreed → received 2.5% → correction → reassignment →
reminder → escalation. At every step `/outreach`, App Home, the digest and the export tell the
same stage, owner and answers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from bot.domain.units import fmt_amount as fmt
from bot.presenters.actions import token_block_id
from bot.presenters.digest import render_digest_text
from bot.usecases.digest import build_digest
from bot.usecases.outreach.export import export_cases, export_events
from bot.usecases.outreach.kinds import LOG_OUTREACH, REPLY_CONTRIBUTE, REPLY_HAS_MM
from bot.usecases.services import Services
from bot.usecases.supply import read_demo_supply
from jobs.reminders import reminders_job
from tests.builders import Clock
from tests.commands.flow import (
    DIGEST_CHANNEL,
    SYMBOL,
    actions_block,
    block_of,
    command,
    ephemeral_choice,
    ephemeral_click,
    open_modal,
    opened_view,
    post_digest,
    submission,
)
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import (
    SlackRequests,
    datepicker,
    number_input,
    plain_input,
    static_select,
)

Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]
SUPPLY = next(r.circulating_supply for r in read_demo_supply() if r.symbol == SYMBOL)
PLEDGED = SUPPLY * 0.03
RECEIVED = SUPPLY * 0.025
ALICE, BOB = "U0ANALYST", "U0BOB"


@dataclass
class Walk:
    """The bot, the stand-in and the test's clock, and what every surface says of the case."""

    bot: ServedBot
    slack: SlackApiStandIn
    requests: SlackRequests
    services: Services
    clock: Clock

    async def outreach(self, user: str = ALICE) -> dict[str, Any]:
        answer = await command(
            self.bot, self.slack, self.requests, "/outreach", "zibbka", user_id=user
        )
        assert answer.status == 200, answer.payload
        return answer.payload

    async def home(self, user: str) -> list[dict[str, Any]]:
        published = len(self.slack.ok_calls("views.publish"))
        assert (await self.bot.post(self.requests.app_home_opened(user))).status_code == 200
        await self.slack.async_wait_for(
            lambda: len(self.slack.ok_calls("views.publish")) > published
        )
        return list(self.slack.workspace.home_views[user]["blocks"])

    async def agree(self, stage: str, label: str, owner: tuple[str, str]) -> dict[str, Any]:
        """Every surface shows ``stage``, the one-line ``label`` and the ``owner`` (id, name);
        returns the export's row of the case."""
        owner_id, owner_name = owner
        text = f"{label} · owner {owner_name}"
        answer = await self.outreach()
        assert answer["text"].startswith(f"DEMO DATA · {SYMBOL} case: {text} (")
        stage_line = block_of(answer["blocks"], f"token:{SYMBOL}")["text"]["text"]
        assert stage_line == f"*Stage:* {label} · owner <@{owner_id}>"

        home = await self.home(owner_id)  # the owner's own cases
        row = next(b for b in home if b.get("block_id") == token_block_id(SYMBOL))
        assert row["text"]["text"].startswith(f"*{SYMBOL}* · {label} · owner <@{owner_id}>\n")

        digest = await build_digest(self.services)
        [digest_row] = [r for r in digest.rows if r.symbol == SYMBOL]
        assert digest_row.outreach == text
        assert f"   outreach: {text}" in render_digest_text(digest)

        [case] = [r for r in await export_cases(self.services) if r["symbol"] == SYMBOL]
        assert (case["stage"], case["owner"], case["owner_id"]) == (stage, owner_name, owner_id)
        return case

    async def submit(self, view: dict[str, Any], values: dict[str, Any], user: str = ALICE) -> None:
        response = await self.bot.post(submission(self.requests, view, values, user_id=user))
        assert response.status_code == 200 and response.text == "", response.text

    async def from_outreach(self, action_id: str) -> dict[str, Any]:
        """Clicks ``action_id`` among the next steps of the `/outreach` answer: its modal."""
        buttons = actions_block((await self.outreach())["blocks"], SYMBOL)
        assert action_id in [e["action_id"] for e in buttons["elements"]]
        opened = len(self.slack.ok_calls("views.open"))
        click = ephemeral_click(self.requests, action_id, SYMBOL, buttons["block_id"])
        assert (await self.bot.post(click)).status_code == 200
        await self.slack.async_wait_for(
            lambda: len(self.slack.ok_calls("views.open")) == opened + 1
        )
        return opened_view(self.slack)


@pytest.fixture
def walk_services(make_services: MakeServices, slack_api: SlackApiStandIn) -> Services:
    return make_services(
        timezone="Europe/Berlin",
        digest_channel=DIGEST_CHANNEL,
        slack_bot_token=SecretStr(slack_api.token),
        slack_api_url=slack_api.api_url,
        snapshot_interval_minutes=60 * 24 * 30,  # the digest reads the stored scan
        followup_days=7,
        followup_escalate_days=3,
    )


async def _contact_to_delivery(
    walk: Walk,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    clock: Clock,
    digest: dict[str, Any],
    alice: tuple[Any, str],
) -> tuple[dict[str, Any], str]:
    """The first half of the walk: contact → has MM → will contribute 3% → agreed → received;
    returns the receipt's modal values and the stage line it shows."""
    # Contact from a digest row (Wed 2026-11-25 13:00 CET): Alice owns the case.
    view = await open_modal(walk.bot, slack_api, slack_requests, LOG_OUTREACH, message=digest)
    await walk.submit(view, {"channel": static_select("telegram"), "contact": plain_input("@zb")})
    await walk.agree("contacted", "contacted today", alice)

    # Has MM: in talks; the contribution question stays open.
    clock.advance(hours=1)
    view = await open_modal(walk.bot, slack_api, slack_requests, REPLY_HAS_MM, message=digest)
    await walk.submit(view, {"mm_name": plain_input("Wintermute")})
    await walk.agree("in_talks", "in talks · MM Wintermute", alice)

    # Will contribute 3%: both answers kept.
    clock.advance(hours=1)
    view = await open_modal(walk.bot, slack_api, slack_requests, REPLY_CONTRIBUTE, message=digest)
    await walk.submit(view, {"pct_of_supply": number_input("3")})
    case = await walk.agree("in_talks", "in talks · MM Wintermute · pledged 3%", alice)
    assert (case["market_maker"], case["contribution"], case["pledged_pct"]) == (
        "has_mm",
        "pledged",
        3.0,
    )
    assert case["pledged_tokens"] == round(PLEDGED)
    assert case["pledged_figures_at"] == "2026-11-25T13:00+01:00"  # the stored scan's time

    # Agreed, from the case's own next steps (Thu).
    clock.advance(days=1)
    view = await walk.from_outreach("case_agreed")
    await walk.submit(view, {"tokens": number_input(f"{PLEDGED:f}")})
    agreed = f"agreed · MM Wintermute · {fmt(PLEDGED)} tokens agreed"
    await walk.agree("agreed", agreed, alice)

    # Received 2.5% of supply on Sat 11-28: delivered, short of the agreed amount.
    clock.advance(days=2)
    view = await walk.from_outreach("case_received")
    received = {
        "tokens": number_input(f"{RECEIVED:f}"),
        "received_on": datepicker("2026-11-28"),
        "lockup_until": datepicker("2027-03-01"),
    }
    await walk.submit(view, received)
    delivered = f"delivered · MM Wintermute · {fmt(RECEIVED)} of {fmt(PLEDGED)} tokens received"
    case = await walk.agree("delivered", delivered, alice)
    assert case["received_tokens"] == round(RECEIVED)
    assert case["shortfall_tokens"] == round(PLEDGED - RECEIVED)
    assert case["lockup_until"] == "2027-03-01"
    return received, delivered


async def test_one_case_from_contact_to_escalation_agrees_everywhere(
    start_liqbot: Start,
    walk_services: Services,
    store_demo_scan: Store,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    clock: Clock,
) -> None:
    services = walk_services
    await store_demo_scan(services)
    walk = Walk(await start_liqbot(services), slack_api, slack_requests, services, clock)
    alice = (ALICE, "u0analyst")  # the stand-in's users.info display name
    digest = post_digest(slack_api)

    received, delivered = await _contact_to_delivery(
        walk, slack_api, slack_requests, clock, digest, alice
    )

    # Correction: the lock-up runs to June. Through the receipt's own menu on /outreach.
    clock.advance(hours=1)
    answer = await walk.outreach()
    receipt = next(
        b for b in answer["blocks"] if "Received on 2026-11-28" in b.get("text", {}).get("text", "")
    )
    menu = receipt["accessory"]
    correct = next(o for o in menu["options"] if o["value"].startswith("correct:"))
    choice = {"type": "overflow", "action_id": menu["action_id"], "selected_option": correct}
    assert (
        await walk.bot.post(ephemeral_choice(slack_requests, receipt["block_id"], choice))
    ).status_code == 200
    await slack_api.async_wait_for(
        lambda: opened_view(slack_api)["callback_id"] == "case_correct_modal"
    )
    view = opened_view(slack_api)
    await walk.submit(
        view,
        {**received, "lockup_until": datepicker("2027-06-01"), "note": plain_input("six months")},
    )
    case = await walk.agree("delivered", delivered, alice)
    assert case["lockup_until"] == "2027-06-01"
    events = await export_events(services)
    assert [(e["kind"], e["status"]) for e in events][-2:] == [
        ("received", f"corrected by #{events[-1]['id']}"),
        ("correct", "standing"),
    ]

    # Reassignment: Alice gives the case to Bob (the mention as the manifest escapes it).
    clock.advance(hours=1)
    reassigned = await command(
        walk.bot, slack_api, slack_requests, "/outreach", f"assign zibbka <@{BOB}|bob>"
    )
    assert "Owner: bob (was u0analyst)" in json.dumps(reassigned.payload["blocks"])
    await walk.agree("delivered", delivered, (BOB, "bob"))

    # Still short 7 team's days after the receipt: one DM to Bob, the owner now.
    clock.now = clock.now.replace(month=12, day=5, hour=9)
    assert [await reminders_job(services) for _ in range(2)] == [1, 0]
    dm = slack_api.ok_calls("chat.postMessage")[-1]
    assert dm.args["channel"] == BOB
    assert dm.args["text"].startswith(
        f"Follow-up due for {SYMBOL} (your case): waiting for the {fmt(PLEDGED - RECEIVED)} tokens "
        "still short since the receipt of 2026-11-28 15:00 CET, 7 days ago."
    )
    # And 3 days later, raised in the team's channel mentioning him.
    clock.now = clock.now.replace(day=8)
    assert [await reminders_job(services) for _ in range(2)] == [1, 0]
    raised = slack_api.ok_calls("chat.postMessage")[-1]
    assert raised.args["channel"] == DIGEST_CHANNEL
    assert raised.args["text"].startswith(f"<@{BOB}>: {SYMBOL} is escalated, waiting for the")
    escalated = delivered.replace("delivered ·", "delivered · escalated 2026-12-08 ·")
    case = await walk.agree("delivered", escalated, (BOB, "bob"))
    assert (case["reminded_at"], case["escalated_at"]) == (
        "2026-12-05T10:00+01:00",
        "2026-12-08T10:00+01:00",
    )
    assert [e["kind"] for e in await export_events(services)] == [
        "contact", "has_mm", "pledged", "agreed", "received", "correct", "assign", "reminded",
        "escalated",
    ]  # fmt: skip
