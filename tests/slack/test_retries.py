"""Retries both ways: Slack re-delivering to liqbot, and liqbot re-calling Slack's Web API."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.app import build_web_client
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests


def register_home_and_liquidity(app: AsyncApp) -> None:
    @app.event("app_home_opened")
    async def publish_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        await asyncio.sleep(0.2)  # slow enough for a retry to arrive while the first runs
        home = {"type": "home", "blocks": [{"type": "divider"}]}
        await client.views_publish(user_id=event["user"], view=home)

    @app.command("/liquidity")
    async def liquidity(ack: AsyncAck, respond: AsyncRespond, services: list[str]) -> None:
        await ack()
        services.append("assessed")
        await respond(text="PEPE: tier high")


async def test_a_retried_event_does_the_work_once(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_home_and_liquidity)
    first = slack_requests.app_home_opened("U0VIEWER", event_id="Ev0HOME1")
    retry = slack_requests.app_home_opened("U0VIEWER", event_id="Ev0HOME1", retry_num=1)
    other = slack_requests.app_home_opened("U0OTHER", event_id="Ev0HOME2")

    responses = [await bot.post(first), await bot.post(retry), await bot.post(other)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    await slack_api.async_wait_for(lambda: len(slack_api.calls("views.publish")) == 2)
    await asyncio.sleep(0.3)  # a second publish for the retry would have landed by now
    published = [c.args["user_id"] for c in slack_api.calls("views.publish")]
    assert sorted(published) == ["U0OTHER", "U0VIEWER"]


async def test_a_retried_slash_command_runs_once(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    work: list[str] = []
    bot = await serve_bot(register_home_and_liquidity, services=work)
    url = slack_api.new_response_url()
    first = slack_requests.slash_command("/liquidity", "PEPE", response_url=url, trigger_id="1.2.a")
    retry = slack_requests.slash_command(
        "/liquidity", "PEPE", response_url=url, trigger_id="1.2.a", retry_num=1
    )
    again = slack_requests.slash_command("/liquidity", "PEPE", response_url=url)

    statuses = [(await bot.post(r)).status_code for r in (first, retry, again)]

    assert statuses == [200, 200, 200]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 2)
    await asyncio.sleep(0.1)
    # The retry (same trigger_id) was dropped; the user's second command is new work.
    assert work == ["assessed", "assessed"]
    assert len(slack_api.responses(url)) == 2


async def test_web_api_429_is_retried_after_retry_after_and_posts_once(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    slack_api.fail_next("chat.postMessage", times=1, status=429, retry_after=1)
    client = build_web_client(slack_settings)

    answer = await client.chat_postMessage(channel="C0DIGEST", text="liqbot digest: 3 at risk")

    assert answer["ok"] is True
    attempts = slack_api.calls("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # Retry-After: 1 was honoured
    assert [m["text"] for m in slack_api.workspace.messages["C0DIGEST"]] == [
        "liqbot digest: 3 at risk"
    ]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_web_api_transient_5xx_is_retried_and_posts_once(
    slack_settings: Settings, slack_api: SlackApiStandIn, status: int
) -> None:
    slack_api.fail_next("chat.postMessage", times=1, status=status)
    client = build_web_client(slack_settings)

    answer = await client.chat_postMessage(channel="C0DIGEST", text="liqbot digest")

    assert answer["ok"] is True
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [status, 200]
    assert len(slack_api.ok_calls("chat.postMessage")) == 1
    assert len(slack_api.workspace.messages["C0DIGEST"]) == 1


async def test_web_api_gives_up_after_persistent_5xx(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    slack_api.fail_next("chat.postMessage", times=10, status=500)
    client = build_web_client(slack_settings)

    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C0DIGEST", text="liqbot digest")

    # One attempt and two retries, then the error surfaces instead of hammering Slack.
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [500, 500, 500]
    assert "C0DIGEST" not in slack_api.workspace.messages


async def test_web_api_client_of_the_bot_retries_inside_a_listener(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    def register(app: AsyncApp) -> None:
        @app.command("/atrisk")
        async def atrisk(ack: AsyncAck, client: AsyncWebClient, command: dict[str, Any]) -> None:
            await ack()
            await client.chat_postMessage(channel=command["channel_id"], text="3 tokens at risk")

    slack_api.fail_next("chat.postMessage", times=1, status=503)
    bot = await serve_bot(register)

    response = await bot.post(slack_requests.slash_command("/atrisk", channel_id="C0RISKDESK"))

    assert response.status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.postMessage")) == 1)
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [503, 200]
    assert [m["text"] for m in slack_api.workspace.messages["C0RISKDESK"]] == ["3 tokens at risk"]
