"""Where an outreach button was clicked, carried (sealed, see ``commands.seal``) in the modal's
private_metadata so that the submission can show its note there (``commands.redraw``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from commands.seal import TamperedForm, seal, unseal
from commands.slash import origin_command


@dataclass(frozen=True)
class Origin:
    """The clicked message: ``channel`` + ``ts`` (a channel message), or ``response_url`` (+ the
    ``command`` that drew it) for an ephemeral answer, or ``home`` for the App Home; ``target``
    is the timeline entry a correction or retraction is about."""

    symbol: str
    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None
    command: str | None = None
    home: bool = False
    target: int | None = None

    def sealed(self, callback_id: str, key: bytes) -> str:
        """Sealed JSON for the private_metadata of the ``callback_id`` modal (well under
        Slack's 3,000 characters)."""
        return seal({k: v for k, v in asdict(self).items() if v}, callback_id, key)

    def about(self, target: int) -> Origin:
        """This origin for a form about timeline entry ``target``."""
        return replace(self, target=target)

    @classmethod
    def unsealed(cls, metadata: str, callback_id: str, key: bytes) -> Origin:
        """The origin in a submitted modal's private_metadata; ``TamperedForm`` unless the bot
        sealed it for this modal."""
        data = unseal(metadata, callback_id, key)
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        target = fields.get("target")
        if not isinstance(fields.get("symbol"), str) or not isinstance(target, int | None):
            raise TamperedForm()  # sealed by us, so a bug: refuse it all the same
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
