"""The case's controls through the real app: the owner picker of `/outreach assign TOKEN` (no
mention), an entry's Retract…, editors only, and the lists `/outreach mine|team|overdue`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from bot.usecases.outreach import Actor, log_outreach, log_reply_contribution, outreach_state
from bot.usecases.services import Services
from tests.commands.flow import SYMBOL, block_of, command, ephemeral_choice, opened_view, submission
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests, plain_input

Start = Callable[[Services], Awaitable[ServedBot]]
ALICE = Actor("U0ANALYST", "T0LIQBOT", "alice")


async def test_the_owner_picker_reassigns_and_an_entry_is_retracted(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await log_outreach(services, ALICE, SYMBOL, "email", None, None, None, "o")
    pledge = await log_reply_contribution(services, ALICE, SYMBOL, "3", "p")
    bot = await start_liqbot(services)

    answer = await command(bot, slack_api, slack_requests, "/outreach", "assign zibbka")
    blocks = answer.payload["blocks"]
    assert "Pick the new owner with the picker next to *Owner*" in json.dumps(blocks)
    owner = block_of(blocks, f"owner:{SYMBOL}")
    assert owner["accessory"]["type"] == "users_select"
    assert owner["accessory"]["initial_user"] == "U0ANALYST"
    pick = {"type": "users_select", "action_id": "case_assign", "selected_user": "U0CAROL"}
    chosen = ephemeral_choice(slack_requests, owner["block_id"], pick)
    assert (await bot.post(chosen)).status_code == 200
    url = json.loads(chosen.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    assert "Owner: u0carol (was alice)" in slack_api.responses(url)[0].payload["text"]
    assert (await outreach_state(services, [SYMBOL]))[SYMBOL].owner == "U0CAROL"

    answer = await command(bot, slack_api, slack_requests, "/outreach", "zibbka")
    entry = block_of(answer.payload["blocks"], f"entry:{pledge.record_id}")
    menu = entry["accessory"]
    retract = next(o for o in menu["options"] if o["value"].startswith("retract:"))
    choice = {"type": "overflow", "action_id": menu["action_id"], "selected_option": retract}
    assert (await bot.post(ephemeral_choice(slack_requests, entry["block_id"], choice))).is_success
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    view = opened_view(slack_api)
    assert view["callback_id"] == "case_retract_modal"
    empty = await bot.post(submission(slack_requests, view, {"reason": plain_input(" ")}))
    assert empty.json() == {"response_action": "errors", "errors": {"reason": "Required."}}
    done = await bot.post(submission(slack_requests, view, {"reason": plain_input("wrong token")}))
    assert done.text == ""
    state = (await outreach_state(services, [SYMBOL]))[SYMBOL]
    assert state.label == "contacted today"  # the pledge no longer counts
    answer = await command(bot, slack_api, slack_requests, "/outreach", "zibbka")
    retracted = block_of(answer.payload["blocks"], f"entry:{pledge.record_id}")
    assert "[retracted by #" in retracted["text"]["text"] and "accessory" not in retracted


async def test_only_editors_pick_an_owner(
    start_liqbot: Start,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    services = make_services(editor_user_ids="U0ANALYST")
    await log_outreach(services, ALICE, SYMBOL, "email", None, None, None, "o")
    bot = await start_liqbot(services)
    pick = {"type": "users_select", "action_id": "case_assign", "selected_user": "U0OUT"}
    chosen = ephemeral_choice(slack_requests, f"owner:{SYMBOL}", pick, user_id="U0OUT")
    assert (await bot.post(chosen)).status_code == 200
    url = json.loads(chosen.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    assert "Only the listing and risk editors" in slack_api.responses(url)[0].payload["text"]
    refused = await command(
        bot, slack_api, slack_requests, "/outreach", "assign zibbka <@U0OUT|out>", user_id="U0OUT"
    )
    assert "Only the listing and risk editors" in refused.payload["text"]
    assert (await outreach_state(services, [SYMBOL]))[SYMBOL].owner == "U0ANALYST"


async def test_mine_team_and_overdue_answers(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await log_outreach(services, ALICE, SYMBOL, "email", None, None, "2026-11-25", "o")
    bob = Actor("U0BOB", "T0LIQBOT", "bob")
    await log_outreach(services, bob, "MOOPIO", "call", None, None, None, "o2")
    bot = await start_liqbot(services)

    mine = await command(bot, slack_api, slack_requests, "/outreach", "mine")
    assert mine.payload["text"] == "DEMO DATA · Your open cases: 1"
    text = json.dumps(mine.payload["blocks"], ensure_ascii=False)
    assert "ZIBBKA · contacted today · reminder due 2026-11-25" in text
    bobs = await command(bot, slack_api, slack_requests, "/outreach", "mine", user_id="U0BOB")
    assert "MOOPIO" in json.dumps(bobs.payload["blocks"]) and "ZIBBKA" not in json.dumps(
        bobs.payload["blocks"]
    )
    team = await command(bot, slack_api, slack_requests, "/outreach", "team")
    lines = [b["text"]["text"] for b in team.payload["blocks"] if b["type"] == "section"]
    assert lines == [
        "*alice (1)*\n• ZIBBKA · contacted today · reminder due 2026-11-25\n"
        "*bob (1)*\n• MOOPIO · contacted today · reminder due 2026-12-02"
    ]
    overdue = await command(bot, slack_api, slack_requests, "/outreach", "overdue")
    assert overdue.payload["text"] == "DEMO DATA · Overdue cases, most overdue first: 1"
