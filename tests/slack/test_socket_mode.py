"""Socket Mode: the same app, reached over the WebSocket that ``apps.connections.open`` opens."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import serve_socket_mode
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_requests import SlackRequests, socket_envelope


def register(app: AsyncApp) -> None:
    @app.command("/liquidity")
    async def liquidity(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, services: dict[str, str]
    ) -> None:
        await ack()
        await respond(text=f"{command['text']}: {services[command['text']]}")

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        view = {"type": "home", "blocks": [{"type": "divider"}]}
        await client.views_publish(user_id=event["user"], view=view)


async def test_socket_mode_serves_commands_and_drops_retried_events(
    slack_settings: Settings, slack_api: SlackApiStandIn, slack_requests: SlackRequests
) -> None:
    app_token = SecretStr(slack_api.app_token)  # Socket Mode: no signing secret needed
    settings = slack_settings.model_copy(
        update={"slack_signing_secret": None, "slack_app_token": app_token}
    )
    app = build_app(settings, {"PEPE": "tier high"}, register=register)
    serving = asyncio.create_task(serve_socket_mode(app, app_token.get_secret_value()))
    try:
        await slack_api.async_wait_for(lambda: slack_api.socket_connections() == 1)
        command = slack_requests.slash_command("/liquidity", "PEPE")
        opened = slack_requests.app_home_opened("U0VIEWER", event_id="Ev0SOCK1")

        slack_api.socket_send(socket_envelope(command, "env-1"))
        slack_api.socket_send(socket_envelope(opened, "env-2"))
        slack_api.socket_send(socket_envelope(opened, "env-3", retry_attempt=1))

        await slack_api.async_wait_for(lambda: len(slack_api.socket_acks()) == 3)
        assert sorted(a["envelope_id"] for a in slack_api.socket_acks()) == [
            "env-1",
            "env-2",
            "env-3",
        ]
        url = command.payload["response_url"]
        await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
        assert slack_api.responses(url)[0].payload["text"] == "PEPE: tier high"
        await asyncio.sleep(0.2)
        assert [c.args["user_id"] for c in slack_api.calls("views.publish")] == ["U0VIEWER"]
        (opened_call,) = slack_api.calls("apps.connections.open")
        assert opened_call.headers["Authorization"] == f"Bearer {slack_api.app_token}"
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
