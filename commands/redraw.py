"""A stored submission is shown in the message its button was on ("Outreach logged by @alice").

The message is redrawn from what is known of it, never by running the command again: the note
goes under the token's row and the row's outreach state is read once (``outreach_state``).
- A channel message (a digest row, any non-ephemeral answer): ``chat.update``; its blocks come
  from the click (``SlackState``), else from ``conversations.history``.
- An ephemeral answer (slash commands answer ephemerally, and Slack sends such a message back
  with no click): the answer kept for the command line stamped on the buttons' block_id
  (``SlackState.answer_key``) replaces it through the click's ``response_url``.
- The App Home: republished for the user.
When none of that works (the message is gone, the response_url expired, the answer was drawn
by another replica or before a restart) the note still reaches the user as an ephemeral message.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.presenters.blocks_common import Block, annotate_token_row
from bot.presenters.blocks_outreach import outreach_note, restate_outreach
from bot.usecases.outreach import LogResult, outreach_state
from bot.usecases.services import Services
from commands.home import publish_home
from commands.origin import Origin
from commands.slack_state import SlackState
from commands.slash import stamp_origin

logger = logging.getLogger(__name__)


async def _redrawn(
    blocks: list[Block], origin: Origin, note: str, services: Services
) -> list[Block]:
    """``blocks`` with ``note`` under the token's row and the row's outreach state as it is now."""
    states = await outreach_state(services, [origin.symbol])
    annotated = annotate_token_row(blocks, origin.symbol, note)
    return restate_outreach(annotated, states[origin.symbol])


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
    origin: Origin, note: str, client: AsyncWebClient, services: Services, state: SlackState
) -> bool:
    assert origin.channel is not None and origin.ts is not None
    async with state.message_lock(origin.channel, origin.ts):
        known = state.message(origin.channel, origin.ts) or await _fetch_message(
            client, origin.channel, origin.ts
        )
        if known is None:
            return False
        text, blocks = known
        updated = await _redrawn(blocks, origin, note, services)
        try:
            await client.chat_update(
                channel=origin.channel, ts=origin.ts, text=text or note, blocks=updated
            )
        except SlackApiError as error:
            logger.warning("could not update the message: %s", error.response.get("error"))
            return False
        state.remember_message(origin.channel, origin.ts, text, updated)
        return True


async def _replace_answer(origin: Origin, note: str, services: Services, state: SlackState) -> bool:
    assert origin.response_url is not None and origin.command is not None
    key = state.answer_key(origin.command)
    async with state.message_lock(*key):
        known = state.message(*key)
        if known is None:
            return False
        text, blocks = known
        updated = await _redrawn(blocks, origin, note, services)
        sent = await AsyncWebhookClient(origin.response_url).send(
            text=text,
            blocks=stamp_origin(updated, origin.command),
            response_type="ephemeral",
            replace_original=True,
        )
        if sent.status_code != 200:
            logger.info("could not redraw %s: %s", origin.command, sent.status_code)
            return False
        state.remember_message(*key, text, updated)
        return True


async def show_note(
    origin: Origin,
    result: LogResult,
    *,
    client: AsyncWebClient,
    services: Services,
    state: SlackState,
    user_id: str,
) -> None:
    """Shows the stored ``result`` in the originating message (see the module docstring)."""
    if origin.home:
        await publish_home(client, services, user_id)
        return
    note = outreach_note(result)
    channel_message = origin.channel and origin.ts
    if channel_message and await _update_message(origin, note, client, services, state):
        return
    answer = origin.response_url and origin.command
    if answer and await _replace_answer(origin, note, services, state):
        return
    try:
        if origin.response_url:
            sent = await AsyncWebhookClient(origin.response_url).send(
                text=note, response_type="ephemeral", replace_original=False
            )
            if sent.status_code == 200:
                return
        if origin.channel:
            await client.chat_postEphemeral(channel=origin.channel, user=user_id, text=note)
        else:
            await client.chat_postMessage(channel=user_id, text=note)
    except SlackApiError as error:  # the record is stored; only its echo is lost
        logger.warning("could not show the outreach note: %s", error.response.get("error"))
