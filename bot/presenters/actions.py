"""The outreach buttons shared by `/liquidity`, `/atrisk`, `/outreach` answers and digest rows.

The action ids are the contract between the presenters that draw the buttons and the command
modules that open the modals (commands/outreach_*.py); the button's value is the token symbol.
"""

from __future__ import annotations

from typing import Any

LOG_OUTREACH = "log_outreach"
REPLY_HAS_MM = "reply_has_mm"
REPLY_CONTRIBUTE = "reply_contribute"
REPLY_DECLINED = "reply_declined"
SNOOZE = "snooze"

BUTTON_LABELS: dict[str, str] = {
    LOG_OUTREACH: "Log outreach",
    REPLY_HAS_MM: "Reply: has MM",
    REPLY_CONTRIBUTE: "Reply: will contribute",
    REPLY_DECLINED: "Reply: declined",
    SNOOZE: "Snooze",
}
ACTION_IDS = tuple(BUTTON_LABELS)


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
            "action_id": action_id,
            "text": {"type": "plain_text", "text": label},
            "value": symbol,
            **({"style": "primary"} if action_id == LOG_OUTREACH else {}),
        }
        for action_id, label in BUTTON_LABELS.items()
    ]
    return {"type": "actions", "block_id": actions_block_id(symbol), "elements": elements}
