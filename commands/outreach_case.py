"""The controls of `/outreach TOKEN` beyond the form buttons: each timeline entry's menu (Correct…
opens the entry's form with its values, Retract… asks why) and the owner picker (picking a
user reassigns the case at once). Editors only, like every write; the submission of an entry's
modal is ``commands.outreach_modals``'s, its form drawn again from the entry it is about.
"""

from __future__ import annotations

import re
import time
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.presenters.actions import ENTRY_ACTION_PREFIX, entry_choice
from bot.usecases.args import parse_symbol
from bot.usecases.outreach import assign_owner
from bot.usecases.outreach.common import authorize
from bot.usecases.outreach.corrections import case_entry, entry_form
from bot.usecases.outreach.form import OutreachForm
from bot.usecases.services import Services
from commands.origin import Origin
from commands.outreach_buttons import TRIGGER_LIFETIME_S, open_in_time, sealed_modal
from commands.outreach_modals import FormOf
from commands.redraw import show_note
from commands.slack_state import SlackState

ENTRY_MENU = re.compile(rf"^{re.escape(ENTRY_ACTION_PREFIX)}\d+$")
"""The action ids of the entries' menus (``case_entry:<event id>``)."""


async def on_entry_menu(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """Correct… / Retract… chosen on an entry: open that entry's modal (within the trigger's
    lifetime, as the buttons do)."""
    trigger_expires = time.monotonic() + TRIGGER_LIFETIME_S
    await ack()
    chosen = entry_choice(str((action.get("selected_option") or {}).get("value") or ""))
    if chosen is None:
        raise UserFacingError("That menu is not liqbot's: open the case again with /outreach.")
    mode, symbol, event_id = chosen
    symbol = parse_symbol(symbol)
    authorize(services, await slack_state.actor(client, services.settings, body))
    form = entry_form(mode, await case_entry(services, symbol, event_id))
    origin = Origin.from_click(body, symbol).about(event_id)
    view = sealed_modal(services, form, origin)
    await open_in_time(client, body["trigger_id"], view, trigger_expires)


def entry_form_of(mode: str) -> FormOf:
    """The form of a submitted ``mode`` (correct / retract) modal: drawn again from the entry
    its origin names."""

    async def form_of(services: Services, origin: Origin) -> OutreachForm[Any]:
        if origin.target is None:
            raise UserFacingError("This form names no entry: open the case again with /outreach.")
        return entry_form(mode, await case_entry(services, origin.symbol, origin.target))

    return form_of


async def on_owner_picked(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """A user picked in a case's owner picker becomes its owner (audited, shown in place)."""
    await ack()
    block_id = str(action.get("block_id") or "")
    symbol = parse_symbol(block_id.partition("|")[0].removeprefix("owner:"))
    owner = str(action.get("selected_user") or "")
    actor = await slack_state.actor(client, services.settings, body)
    name = await slack_state.display_name(client, owner)
    key = f"assign:{symbol}:{owner}:{action.get('action_ts') or body.get('trigger_id')}"
    result = await assign_owner(services, actor, symbol, owner, name, key)
    origin = Origin.from_click(body, symbol)
    await show_note(
        origin, result, client=client, services=services, state=slack_state, user_id=actor.user_id
    )
