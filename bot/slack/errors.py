"""liqbot's one Slack error handler: what the user sees when a listener or middleware fails.

- ``UserFacingError`` (unknown token, bad arguments, exchange down): its ``.message``, ephemeral.
- Anything else: "Something went wrong (ref 1a2b3c4d)" and the traceback in the log under that
  ref, so an analyst can quote the ref and an operator can find the failure. Never a trace in Slack.

Where the message goes depends on whether Slack is still waiting for the HTTP answer:
before ``ack()`` the answer itself carries it (a slash command's reply, or a modal pushed on top
of a submitted one); after ``ack()`` it goes through ``response_url``, else as an ephemeral message
in the channel, else as a direct message from the bot.

Two failures answer nobody:
- a request not known to come from Slack (``bot.slack.verify.is_verified``; Bolt runs this handler
  when its own verifier raises on a malformed timestamp): 401, and its ``response_url``, channel
  and user are never used;
- ``SlackAuthUnavailable`` (auth.test failed; ``bot.slack.app`` logs it once per attempt): 503 at
  once, so that Slack shows the user an error (and retries an event) instead of a late or
  misleading answer.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiohttp import ClientError
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.slack.verify import is_verified

logger = logging.getLogger(__name__)

# Slack's limit for a section block's text; a longer message would make the reply itself fail.
_SECTION_TEXT_LIMIT = 3000


class SlackAuthUnavailable(Exception):
    """The bot could not confirm its token with Slack (``auth.test``); ``reason`` is Slack's error
    code or the kind of failure, never the token."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Slack auth.test failed: {reason}")
        self.reason = reason


def new_ref() -> str:
    """A short random id quoted to the user and written in the log next to the traceback."""
    return secrets.token_hex(4)


def user_message(error: Exception, ref: str) -> str:
    """The text the user sees: the user-facing message, or a generic one quoting the ref."""
    if isinstance(error, UserFacingError):
        return error.message
    return (
        f":warning: Something went wrong (ref {ref}). "
        "Please try again, or quote the ref to the team."
    )


def describe_request(body: dict[str, Any]) -> str:
    """What the failed request was, for the log; never the body (tokens, user text)."""
    if body.get("command"):
        return f"command {body['command']}"
    kind = str(body.get("type") or "request")
    if kind == "event_callback":
        event = body.get("event") or {}
        return f"event {event.get('type')}"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"block_actions {actions[0].get('action_id')}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind} {(body.get('view') or {}).get('callback_id')}"
    return kind


def error_modal(text: str) -> dict[str, Any]:
    """A small modal pushed over a submitted one, so the user can go back and fix the input."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "liqbot"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text[:_SECTION_TEXT_LIMIT]}}
        ],
    }


async def handle_error(
    error: Exception,
    request: AsyncBoltRequest,
    body: dict[str, Any],
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond | None,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """The ``@app.error`` handler; Bolt passes ``response`` only while the request is not acked."""
    if not is_verified(request):
        logger.warning("refused an unverified request that failed (%s)", type(error).__name__)
        return BoltResponse(status=401, body="")
    if isinstance(error, SlackAuthUnavailable):  # logged once per attempt, where it failed
        return BoltResponse(status=503, body="")
    ref = new_ref()
    text = user_message(error, ref)
    if isinstance(error, UserFacingError):
        logger.info("user-facing error on %s (ref %s): %s", describe_request(body), ref, text)
    else:
        logger.error("listener failed on %s (ref %s)", describe_request(body), ref, exc_info=error)

    if response is not None:
        if body.get("command"):
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        if body.get("type") == "view_submission":
            return BoltResponse(
                status=200, body={"response_action": "push", "view": error_modal(text)}
            )
    await _tell_user(text, ref, context, client, respond)
    # Acknowledge: a 500 would only make Slack show its own opaque error, or retry an event.
    return BoltResponse(status=200, body="") if response is not None else None


async def _tell_user(
    text: str,
    ref: str,
    context: AsyncBoltContext,
    client: AsyncWebClient,
    respond: AsyncRespond | None,
) -> None:
    try:
        if respond is not None and respond.response_url:
            reply = await respond(text=text, response_type="ephemeral", replace_original=False)
            if reply.status_code != 200:
                logger.warning("response_url refused the error reply (ref %s)", ref)
        elif context.user_id and context.channel_id:
            await client.chat_postEphemeral(
                channel=context.channel_id, user=context.user_id, text=text
            )
        elif context.user_id:
            await client.chat_postMessage(channel=context.user_id, text=text)
    except (SlackClientError, ClientError, TimeoutError):
        # Telling the user is best effort; the failure itself is already logged above.
        logger.warning("could not deliver the error reply (ref %s)", ref, exc_info=True)
