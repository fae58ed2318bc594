"""App Home through the real app: published on app_home_opened, with the pipeline counts and the
viewer's follow-ups, whose buttons log from the App Home and republish it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from bot.presenters.actions import token_block_id
from bot.usecases.outreach import Actor, log_outreach
from bot.usecases.outreach.kinds import SNOOZE
from bot.usecases.scan import ScanResult
from bot.usecases.services import Services
from tests.commands.flow import metadata, opened_view, sign, submission
from tests.conftest import sqlite_only
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import JSON, SlackRequests, number_input

SYMBOL = "ZIBBKA"
Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]


def _fields(block: dict[str, Any]) -> list[str]:
    return [f["text"] for f in block["fields"]]


async def test_home_shows_the_pipeline_and_my_follow_ups_and_logs_from_them(
    start_liqbot: Start,
    services: Services,
    store_demo_scan: Store,
    demo_scan: ScanResult,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    me = Actor("U0ANALYST", "T0LIQBOT", "alice")
    # Logged today with follow-up today: due now.
    await log_outreach(services, me, SYMBOL, "call", None, None, "2026-11-25", "k-home")
    bot = await start_liqbot(services)

    response = await bot.post(slack_requests.app_home_opened("U0ANALYST"))
    assert response.status_code == 200
    await slack_api.async_wait_for(lambda: "U0ANALYST" in slack_api.workspace.home_views)
    blocks = slack_api.workspace.home_views["U0ANALYST"]["blocks"]

    tiers = Counter(t.risk.tier for t in demo_scan.tokens)
    [tier_block, stage_block, pledge_block] = [b for b in blocks if "fields" in b]
    assert _fields(tier_block) == [
        f"*Tier high*\n{tiers['high']}",
        f"*Tier medium*\n{tiers['medium']}",
    ]
    stages = _fields(stage_block)
    assert stages[:2] == [
        f"*Not contacted*\n{tiers['high'] + tiers['medium'] - 1}",
        "*Contacted*\n1",
    ]
    assert _fields(pledge_block)[0] == "*Asked*\n1"
    row = next(b for b in blocks if b.get("block_id") == token_block_id(SYMBOL))
    assert row["text"]["text"] == (
        f"*{SYMBOL}* · contacted today · owner <@U0ANALYST>\nFollow-up: reminder due 2026-11-25"
    )
    texts = json.dumps(blocks, ensure_ascii=False)
    assert f"{SYMBOL} · contacted today · owner alice · reminder due 2026-11-25" in texts  # overdue

    click = slack_requests.block_actions(
        SNOOZE.action_id, SYMBOL, view=slack_api.workspace.home_views["U0ANALYST"]
    )
    await bot.post(click)
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    view = opened_view(slack_api)
    assert metadata(view) == {"symbol": SYMBOL, "home": True}
    await bot.post(submission(slack_requests, view, {"days": number_input("7")}))

    # Republished: snoozed, its follow-up waits (still the viewer's case, no longer overdue).
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.publish")) == 2)
    blocks = slack_api.workspace.home_views["U0ANALYST"]["blocks"]
    row = next(b for b in blocks if b.get("block_id") == token_block_id(SYMBOL))
    assert "snoozed until 2026-12-02" in row["text"]["text"]
    assert "Nothing overdue in the team" in json.dumps(blocks)  # the snooze holds it


@sqlite_only
async def test_messages_tab_is_left_alone(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    request = slack_requests.app_home_opened("U0ANALYST")
    body = json.loads(request.body)
    body["event"]["tab"] = "messages"
    assert (await bot.post(sign(json.dumps(body), JSON))).status_code == 200
    home = await bot.post(slack_requests.app_home_opened("U0OTHER"))
    assert home.status_code == 200
    await slack_api.async_wait_for(lambda: "U0OTHER" in slack_api.workspace.home_views)
    assert list(slack_api.workspace.home_views) == ["U0OTHER"]
