"""An outreach button (on answers, digest rows, the App Home, reminders) opens its form's modal.

Editors only: anyone else gets the ephemeral refusal (``NotAnEditor``, shown by the app's error
handler) and no modal. The modal opens at once with the click's trigger_id, its private_metadata
sealed (``commands.seal``); a form with a preview ("will contribute": what 1%, 3% and 5% of
circulating supply are worth, from the latest snapshot) is then filled in.
The trigger_id is valid 3 s from the click: views.open is tried once within that
(``open_in_time``), and when Slack cannot open the form by then the user is told to click again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.presenters.blocks_modals import outreach_modal
from bot.slack.web_api import is_transient, single_attempt
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import authorize
from bot.usecases.outreach.form import FormDefaults, OutreachForm
from bot.usecases.services import Services
from commands.origin import Origin
from commands.seal import seal_key
from commands.slack_state import SlackState

logger = logging.getLogger(__name__)

TRIGGER_LIFETIME_S = 3.0
"""A click's trigger_id opens a modal only this long after the click (Slack's rule)."""

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


class FormNotOpened(UserFacingError):
    """views.open failed or could not finish while the click's trigger_id was valid."""

    def __init__(self) -> None:
        super().__init__("Slack could not open the form in time; click the button again.")


async def open_in_time(
    client: AsyncWebClient, trigger_id: str, view: dict[str, Any], expires: float
) -> dict[str, Any]:
    """The view opened with ``trigger_id`` (valid until ``expires``, monotonic): one attempt,
    given up at ``expires``. A retry would only earn ``expired_trigger_id``, so a failure Slack
    may not repeat (5xx, 429, timeout, an expired trigger) is ``FormNotOpened`` at once; any
    other answer (``invalid_arguments``: a bug of the modal) is raised as it is."""
    try:
        async with asyncio.timeout(max(expires - time.monotonic(), 0.0)):
            opened = await single_attempt(client).views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, ClientError, TimeoutError) as error:
        code = error.response.get("error") if isinstance(error, SlackApiError) else None
        if not is_transient(error) and code != "expired_trigger_id":
            raise
        logger.warning("modal not opened: %s", code or type(error).__name__)
        raise FormNotOpened() from None
    return dict(opened["view"])


def sealed_modal(
    services: Services,
    form: OutreachForm[Any],
    origin: Origin,
    preview: Any = None,
) -> dict[str, Any]:
    """``form``'s modal for ``origin``'s token, its private_metadata sealed (``commands.seal``)."""
    settings = services.settings
    defaults = FormDefaults(team_today(settings, services.clock()), settings.followup_days)
    metadata = origin.sealed(form.callback_id, seal_key(settings))
    return outreach_modal(form, origin.symbol, metadata, defaults, preview)


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
        trigger_expires = time.monotonic() + TRIGGER_LIFETIME_S
        await ack()
        symbol = parse_symbol(action.get("value"))  # the button contract: value = token symbol
        settings = services.settings
        authorize(services, await slack_state.actor(client, settings, body))
        origin = Origin.from_click(body, symbol)
        _remember_clicked(body, origin, slack_state)
        view = sealed_modal(services, form, origin)
        opened = await open_in_time(client, body["trigger_id"], view, trigger_expires)
        if form.preview is not None:
            preview = await form.preview(services, symbol)
            await _update_modal(client, opened, sealed_modal(services, form, origin, preview))

    return open_modal
