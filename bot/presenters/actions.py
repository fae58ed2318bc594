"""The outreach controls shared by `/liquidity`, `/atrisk`, `/outreach` answers, digest rows, App
Home and reminders: one button per outreach form (``bot.usecases.outreach.kinds``, in order),
the owner picker of a case, and each timeline entry's Correct / Retract menu.

A button's action_id is its form's, the contract with the listeners that open the modals
(``commands.register``); its value is the token symbol. The owner picker's section carries the
token in its block_id (``owner_block_id``); an entry menu's options carry mode, token and entry
(``entry_choice``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.usecases.outreach.form import OutreachForm
from bot.usecases.outreach.kinds import OUTREACH_FORMS

ASSIGN_ACTION = "case_assign"
ENTRY_ACTION_PREFIX = "case_entry:"
ENTRY_MODES = {"correct": "Correct…", "retract": "Retract…"}


def token_block_id(symbol: str) -> str:
    """block_id of a token's row (section), so a modal submission can annotate that row."""
    return f"token:{symbol}"


def actions_block_id(symbol: str) -> str:
    return f"actions:{symbol}"


def owner_block_id(symbol: str) -> str:
    """block_id of a case's owner line, whose picker reassigns the case."""
    return f"owner:{symbol}"


def outreach_buttons(
    symbol: str, forms: Sequence[OutreachForm[Any]] = OUTREACH_FORMS
) -> dict[str, Any]:
    """One actions block of ``forms``' buttons (by default Log outreach · Reply: has MM · will
    contribute · declined · Snooze)."""
    elements = [
        {
            "type": "button",
            "action_id": form.action_id,
            "text": {"type": "plain_text", "text": form.button},
            "value": symbol,
            **({"style": "primary"} if form.primary else {}),
        }
        for form in forms
    ]
    return {"type": "actions", "block_id": actions_block_id(symbol), "elements": elements}


def owner_picker(owner: str | None) -> dict[str, Any]:
    """A user picker that reassigns the case (its current owner preselected)."""
    picker: dict[str, Any] = {
        "type": "users_select",
        "action_id": ASSIGN_ACTION,
        "placeholder": {"type": "plain_text", "text": "Change the owner"},
    }
    if owner:
        picker["initial_user"] = owner
    return picker


def entry_menu(symbol: str, event_id: int, modes: Sequence[str]) -> dict[str, Any]:
    """The overflow menu of a timeline entry: Correct… / Retract…"""
    options = [
        {
            "text": {"type": "plain_text", "text": ENTRY_MODES[mode]},
            "value": f"{mode}:{symbol}:{event_id}",
        }
        for mode in modes
    ]
    return {"type": "overflow", "action_id": f"{ENTRY_ACTION_PREFIX}{event_id}", "options": options}


def entry_choice(value: str) -> tuple[str, str, int] | None:
    """(mode, token symbol, entry id) of an entry menu's chosen option, or None."""
    mode, _, rest = value.partition(":")
    symbol, _, event_id = rest.rpartition(":")
    if mode not in ENTRY_MODES or not symbol or not event_id.isdigit():
        return None
    return mode, symbol, int(event_id)
