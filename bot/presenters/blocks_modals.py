"""The outreach modals opened by the outreach buttons, and the values read back on submission.

Every input's block_id and action_id is the field name the use case's validators use
(``bot.usecases.outreach.forms``), so their field errors go straight under the right input
(``response_action: errors``). The modal's callback_id says which button opened it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from bot.db.models.outreach import OUTREACH_CHANNELS
from bot.presenters.actions import (
    ACTION_IDS,
    LOG_OUTREACH,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
)
from bot.presenters.blocks_common import Block, context, escape, section
from bot.usecases.outreach.forms import NAME_MAX, TEXT_MAX

CALLBACK_IDS: dict[str, str] = {action_id: f"{action_id}_modal" for action_id in ACTION_IDS}
ACTION_OF_CALLBACK: dict[str, str] = {callback: action for action, callback in CALLBACK_IDS.items()}
TITLES: dict[str, str] = {
    LOG_OUTREACH: "Log outreach",
    REPLY_HAS_MM: "Reply: has MM",
    REPLY_CONTRIBUTE: "Reply: will contribute",
    REPLY_DECLINED: "Reply: declined",
    SNOOZE: "Snooze",
}
INTROS: dict[str, str] = {
    LOG_OUTREACH: "Log that the team contacted the *{symbol}* project.",
    REPLY_HAS_MM: "The *{symbol}* project says it has a market maker.",
    REPLY_CONTRIBUTE: "The *{symbol}* project will contribute part of its circulating supply "
    "to the savings (lending) pools.",
    REPLY_DECLINED: "The *{symbol}* project declined.",
    SNOOZE: "Keep *{symbol}* out of the daily digest for a while.",
}
NO_MM_OPTION = "no_market_maker"
DEFAULT_SNOOZE_DAYS = 7
WORKING_OUT = "Working out what 1% of circulating supply is worth…"


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _input(field: str, label: str, element: dict[str, Any], optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": field,
        "label": _plain(label),
        "element": {**element, "action_id": field},
        "optional": optional,
    }
    return block


def _text(
    max_length: int, multiline: bool = False, placeholder: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        element["multiline"] = True
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def _number(
    decimal: bool, initial: str | None = None, placeholder: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": decimal}
    if initial is not None:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def _date(initial: date | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return element


def _inputs(action_id: str, today: date, followup_days: int) -> list[Block]:
    if action_id == LOG_OUTREACH:
        options = [{"text": _plain(c.capitalize()), "value": c} for c in OUTREACH_CHANNELS]
        return [
            _input("channel", "Channel", {"type": "static_select", "options": options}),
            _input("contact", "Contact", _text(NAME_MAX, placeholder="@handle or e-mail"), True),
            _input("notes", "Notes", _text(TEXT_MAX, multiline=True), True),
            _input(
                "followup_on", "Follow up on", _date(today + timedelta(days=followup_days)), True
            ),
        ]
    if action_id == REPLY_HAS_MM:
        return [
            _input("mm_name", "Market maker", _text(NAME_MAX)),
            _input("since", "Engaged since", _date(), True),
            _input("until", "Contract ends", _date(), True),
            _input("max_spread_bps", "Max spread (bps)", _number(True), True),
            _input("min_depth_usd", "Min ±2% depth (USD)", _number(True), True),
        ]
    if action_id == REPLY_CONTRIBUTE:
        return [
            _input(
                "pct_of_supply",
                "% of circulating supply",
                _number(True, placeholder="e.g. 3"),
            )
        ]
    if action_id == REPLY_DECLINED:
        option = {"text": _plain("They also said they have no market maker"), "value": NO_MM_OPTION}
        return [
            _input("reason", "Reason they gave", _text(TEXT_MAX, multiline=True)),
            _input(
                "no_market_maker", "Market maker", {"type": "checkboxes", "options": [option]}, True
            ),
        ]
    if action_id == SNOOZE:
        return [_input("days", "Days (1–90)", _number(False, str(DEFAULT_SNOOZE_DAYS)))]
    raise ValueError(f"no modal for action {action_id!r}")


def outreach_modal(
    action_id: str,
    symbol: str,
    private_metadata: str,
    today: date,
    followup_days: int,
    preview_lines: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The modal a button opens; ``today`` is the team's date (default follow-up date).
    ``preview_lines``: the contribution modal's "what 1% is worth" lines (None while they are
    being worked out)."""
    blocks: list[Block] = [section(INTROS[action_id].format(symbol=escape(symbol)))]
    if action_id == REPLY_CONTRIBUTE:
        if preview_lines is None:
            blocks.append(context(WORKING_OUT))
        else:
            blocks.append(section("\n".join(f"• {escape(line)}" for line in preview_lines)))
    blocks += _inputs(action_id, today, followup_days)
    return {
        "type": "modal",
        "callback_id": CALLBACK_IDS[action_id],
        "private_metadata": private_metadata,
        "title": _plain(TITLES[action_id]),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def submitted_values(view: dict[str, Any]) -> dict[str, Any]:
    """``{field: value}`` of a submitted modal: text and numbers as typed (str or None), dates as
    ``YYYY-MM-DD`` (or None), a select's chosen value, checkboxes as the list of chosen values."""
    values: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for state in actions.values():
            kind = state.get("type")
            if kind == "datepicker":
                values[block_id] = state.get("selected_date")
            elif kind == "static_select":
                values[block_id] = (state.get("selected_option") or {}).get("value")
            elif kind == "checkboxes":
                values[block_id] = [o.get("value") for o in state.get("selected_options") or []]
            else:
                values[block_id] = state.get("value")
    return values
