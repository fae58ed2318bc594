"""The whole loop through the real Bolt app, HTTP server and Slack stand-in, on SQLite and
PostgreSQL: /liquidity → answer → button → modal → submission → rows + audit → message updated."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.db import repo_audit, repo_cases
from bot.market.demo import DEMO_BANNER
from bot.presenters.actions import token_block_id
from bot.presenters.blocks_common import notes_block_id
from bot.usecases.outreach.kinds import LOG_OUTREACH
from bot.usecases.services import Services
from tests.builders import written_rows
from tests.commands.flow import (
    actions_block,
    command,
    ephemeral_click,
    metadata,
    opened_view,
    submission,
)
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests, datepicker, plain_input, static_select

SYMBOL = "ZIBBKA"  # a high-tier demo token with a known circulating supply
OUTREACH_VALUES: dict[str, dict[str, Any]] = {
    "channel": static_select("telegram"),
    "contact": plain_input("@zibbka_team"),
    "notes": plain_input("asked about a market maker"),
    "followup_on": datepicker("2026-12-01"),
}

Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_liquidity_answer_to_logged_outreach_and_redrawn_answer(
    start_liqbot: Start,
    services: Services,
    store_demo_scan: Store,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    bot = await start_liqbot(services)

    answer = await command(bot, slack_api, slack_requests, "/liquidity", SYMBOL.lower())
    blocks = answer.payload["blocks"]
    assert answer.status == 200 and answer.payload["response_type"] == "ephemeral"
    assert DEMO_BANNER in _texts(blocks[:1]) and answer.payload["text"].startswith("DEMO DATA")
    row = next(b for b in blocks if b.get("block_id") == token_block_id(SYMBOL))
    assert "Tier high" in row["text"]["text"] and "not contacted" in row["text"]["text"]
    buttons = actions_block(blocks, SYMBOL)
    assert buttons["block_id"] == f"actions:{SYMBOL}|/liquidity {SYMBOL.lower()}"

    click = ephemeral_click(slack_requests, LOG_OUTREACH.action_id, SYMBOL, buttons["block_id"])
    assert (await bot.post(click)).status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    view = opened_view(slack_api)
    origin = metadata(view)
    click_url = json.loads(click.payload["payload"])["response_url"]
    assert origin == {
        "symbol": SYMBOL,
        "channel": "C0RISKDESK",
        "response_url": click_url,
        "command": f"/liquidity {SYMBOL.lower()}",
    }

    submitted = await bot.post(submission(slack_requests, view, OUTREACH_VALUES))
    assert submitted.status_code == 200 and submitted.text == ""  # modal closes: no errors

    await slack_api.async_wait_for(lambda: len(slack_api.responses(click_url)) == 1)
    [redrawn] = slack_api.responses(click_url)
    assert redrawn.status == 200 and redrawn.payload["replace_original"] is True
    new_blocks = redrawn.payload["blocks"]
    ids = [b.get("block_id") for b in new_blocks]
    assert ids.index(notes_block_id(SYMBOL)) == ids.index(token_block_id(SYMBOL)) + 1
    note = new_blocks[ids.index(notes_block_id(SYMBOL))]["elements"][0]["text"]
    assert note == (
        ":memo: Outreach by telegram to @zibbka_team, follow-up 2026-12-01; notes: asked about a "
        "market maker — logged by <@U0ANALYST> (#1)"
    )
    row_text = new_blocks[ids.index(token_block_id(SYMBOL))]["text"]["text"]
    assert "contacted today · owner <@U0ANALYST>" in row_text

    assert await written_rows(services) == {"case_events": 1, "mm_engagements": 0, "audit_log": 1}
    async with services.session() as session:
        [stored] = await repo_cases.case_events(session)
        [audit] = await repo_audit.audit_rows(session)
    assert (stored.symbol, stored.details["channel"], stored.details["contact"]) == (
        SYMBOL,
        "telegram",
        "@zibbka_team",
    )
    # The display name Slack shows (users.info), stored with the event.
    assert (stored.actor, stored.actor_name) == ("U0ANALYST", "u0analyst")
    assert (audit.action, audit.actor_user, audit.actor_team) == (
        "log_outreach",
        "U0ANALYST",
        "T0LIQBOT",
    )


async def test_a_doubled_submission_stores_one_record(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    click = slack_requests.block_actions(
        LOG_OUTREACH.action_id, SYMBOL, block_id=f"actions:{SYMBOL}"
    )
    await bot.post(click)
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    view = opened_view(slack_api)

    # Two deliveries of the same modal (a double click on Save, or Slack retrying): two
    # requests with their own trigger ids, one view id.
    first = await bot.post(submission(slack_requests, view, OUTREACH_VALUES))
    second = await bot.post(submission(slack_requests, view, OUTREACH_VALUES))

    assert (first.status_code, second.status_code) == (200, 200)
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.postEphemeral")) >= 2)
    rows = await written_rows(services)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)
