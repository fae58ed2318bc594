"""The Request URL verifies Slack's signature and timestamp before anything reads the body.

An unverifiable request (missing, malformed or stale timestamp, bad signature) is answered 401:
no listener, no error handler, no ``auth.test``, no post to the ``response_url`` it names, and
nothing of its body in the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.settings import Settings
from bot.slack.app import build_app
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests
from tests.slack.test_serving import FakeLiquidityService, register_liquidity

# Slack sends whole Unix seconds in ASCII digits; anything else is not a Slack timestamp, even when
# Python's int() would read it (the current time, decorated, so that only the form is wrong).
MALFORMED_TIMESTAMPS = {
    "letters": lambda now: "abc",
    "fraction": lambda now: f"{now}.0",
    "empty": lambda now: "",
    "underscores": lambda now: f"{now // 1000}_{now % 1000:03d}",
    "plus-sign": lambda now: f"+{now}",
    "5000-digits": lambda now: "9" * 5000,
}


def assert_nothing_ran(
    services: FakeLiquidityService, slack_api: SlackApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    assert services.assessed == []
    assert slack_api.calls() == [], slack_api.summary()  # not even auth.test
    assert slack_api.responses() == [], slack_api.summary()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "response/" not in logged and "PEPE" not in logged and "Traceback" not in logged


@pytest.mark.parametrize("form", MALFORMED_TIMESTAMPS)
async def test_a_malformed_timestamp_is_refused_before_anything_reads_the_body(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
    form: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    timestamp = MALFORMED_TIMESTAMPS[form](int(time.time()))
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)
    command = slack_requests.slash_command("/liquidity", "PEPE")
    # Correctly signed with the malformed value: only its form is wrong.
    signed = slack_requests.raw(command.body, command.headers["Content-Type"], timestamp)

    response = await bot.post(signed)

    assert response.status_code == 401
    await asyncio.sleep(0.2)
    assert_nothing_ran(services, slack_api, caplog)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Slack-Request-Timestamp": None}, id="no-timestamp"),
        pytest.param({"X-Slack-Signature": None}, id="no-signature"),
        pytest.param({"X-Slack-Signature": "v0=" + "0" * 64}, id="wrong-signature"),
        pytest.param({"X-Slack-Signature": b"v0=\xff\xfe"}, id="non-ascii-signature"),
        pytest.param({"X-Slack-Signature": "v1=abc"}, id="unknown-version"),
    ],
)
async def test_a_missing_or_wrong_signature_is_refused_with_401(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str | bytes | None],
) -> None:
    caplog.set_level(logging.DEBUG)
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)
    request = slack_requests.slash_command("/liquidity", "PEPE")
    sent: dict[str, str | bytes] = {k: v for k, v in request.headers.items() if k not in headers}
    sent.update({k: v for k, v in headers.items() if v is not None})

    response = await bot.http.post(f"{bot.url}/slack/events", content=request.body, headers=sent)

    assert response.status_code == 401
    await asyncio.sleep(0.1)
    assert_nothing_ran(services, slack_api, caplog)


async def test_a_timestamp_from_the_future_is_refused_like_a_stale_one(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    ahead = str(int(time.time()) + 6 * 60)
    command = slack_requests.slash_command("/liquidity", "PEPE")

    response = await bot.post(slack_requests.raw(command.body, timestamp=ahead))

    assert response.status_code == 401
    assert slack_api.calls() == []


async def test_the_error_handler_never_acts_on_a_request_bolt_could_not_verify(
    slack_settings: Settings, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    """Defence in depth, without liqbot's HTTP endpoint in front: when Bolt's own verifier
    raises on a malformed timestamp, the error handler must not answer the ``response_url``
    named by the unverified body."""
    app: AsyncApp = build_app(slack_settings, FakeLiquidityService(), register=register_liquidity)
    command = slack_requests.slash_command("/liquidity", "PEPE")
    headers: dict[str, Any] = dict(command.headers, **{"X-Slack-Request-Timestamp": "abc"})

    response = await app.async_dispatch(
        AsyncBoltRequest(body=command.body.decode(), headers=headers)
    )

    assert response.status == 401
    await asyncio.sleep(0.2)
    assert slack_api.responses() == [] and slack_api.calls() == []
