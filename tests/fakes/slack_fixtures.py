"""pytest fixtures for Slack tests: the Web API stand-in, signed requests, liqbot under uvicorn.

Any test folder gets them by importing the names in its ``conftest.py``::

    from tests.fakes.slack_fixtures import serve_bot, slack_api, slack_requests, slack_settings

``serve_bot(register, services=…, health=…)`` runs the real ``build_app`` + ``build_asgi`` under
the real uvicorn server on 127.0.0.1 (random port) in the test's event loop, with the Web API
pointed at the ``slack_api`` stand-in; ``ServedBot.post(signed_request)`` sends Slack's bytes.
Without ``register`` it serves liqbot's own listeners, as ``liqbot serve`` does
(``bot.wiring.build_app``).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp

from bot.settings import Settings
from bot.slack.app import Register, build_app
from bot.slack.server import Health, build_asgi, http_server
from bot.wiring import build_app as build_liqbot_app
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_requests import SignedRequest, SlackRequests

SIGNING_SECRET = "liqbot-test-signing-secret"


@pytest.fixture
def slack_api() -> Iterator[SlackApiStandIn]:
    with SlackApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def slack_settings(slack_api: SlackApiStandIn) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token=SecretStr(slack_api.token),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_app_token=None,
        slack_api_url=slack_api.api_url,
    )


@pytest.fixture
def slack_requests(slack_api: SlackApiStandIn) -> SlackRequests:
    return SlackRequests(
        signing_secret=SIGNING_SECRET,
        response_urls=slack_api.new_response_url,
        trigger_ids=slack_api.new_trigger_id,
    )


async def ok_health() -> dict[str, Any]:
    return {"status": "ok"}


@dataclass
class ServedBot:
    """liqbot listening on ``url``; ``post`` sends a signed request to ``/slack/events``."""

    app: AsyncApp
    url: str
    http: httpx.AsyncClient

    async def post(self, request: SignedRequest) -> httpx.Response:
        return await self.http.post(
            f"{self.url}/slack/events", content=request.body, headers=request.headers
        )


StartBot = Callable[..., Awaitable[ServedBot]]


@pytest.fixture
async def serve_bot(slack_settings: Settings) -> AsyncIterator[StartBot]:
    running: list[tuple[Any, asyncio.Task[None], httpx.AsyncClient]] = []

    async def start(
        register: Register | None = None, services: Any = None, health: Health = ok_health
    ) -> ServedBot:
        if register is None:
            app = build_liqbot_app(slack_settings, services)
        else:
            app = build_app(slack_settings, services, register=register)
        server = http_server(build_asgi(app, health, SIGNING_SECRET), port=0, host="127.0.0.1")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        http = httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=200))
        running.append((server, task, http))
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "uvicorn did not start"
        return ServedBot(app, f"http://127.0.0.1:{sock.getsockname()[1]}", http)

    yield start
    for server, task, http in running:
        await http.aclose()
        server.should_exit = True
        await task
