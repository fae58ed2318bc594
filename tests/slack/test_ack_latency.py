"""Slack's 3-second limit: 50 slash commands at once are acknowledged while their work waits."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SignedRequest, SlackRequests

CLIENTS = 50
SLACK_ACK_LIMIT_S = 3.0


async def test_fifty_concurrent_commands_are_acked_while_all_their_work_is_pending(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    # The "exchange fetch" of every command blocks until the test releases it, so all 50 HTTP
    # answers must arrive while all 50 listeners are still working, whatever the machine's load.
    release = asyncio.Event()
    started: list[str] = []

    def register(app: AsyncApp) -> None:
        @app.command("/liquidity")
        async def liquidity(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
            await ack()
            started.append(command["text"])
            await release.wait()
            await respond(text=f"{command['text']}: tier high")

    bot = await serve_bot(register)  # cold: not even auth.test has run yet
    requests = [slack_requests.slash_command("/liquidity", f"TOK{i}") for i in range(CLIENTS)]

    async def timed_post(request: SignedRequest) -> tuple[int, float]:
        begin = time.monotonic()
        response = await bot.post(request)
        return response.status_code, time.monotonic() - begin

    results = await asyncio.wait_for(
        asyncio.gather(*(timed_post(r) for r in requests)), timeout=SLACK_ACK_LIMIT_S
    )

    assert [status for status, _ in results] == [200] * CLIENTS
    assert max(latency for _, latency in results) < SLACK_ACK_LIMIT_S
    assert slack_api.responses() == []  # no answer yet: every listener is still waiting
    # The cold burst shared one auth.test instead of each request calling it.
    assert len(slack_api.calls("auth.test")) == 1

    release.set()
    await slack_api.async_wait_for(lambda: len(slack_api.responses()) == CLIENTS)
    texts = sorted(r.payload["text"] for r in slack_api.responses())
    assert texts == sorted(f"TOK{i}: tier high" for i in range(CLIENTS))
    assert sorted(started) == sorted(f"TOK{i}" for i in range(CLIENTS))
