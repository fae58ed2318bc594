"""liqbot's Request URL under uvicorn: verification, acknowledgement, replies, health."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests


@dataclass
class FakeLiquidityService:
    """Stands in for the use case; its exchange fetch lasts until the test opens ``fetched``."""

    fetched: asyncio.Event = field(default_factory=asyncio.Event)
    assessed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fetched.set()

    async def assess_token(self, symbol: str) -> str:
        await self.fetched.wait()
        self.assessed.append(symbol)
        return f"{symbol}: tier high, ±2% depth $4.3k < $50k"


def register_liquidity(app: AsyncApp) -> None:
    @app.command("/liquidity")
    async def liquidity(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, services: Any
    ) -> None:
        await ack()
        answer = await services.assess_token(command["text"].strip().upper())
        await respond(text=answer, response_type="ephemeral")


async def test_url_verification_echoes_the_challenge(
    serve_bot: StartBot, slack_requests: SlackRequests
) -> None:
    bot = await serve_bot(lambda app: None)
    response = await bot.post(
        slack_requests.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


async def test_slash_command_is_acked_before_the_slow_work_and_answered_via_response_url(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    services = FakeLiquidityService()
    services.fetched.clear()  # the exchanges are slow: nothing comes back until released
    bot = await serve_bot(register_liquidity, services=services)
    request = slack_requests.slash_command("/liquidity", " pepe ")
    response_url = request.payload["response_url"]

    response = await asyncio.wait_for(bot.post(request), timeout=3.0)  # Slack's limit

    assert response.status_code == 200
    assert response.text == ""
    assert services.assessed == [] and slack_api.responses(response_url) == []
    services.fetched.set()
    await slack_api.async_wait_for(lambda: len(slack_api.responses(response_url)) == 1)
    (post,) = slack_api.responses(response_url)
    assert post.payload == {
        "text": "PEPE: tier high, ±2% depth $4.3k < $50k",
        "response_type": "ephemeral",
    }
    assert services.assessed == ["PEPE"]
    # The bot authenticated once against the stand-in with its bearer token.
    (auth,) = slack_api.calls("auth.test")
    assert auth.ok and auth.headers["Authorization"] == f"Bearer {slack_api.token}"


async def test_forged_signature_is_refused_with_401_and_runs_nothing(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)

    response = await bot.post(slack_requests.slash_command("/liquidity", "PEPE", forged=True))

    assert response.status_code == 401
    await asyncio.sleep(0.1)
    assert services.assessed == []
    assert slack_api.calls() == [] and slack_api.responses() == []


async def test_stale_timestamp_is_refused_with_401(
    serve_bot: StartBot, slack_requests: SlackRequests
) -> None:
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)

    stale = await bot.post(slack_requests.slash_command("/liquidity", "PEPE", stale=True))
    forged_event = await bot.post(slack_requests.app_home_opened(forged=True))
    forged_click = await bot.post(slack_requests.block_actions("log_outreach", forged=True))

    assert [stale.status_code, forged_event.status_code, forged_click.status_code] == [401] * 3
    await asyncio.sleep(0.1)
    assert services.assessed == []


async def test_a_body_altered_after_signing_is_refused(
    serve_bot: StartBot, slack_requests: SlackRequests
) -> None:
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    request = slack_requests.slash_command("/liquidity", "PEPE")
    tampered = request.body.replace(b"text=PEPE", b"text=BTC")
    assert tampered != request.body

    response = await bot.http.post(
        f"{bot.url}/slack/events", content=tampered, headers=request.headers
    )

    assert response.status_code == 401


async def test_healthz_answers_the_health_json(serve_bot: StartBot) -> None:
    async def health() -> dict[str, Any]:
        return {"status": "ok", "database": "ok", "last_scan_age_s": 42}

    bot = await serve_bot(lambda app: None, health=health)
    response = await bot.http.get(f"{bot.url}/healthz")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "last_scan_age_s": 42}


async def test_healthz_answers_503_when_the_check_itself_fails(serve_bot: StartBot) -> None:
    async def health() -> dict[str, Any]:
        raise ConnectionRefusedError("database down")

    bot = await serve_bot(lambda app: None, health=health)
    response = await bot.http.get(f"{bot.url}/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


async def test_only_post_is_served_on_the_request_url(serve_bot: StartBot) -> None:
    bot = await serve_bot(lambda app: None)
    response = await bot.http.get(f"{bot.url}/slack/events")
    assert response.status_code == 405
