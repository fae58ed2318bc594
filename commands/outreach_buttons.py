"""The outreach buttons (on answers, digest rows and the App Home) open their modal.

Editors only: anyone else gets the ephemeral refusal (``NotAnEditor``, shown by the app's error
handler) and no modal. The modal opens at once with the click's trigger_id (valid 3 s); the
"will contribute" modal is then filled in with what 1% of circulating supply is worth, which may
need an exchange fetch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.presenters.actions import REPLY_CONTRIBUTE
from bot.presenters.blocks_modals import outreach_modal
from bot.presenters.text_liquidity import contribution_lines
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import authorize
from bot.usecases.services import Services
from bot.usecases.token import token_report
from commands.origin import Origin
from commands.slack_state import SlackState

logger = logging.getLogger(__name__)


async def contribution_preview(services: Services, symbol: str) -> list[str]:
    """What 1%, 3% and 5% of circulating supply are worth, for the "will contribute" modal."""
    try:
        view = await token_report(services, symbol)
    except UserFacingError as error:
        return [f"Price unknown right now ({error.message}). The pledge is stored as a %."]
    return contribution_lines(view)


async def price_contribution_modal(
    client: AsyncWebClient,
    services: Services,
    symbol: str,
    opened: dict[str, Any],
    modal: Callable[[list[str]], dict[str, Any]],
) -> None:
    """Fills the opened "will contribute" modal in with what 1%, 3% and 5% are worth."""
    preview = await contribution_preview(services, symbol)
    try:
        await client.views_update(
            view_id=opened.get("id"), hash=opened.get("hash"), view=modal(preview)
        )
    except SlackApiError as error:  # the user closed or already submitted the modal
        logger.info("modal not updated: %s", error.response.get("error"))


async def on_outreach_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """Log outreach · Reply: has MM · will contribute · declined · Snooze → its modal."""
    await ack()
    symbol = parse_symbol(action.get("value"))  # the button contract: value = token symbol
    authorize(services, await slack_state.actor(client, services.settings, body))
    origin = Origin.from_click(body, symbol)
    message = body.get("message") or {}
    if origin.channel and origin.ts and message.get("blocks"):
        slack_state.remember_message(
            origin.channel, origin.ts, message.get("text") or "", message["blocks"]
        )
    action_id = str(action["action_id"])
    settings = services.settings
    today = team_today(settings, services.clock())

    def modal(preview: list[str] | None = None) -> dict[str, Any]:
        return outreach_modal(
            action_id, symbol, origin.to_metadata(), today, settings.followup_days, preview
        )

    opened = await client.views_open(trigger_id=body["trigger_id"], view=modal())
    if action_id == REPLY_CONTRIBUTE:
        await price_contribution_modal(client, services, symbol, opened["view"], modal)
