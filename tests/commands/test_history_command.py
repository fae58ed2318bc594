"""`/liquidity TOKEN history [30|90]` through the real app: the history PNG is uploaded where the
command was typed, or to the requester's DM when liqbot is not in that channel (the depth chart
too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.market.demo import DEMO_BANNER
from bot.usecases.services import Services
from tests.builders import NOW, Clock
from tests.commands.flow import command
from tests.conftest import sqlite_only
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests
from tests.history_builders import store_scan_of
from tests.history_scenario import AFTER, store_engagement_story

Start = Callable[[Services], Awaitable[ServedBot]]
PNG = b"\x89PNG\r\n\x1a\n"


async def test_history_uploads_the_chart_to_the_channel(
    start_liqbot: Start,
    services: Services,
    clock: Clock,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_engagement_story(services, clock)
    await store_scan_of(services, NOW, [AFTER])  # a fresh snapshot: the answer needs no exchange
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, "/liquidity", "zorb history 90")
    assert reply.status == 200 and reply.payload["text"].startswith("DEMO DATA · ZORB")
    await slack_api.async_wait_for(
        lambda: any(u.completed for u in slack_api.workspace.uploads.values()), timeout=15
    )
    [upload] = slack_api.workspace.uploads.values()
    assert (upload.filename, upload.channel_id) == ("ZORB-history-90d.png", "C0RISKDESK")
    assert upload.data is not None and upload.data.startswith(PNG)
    assert upload.title == (
        "ZORB: daily ±2% depth and spread, last 90 days (25 days of history, 2026-11-01 to "
        f"2026-11-25) ({DEMO_BANNER})"
    )


@sqlite_only
async def test_charts_go_to_the_requesters_dm_when_liqbot_is_not_in_the_channel(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    slack_api.workspace.channels_without_bot.add("C0ELSEWHERE")
    bot = await start_liqbot(services)
    reply = await command(
        bot, slack_api, slack_requests, "/liquidity", "ZIBBKA chart", channel_id="C0ELSEWHERE"
    )
    assert reply.status == 200
    await slack_api.async_wait_for(
        lambda: any(u.completed for u in slack_api.workspace.uploads.values()), timeout=15
    )
    done = [u for u in slack_api.workspace.uploads.values() if u.completed]
    assert [(u.filename, u.channel_id) for u in done] == [
        ("ZIBBKA-USDT-binance-depth.png", "D0ANALYST")  # the DM with U0ANALYST
    ]
    assert [c.args["users"] for c in slack_api.ok_calls("conversations.open")] == ["U0ANALYST"]
