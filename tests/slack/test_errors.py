"""The one error handler: clear ephemeral text for UserFacingError, a ref for everything else."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.errors import UserFacingError
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests, plain_input

UNKNOWN_TOKEN = "Unknown token ZZZQ. Try `/liquidity help`."
# What an unexpected failure could carry: it must reach the log, never Slack.
SECRET_LOOKING = "connection to postgresql://liqbot:hunter2@db failed"


def register_failing(app: AsyncApp) -> None:
    @app.command("/liquidity")
    async def liquidity(ack: AsyncAck, command: dict[str, Any]) -> None:
        if command["text"] == "before-ack":
            raise UserFacingError(UNKNOWN_TOKEN)
        await ack()
        if command["text"] == "crash":
            raise RuntimeError(SECRET_LOOKING)
        raise UserFacingError(UNKNOWN_TOKEN)

    @app.command("/mm")
    async def mm(ack: AsyncAck) -> None:
        raise KeyError(SECRET_LOOKING)  # before ack: the HTTP answer carries the reply

    @app.action("log_outreach")
    async def log_outreach(ack: AsyncAck) -> None:
        await ack()
        raise UserFacingError("Only editors may log outreach.")

    @app.view("reply_contribution")
    async def contribution(ack: AsyncAck) -> None:
        raise UserFacingError("The token has no circulating supply on record.")


async def test_user_facing_error_after_ack_is_an_ephemeral_reply_without_trace(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_failing)
    request = slack_requests.slash_command("/liquidity", "ZZZQ")

    response = await bot.post(request)

    assert (response.status_code, response.text) == (200, "")
    url = request.payload["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    (reply,) = slack_api.responses(url)
    assert reply.payload == {
        "text": UNKNOWN_TOKEN,
        "response_type": "ephemeral",
        "replace_original": False,
    }


async def test_user_facing_error_before_ack_is_the_http_answer(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_failing)

    response = await bot.post(slack_requests.slash_command("/liquidity", "before-ack"))

    assert response.status_code == 200
    assert response.json() == {"response_type": "ephemeral", "text": UNKNOWN_TOKEN}
    assert slack_api.responses() == []


async def test_unexpected_error_shows_a_ref_and_logs_the_trace_under_it(
    serve_bot: StartBot,
    slack_requests: SlackRequests,
    slack_api: SlackApiStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.errors")
    bot = await serve_bot(register_failing)
    request = slack_requests.slash_command("/liquidity", "crash")

    response = await bot.post(request)

    assert (response.status_code, response.text) == (200, "")
    url = request.payload["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    text = slack_api.responses(url)[0].payload["text"]
    assert text.startswith(":warning: Something went wrong (ref ")
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    ref = text.split("(ref ")[1].split(")")[0]
    assert len(ref) == 8
    (record,) = [r for r in caplog.records if ref in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "command /liquidity" in record.getMessage()


async def test_unexpected_error_before_ack_answers_200_with_the_ref(
    serve_bot: StartBot, slack_requests: SlackRequests
) -> None:
    bot = await serve_bot(register_failing)

    response = await bot.post(slack_requests.slash_command("/mm", "PEPE"))

    assert response.status_code == 200  # not Slack's opaque "dispatch_failed"
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith(":warning: Something went wrong (ref ")
    assert "hunter2" not in response.text


async def test_error_on_a_button_goes_to_its_response_url_without_replacing_the_message(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    bot = await serve_bot(register_failing)
    request = slack_requests.block_actions("log_outreach", "PEPE")

    response = await bot.post(request)

    assert (response.status_code, response.text) == (200, "")
    url = json.loads(request.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    (reply,) = slack_api.responses(url)
    assert reply.payload == {
        "text": "Only editors may log outreach.",
        "response_type": "ephemeral",
        "replace_original": False,
    }


async def test_error_in_a_modal_submission_pushes_a_modal_with_the_message(
    serve_bot: StartBot, slack_requests: SlackRequests
) -> None:
    bot = await serve_bot(register_failing)
    request = slack_requests.view_submission(
        "reply_contribution", {"percent": {"percent_input": plain_input("3")}}
    )

    response = await bot.post(request)

    assert response.status_code == 200
    answer = response.json()
    assert answer["response_action"] == "push"
    assert answer["view"]["type"] == "modal"
    assert answer["view"]["blocks"][0]["text"]["text"] == (
        "The token has no circulating supply on record."
    )


async def test_error_without_response_url_is_an_ephemeral_in_the_channel(
    serve_bot: StartBot, slack_requests: SlackRequests, slack_api: SlackApiStandIn
) -> None:
    def register(app: AsyncApp) -> None:
        @app.event("app_home_opened")
        async def home(event: dict[str, Any]) -> None:
            raise UserFacingError("The at-risk list is not ready yet.")

    bot = await serve_bot(register)
    response = await bot.post(slack_requests.app_home_opened("U0VIEWER"))

    assert response.status_code == 200
    # app_home_opened carries the DM channel and the user: the reply is ephemeral there.
    await slack_api.async_wait_for(lambda: len(slack_api.calls("chat.postEphemeral")) == 1)
    (call,) = slack_api.calls("chat.postEphemeral")
    assert call.ok
    assert call.args["user"] == "U0VIEWER" and call.args["channel"] == "D0VIEWER"
    assert call.args["text"] == "The at-risk list is not ready yet."
