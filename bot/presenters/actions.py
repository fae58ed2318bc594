"""The outreach buttons shared by `/liquidity`, `/atrisk`, `/outreach` answers, digest rows, App
Home and reminders: one per outreach form (``bot.usecases.outreach.kinds``), in its order.

A button's action_id is its form's, the contract with the listeners that open the modals
(``commands.register``); its value is the token symbol.
"""

from __future__ import annotations

from typing import Any

from bot.usecases.outreach.kinds import OUTREACH_FORMS


def token_block_id(symbol: str) -> str:
    """block_id of a token's row (section), so a modal submission can annotate that row."""
    return f"token:{symbol}"


def actions_block_id(symbol: str) -> str:
    return f"actions:{symbol}"


def outreach_buttons(symbol: str) -> dict[str, Any]:
    """One actions block: Log outreach · Reply: has MM · will contribute · declined · Snooze."""
    elements = [
        {
            "type": "button",
            "action_id": form.action_id,
            "text": {"type": "plain_text", "text": form.button},
            "value": symbol,
            **({"style": "primary"} if form.primary else {}),
        }
        for form in OUTREACH_FORMS
    ]
    return {"type": "actions", "block_id": actions_block_id(symbol), "elements": elements}
