"""An outreach button (on answers, digest rows, the App Home, reminders) opens its form's modal.

Editors only: anyone else gets the ephemeral refusal (``NotAnEditor``, shown by the app's error
handler) and no modal. The modal opens at once with the click's trigger_id (valid 3 s), its
private_metadata sealed (``commands.seal``); a form with a preview ("will contribute": what 1%,
3% and 5% of circulating supply are worth, from the latest snapshot) is then filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_modals import outreach_modal
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import authorize
from bot.usecases.outreach.form import FormDefaults, OutreachForm
from bot.usecases.services import Services
from commands.origin import Origin
from commands.seal import seal_key
from commands.slack_state import SlackState

logger = logging.getLogger(__name__)

ButtonListener = Callable[
    [AsyncAck, dict[str, Any], dict[str, Any], AsyncWebClient, Services, SlackState],
    Awaitable[None],
]


def _remember_clicked(body: dict[str, Any], origin: Origin, slack_state: SlackState) -> None:
    """Keeps a clicked channel message, so the submission can redraw it without reading it."""
    message = body.get("message") or {}
    if origin.channel and origin.ts and message.get("blocks"):
        slack_state.remember_message(
            origin.channel, origin.ts, message.get("text") or "", message["blocks"]
        )


async def _update_modal(
    client: AsyncWebClient, opened: dict[str, Any], view: dict[str, Any]
) -> None:
    try:
        await client.views_update(view_id=opened.get("id"), hash=opened.get("hash"), view=view)
    except SlackApiError as error:  # the user closed or already submitted the modal
        logger.info("modal not updated: %s", error.response.get("error"))


def on_outreach_button(form: OutreachForm[Any]) -> ButtonListener:
    """The listener of ``form``'s button (Bolt passes the arguments by name)."""

    async def open_modal(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        services: Services,
        slack_state: SlackState,
    ) -> None:
        await ack()
        symbol = parse_symbol(action.get("value"))  # the button contract: value = token symbol
        settings = services.settings
        authorize(services, await slack_state.actor(client, settings, body))
        origin = Origin.from_click(body, symbol)
        _remember_clicked(body, origin, slack_state)
        defaults = FormDefaults(team_today(settings, services.clock()), settings.followup_days)
        metadata = origin.sealed(form.callback_id, seal_key(settings))
        view = outreach_modal(form, symbol, metadata, defaults)
        opened = await client.views_open(trigger_id=body["trigger_id"], view=view)
        if form.preview is not None:
            preview = await form.preview(services, symbol)
            view = outreach_modal(form, symbol, metadata, defaults, preview)
            await _update_modal(client, opened["view"], view)

    return open_modal
