"""A cold process whose auth.test fails answers Slack 503 at once (Slack shows the user an error),
logs one line, and tries auth.test again on the next request."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests
from tests.slack.test_serving import FakeLiquidityService, register_liquidity

SLACK_ACK_LIMIT_S = 3.0


def failure_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("status", [500, 503])
async def test_a_failing_auth_test_answers_503_in_time_and_the_next_request_retries(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    services = FakeLiquidityService()
    bot = await serve_bot(register_liquidity, services=services)
    slack_api.fail_next("auth.test", times=10, status=status)  # every retry fails too
    burst = [slack_requests.slash_command("/liquidity", f"TOK{i}") for i in range(5)]

    begin = time.monotonic()
    answers = await asyncio.gather(*(bot.post(r) for r in burst))

    assert [a.status_code for a in answers] == [503] * len(burst)
    assert time.monotonic() - begin < SLACK_ACK_LIMIT_S
    await asyncio.sleep(0.2)
    assert services.assessed == [] and slack_api.responses() == []
    # The burst shared one auth.test attempt (its retries included) and logged one line.
    assert 1 <= len(slack_api.calls("auth.test")) <= 3
    (line,) = failure_lines(caplog)
    assert line.exc_info is None
    assert "auth.test failed" in line.getMessage() and "503" in line.getMessage()
    assert slack_api.token not in caplog.text

    slack_api.fail_next("auth.test", times=0)  # Slack is back
    retry = slack_requests.slash_command("/liquidity", "PEPE")
    assert (await bot.post(retry)).status_code == 200
    url = retry.payload["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    assert services.assessed == ["PEPE"]
    assert slack_api.calls("auth.test")[-1].ok


async def test_a_revoked_token_answers_503_with_slacks_error_code(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    slack_api.token = "xoxb-rotated-elsewhere"  # the bot's token is no longer valid

    response = await bot.post(slack_requests.slash_command("/liquidity", "PEPE"))

    assert response.status_code == 503
    (line,) = failure_lines(caplog)
    assert "invalid_auth" in line.getMessage()
    assert "xoxb-" not in caplog.text


async def test_an_auth_test_that_hangs_is_given_up_within_slacks_limit(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_liquidity, services=FakeLiquidityService())
    slack_api.fail_next("auth.test", times=10, status=429, retry_after=30)

    begin = time.monotonic()
    response = await bot.post(slack_requests.slash_command("/liquidity", "PEPE"))

    assert response.status_code == 503
    assert time.monotonic() - begin < SLACK_ACK_LIMIT_S
