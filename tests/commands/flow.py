"""Steps of the Slack loop as Slack would drive them, for the command tests.

``command`` posts a slash command and waits for its answer at the response_url; ``click`` clicks
a button of an ephemeral answer (Slack sends no message back with such a click, only the
container, the clicked block_id and a fresh response_url); ``submit`` submits the modal the bot
opened last, with the view id Slack gave it; ``post_digest`` posts a digest-style channel message
and ``open_modal`` clicks one of its buttons (or a button of an unknown message).
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import section
from bot.usecases.outreach import OutreachForm
from tests.fakes.slack_api import ResponseUrlPost, SlackApiStandIn
from tests.fakes.slack_fixtures import SIGNING_SECRET, ServedBot
from tests.fakes.slack_requests import FORM, SignedRequest, SlackRequests, slack_signature

SYMBOL = "ZIBBKA"  # a high-tier demo token with a known circulating supply
DIGEST_CHANNEL = "C0DIGEST"


async def command(
    bot: ServedBot,
    slack_api: SlackApiStandIn,
    requests: SlackRequests,
    name: str,
    text: str,
    **kw: Any,
) -> ResponseUrlPost:
    """Posts ``name text``; asserts the 200 and returns the first answer at its response_url."""
    request = requests.slash_command(name, text, **kw)
    response = await bot.post(request)
    assert response.status_code == 200, response.text
    url = request.payload["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) >= 1, timeout=10)
    return slack_api.responses(url)[0]


def actions_block(blocks: list[dict[str, Any]], symbol: str) -> dict[str, Any]:
    """The outreach buttons of ``symbol`` in a message."""
    return next(
        b
        for b in blocks
        if b.get("type") == "actions" and str(b.get("block_id", "")).startswith(f"actions:{symbol}")
    )


def ephemeral_click(
    requests: SlackRequests,
    action_id: str,
    symbol: str,
    block_id: str,
    *,
    user_id: str = "U0ANALYST",
    channel_id: str = "C0RISKDESK",
) -> SignedRequest:
    """A click on a button of an ephemeral message, as Slack sends it (no ``message``)."""
    base = requests.block_actions(action_id, symbol, block_id=block_id, user_id=user_id)
    payload = json.loads(base.payload["payload"])
    del payload["message"]
    payload["container"] = {
        "type": "message",
        "message_ts": "1700000099.000100",
        "channel_id": channel_id,
        "is_ephemeral": True,
    }
    return sign(urlencode({"payload": json.dumps(payload)}))


def sign(body: str, content_type: str = FORM) -> SignedRequest:
    """``body`` signed as Slack signs it, now."""
    raw = body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": slack_signature(SIGNING_SECRET, timestamp, raw),
    }
    return SignedRequest(raw, headers)


def opened_view(slack_api: SlackApiStandIn) -> dict[str, Any]:
    """The modal the bot opened last, as the stand-in stored it (with its view id)."""
    [call] = slack_api.ok_calls("views.open")[-1:]
    return slack_api.workspace.views[call.answer["view"]["id"]]


def submission(
    requests: SlackRequests,
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
    *,
    user_id: str = "U0ANALYST",
) -> SignedRequest:
    """``view`` submitted with ``values`` (``{field: element state}``; block and action ids are
    the field names)."""
    return requests.view_submission(
        view["callback_id"],
        {field: {field: state} for field, state in values.items()},
        private_metadata=view["private_metadata"],
        view_id=view["id"],
        view_hash=view["hash"],
        user_id=user_id,
    )


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The origin in a modal's private_metadata, without its seal (``mac``)."""
    fields = json.loads(view["private_metadata"])
    assert isinstance(fields.pop("mac"), str)
    return dict(fields)


def checkboxes(*values: str) -> dict[str, Any]:
    return {
        "type": "checkboxes",
        "selected_options": [
            {"text": {"type": "plain_text", "text": v}, "value": v} for v in values
        ],
    }


def post_digest(slack_api: SlackApiStandIn) -> dict[str, Any]:
    """A digest-style channel message posted by the bot: a token row with its buttons.

    One row only: the stand-in refuses an action_id repeated anywhere in a message, while Slack
    requires it unique within its block (a real digest repeats the buttons on every row).
    """
    blocks = [
        section(f"*{SYMBOL}* · high\nOutreach: not contacted", block_id=token_block_id(SYMBOL)),
        outreach_buttons(SYMBOL),
    ]
    answer = slack_api.workspace.m_chat_postMessage(
        {"channel": DIGEST_CHANNEL, "text": "Liquidity digest", "blocks": blocks}
    )
    assert answer["ok"], answer
    return dict(answer["message"])


async def open_modal(
    bot: ServedBot,
    slack_api: SlackApiStandIn,
    requests: SlackRequests,
    form: OutreachForm[Any],
    *,
    user_id: str = "U0ANALYST",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Clicks ``form``'s button on ``message`` (else on a message the bot cannot see) and
    returns the modal it opens, once it is priced when the form has a preview."""
    opened = len(slack_api.ok_calls("views.open"))
    updated = len(slack_api.calls("views.update"))
    click = requests.block_actions(
        form.action_id,
        SYMBOL,
        block_id=f"actions:{SYMBOL}",
        user_id=user_id,
        channel_id=DIGEST_CHANNEL if message else "C0RISKDESK",
        message=message,
    )
    assert (await bot.post(click)).status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == opened + 1)
    if form.preview is not None:  # then priced: the bot's work on the click ends there
        await slack_api.async_wait_for(lambda: len(slack_api.calls("views.update")) == updated + 1)
    return opened_view(slack_api)


def ephemeral_choice(
    requests: SlackRequests,
    block_id: str,
    action: dict[str, Any],
    *,
    user_id: str = "U0ANALYST",
    channel_id: str = "C0RISKDESK",
) -> SignedRequest:
    """A choice in a menu or picker of an ephemeral answer (``action``: its ``type``,
    ``action_id`` and ``selected_option`` / ``selected_user``), as Slack sends it."""
    click = ephemeral_click(requests, "x", "", block_id, user_id=user_id, channel_id=channel_id)
    payload = json.loads(click.payload["payload"])
    payload["actions"] = [{**payload["actions"][0], **action, "block_id": block_id}]
    payload["actions"][0].pop("value", None)
    return sign(urlencode({"payload": json.dumps(payload)}))


def block_of(blocks: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    """The block whose block_id starts with ``prefix`` (``owner:ZIBBKA``, ``entry:7``)."""
    return next(b for b in blocks if str(b.get("block_id", "")).startswith(prefix))
