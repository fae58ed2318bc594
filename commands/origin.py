"""Where an outreach button was clicked, carried in the modal's private_metadata so that the
submission can show its note there (``commands.redraw``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from commands.slash import origin_command


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
