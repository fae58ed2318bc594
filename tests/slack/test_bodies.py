"""liqbot reads Slack's bodies itself: any text in a form parses, a body that is not one of Slack's
formats is refused with 400, an oversized one with 413, and the log gets one short line."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import FORM, JSON, SlackRequests
from tests.slack.test_serving import FakeLiquidityService, register_liquidity

MB = 1 << 20
LOG_LINE_LIMIT = 400  # a summary line: a little text, 100 characters of body at most


def register_echo(app: AsyncApp) -> None:
    """``/liquidity`` and a button that answer with what they were sent."""

    @app.command("/liquidity")
    async def liquidity(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await respond(text=f"{command['text']} in #{command['channel_name']}")

    @app.action("log_outreach")
    async def log_outreach(ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await respond(text=f"logged {action['value']}")


@pytest.mark.parametrize(
    ("text", "channel_name"),
    [("payload", "risk-desk"), ("PEPE", "payload-alerts"), ('{"payload": 1}', "risk-desk")],
)
async def test_a_slash_command_mentioning_payload_is_answered(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    text: str,
    channel_name: str,
) -> None:
    bot = await serve_bot(register_echo)
    request = slack_requests.slash_command("/liquidity", text, channel_name=channel_name)

    response = await bot.post(request)

    assert (response.status_code, response.text) == (200, "")
    url = request.payload["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    assert slack_api.responses(url)[0].payload["text"] == f"{text} in #{channel_name}"


async def test_a_button_whose_value_mentions_payload_reads_its_json(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_echo)
    request = slack_requests.block_actions("log_outreach", "payload=PEPE&text=x")

    response = await bot.post(request)

    assert response.status_code == 200
    url = json.loads(request.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    assert slack_api.responses(url)[0].payload["text"] == "logged payload=PEPE&text=x"


SLASH_BODY = urlencode({"command": "/liquidity", "text": "PEPE", "response_url": "x"}).encode()
UNPARSEABLE: dict[str, tuple[bytes, str | None]] = {
    "json-sent-as-form": (json.dumps({"type": "event_callback", "event": {}}).encode(), FORM),
    "payload-not-json": (b"token=legacy-token&payload=not-json%0AFORGED%20ERROR%20line", FORM),
    "payload-json-not-an-object": (b"payload=%5B1%2C2%5D", FORM),
    "form-neither-command-nor-payload": (b"team_id=T0&user_id=U0", FORM),
    "bad-percent-encoding": (b"command=%2Fliquidity&text=%ff%fe", FORM),
    "gzip": (gzip.compress(SLASH_BODY), FORM),
    "binary": (bytes(range(256)) * 4, "application/octet-stream"),
    "json-that-is-not": (b"{not json\nFORGED ERROR line", JSON),
    "json-array": (b"[1, 2]", JSON),
    "deeply-nested-json": (b"[" * 100_000 + b"]" * 100_000, JSON),
    "no-content-type": (SLASH_BODY, None),
}


def assert_one_short_line_about_it(caplog: pytest.LogCaptureFixture) -> None:
    ours = [r for r in caplog.records if r.name.startswith(("bot.", "liqbot.", "slack_bolt"))]
    assert len(ours) == 1, [r.getMessage()[:200] for r in ours]
    for record in caplog.records:
        message = record.getMessage()
        assert record.exc_info is None and "Traceback" not in message
        assert "\n" not in message  # the FORGED line in some bodies stays inside this one
        assert len(message) <= LOG_LINE_LIMIT, message[:200]


@pytest.mark.parametrize("kind", UNPARSEABLE)
async def test_a_verified_body_that_is_not_slacks_is_answered_400_with_one_short_line(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    caplog.set_level(logging.INFO)
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)
    body, content_type = UNPARSEABLE[kind]
    caplog.clear()

    response = await bot.post(slack_requests.raw(body, content_type))

    assert response.status_code == 400
    await asyncio.sleep(0.1)
    assert services.assessed == [] and slack_api.calls() == []
    assert_one_short_line_about_it(caplog)
    assert "legacy-token" not in caplog.text  # Slack's verification token is masked


async def test_a_forged_request_is_logged_in_one_short_line_whatever_its_body(
    serve_bot: StartBot, slack_requests: SlackRequests, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    forged = slack_requests.slash_command(
        "/liquidity", "x\n2026-01-01 ERROR FORGED line " + "A" * (MB - 1000), forged=True
    )
    caplog.clear()

    response = await bot.post(forged)

    assert response.status_code == 401
    assert_one_short_line_about_it(caplog)
    assert "AAAA" not in caplog.text and "response/" not in caplog.text


async def chunks(total: int) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b"A" * 65536
        sent += 65536


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_1_mb_is_refused_with_413(
    serve_bot: StartBot, slack_requests: SlackRequests, chunked: bool
) -> None:
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)
    big = slack_requests.slash_command("/liquidity", "PEPE " + "A" * MB)
    content: Any = chunks(2 * MB) if chunked else big.body

    response = await bot.http.post(f"{bot.url}/slack/events", content=content, headers=big.headers)

    assert response.status_code == 413
    assert services.assessed == []


async def test_a_declared_length_over_1_mb_is_refused_without_waiting_for_the_body(
    serve_bot: StartBot,
) -> None:
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    host, port = bot.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: liqbot\r\n"
        f"Content-Type: {FORM}\r\nContent-Length: {50 * MB}\r\n\r\ncommand="
    )
    begin = time.monotonic()
    writer.write(head.encode())
    await writer.drain()

    status_line = await asyncio.wait_for(reader.readline(), timeout=2)

    assert status_line.split()[1] == b"413"
    assert time.monotonic() - begin < 2
    writer.close()
