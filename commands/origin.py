"""Where an outreach button was clicked, carried in the modal's private_metadata, and how the
originating message shows the note once the submission is stored.

- A channel message (a digest row, any non-ephemeral answer): ``chat.update`` of that message
  with the note under the token's row; the blocks come from the click (``SlackState``), else
  from ``conversations.history``.
- An ephemeral answer (slash commands answer ephemerally; Slack does not send such a message
  back with the click): the command stamped on the buttons' block_id is run again and the fresh
  answer, with the note, replaces the original through the click's ``response_url``.
- The App Home: republished for the user.
When none of that works (the message is gone, the response_url expired) the note still reaches
the user as an ephemeral message.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.errors import UserFacingError
from bot.presenters.blocks_common import annotate_token_row
from bot.usecases.services import Services
from commands.home import publish_home
from commands.slack_state import SlackState
from commands.slash import answer, origin_command, stamp_origin

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Origin:
    """The clicked message: ``channel`` + ``ts`` (a channel message), or ``response_url`` (+ the
    ``command`` that drew it) for an ephemeral answer, or ``home`` for the App Home."""

    symbol: str
    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None
    command: str | None = None
    home: bool = False

    def to_metadata(self) -> str:
        """JSON for the modal's private_metadata (well under Slack's 3,000 characters)."""
        return json.dumps({k: v for k, v in asdict(self).items() if v}, separators=(",", ":"))

    @classmethod
    def from_metadata(cls, text: str) -> Origin:
        data = json.loads(text or "{}")
        if not isinstance(data, dict) or not isinstance(data.get("symbol"), str):
            raise ValueError("the modal's private_metadata carries no token symbol")
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)

    @classmethod
    def from_click(cls, body: dict[str, Any], symbol: str) -> Origin:
        """The origin of a ``block_actions`` click on an outreach button."""
        container = body.get("container") or {}
        if container.get("type") == "view":
            return cls(symbol, home=(body.get("view") or {}).get("type") == "home")
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        if container.get("is_ephemeral"):
            block_id = str(((body.get("actions") or [{}])[0]).get("block_id") or "")
            return cls(
                symbol,
                channel=channel,
                response_url=body.get("response_url"),
                command=origin_command(block_id),
            )
        return cls(symbol, channel=channel, ts=container.get("message_ts"))


async def _fetch_message(
    client: AsyncWebClient, channel: str, ts: str
) -> tuple[str, list[dict[str, Any]]] | None:
    try:
        found = await client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
    except SlackApiError as error:  # e.g. missing channels:history, or a thread reply
        logger.info("cannot read message %s in %s: %s", ts, channel, error.response.get("error"))
        return None
    message = next((m for m in found.get("messages") or [] if m.get("ts") == ts), None)
    return None if message is None else (message.get("text") or "", message.get("blocks") or [])


async def _update_message(
    origin: Origin, note: str, client: AsyncWebClient, state: SlackState
) -> bool:
    assert origin.channel is not None and origin.ts is not None
    async with state.message_lock(origin.channel, origin.ts):
        known = state.message(origin.channel, origin.ts) or await _fetch_message(
            client, origin.channel, origin.ts
        )
        if known is None:
            return False
        text, blocks = known
        updated = annotate_token_row(blocks, origin.symbol, note)
        try:
            await client.chat_update(
                channel=origin.channel, ts=origin.ts, text=text or note, blocks=updated
            )
        except SlackApiError as error:
            logger.warning("could not update the message: %s", error.response.get("error"))
            return False
        state.remember_message(origin.channel, origin.ts, text, updated)
        return True


async def _replace_answer(origin: Origin, note: str, services: Services, user_id: str) -> bool:
    assert origin.response_url is not None
    webhook = AsyncWebhookClient(origin.response_url)
    if origin.command:
        command, _, text = origin.command.partition(" ")
        try:
            reply = await answer(services, command, text, user_id)
        except UserFacingError as error:  # e.g. every venue down now: the note alone follows
            logger.info("could not redraw %s: %s", command, error.message)
        else:
            blocks = annotate_token_row(
                stamp_origin(reply.blocks, origin.command), origin.symbol, note
            )
            sent = await webhook.send(
                text=reply.summary, blocks=blocks, response_type="ephemeral", replace_original=True
            )
            if sent.status_code == 200:
                return True
    sent = await webhook.send(text=note, response_type="ephemeral", replace_original=False)
    return sent.status_code == 200


async def show_note(
    origin: Origin,
    note: str,
    *,
    client: AsyncWebClient,
    services: Services,
    state: SlackState,
    user_id: str,
) -> None:
    """Shows ``note`` (mrkdwn) in the originating message (see the module docstring)."""
    if origin.home:
        await publish_home(client, services, user_id)
        return
    if origin.channel and origin.ts and await _update_message(origin, note, client, state):
        return
    if origin.response_url and await _replace_answer(origin, note, services, user_id):
        return
    try:
        if origin.channel:
            await client.chat_postEphemeral(channel=origin.channel, user=user_id, text=note)
        else:
            await client.chat_postMessage(channel=user_id, text=note)
    except SlackApiError as error:  # the record is stored; only its echo is lost
        logger.warning("could not show the outreach note: %s", error.response.get("error"))
