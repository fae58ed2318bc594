"""Integrity of a modal's ``private_metadata`` (SPEC 6): the bot signs what it puts there.

The metadata says where the clicked message is (channel and ts, a response_url, the App Home)
and for which token; the submission handler then writes for that token and updates that
message. Slack hands the metadata back untouched, but it travels through the client, so it is
sealed: the JSON carries ``mac`` = HMAC-SHA256 over the modal's callback_id and the canonical JSON
of the other fields. A submission whose MAC does not verify (changed channel, response_url or
symbol, a seal of another form, no seal) is refused before anything is written or posted.

The key is derived (HMAC-SHA256 with a fixed purpose label, so it is never the secret itself)
from ``SLACK_SIGNING_SECRET``, the secret Slack already shares with every replica. Socket Mode
may run without a signing secret: the key then comes from ``SLACK_BOT_TOKEN``, which every
replica of the app also holds. With neither (tests, ``liqbot ask``) it comes from a random key
of this process: a modal then verifies only in the process that opened it, which is all those
callers need. Rotating the secret invalidates the modals open at that moment: their submission
asks the user to open the form again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from bot.errors import UserFacingError
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAC_FIELD = "mac"
_PURPOSE = b"liqbot/modal-private-metadata/v1"
_PROCESS_SECRET = secrets.token_bytes(32)  # only without a signing secret and a bot token


class TamperedForm(UserFacingError):
    """The submitted modal's private_metadata is not the one the bot sealed."""

    def __init__(self) -> None:
        super().__init__(
            "This form could not be verified, so nothing was saved. Close it and click the "
            "button on the message again."
        )


def seal_key(settings: Settings) -> bytes:
    """The MAC key of this app (see the module docstring for where it comes from)."""
    secret = settings.slack_signing_secret or settings.slack_bot_token
    material = secret.get_secret_value().encode() if secret else _PROCESS_SECRET
    return hmac.new(material, _PURPOSE, hashlib.sha256).digest()


def _mac(key: bytes, callback_id: str, fields: Mapping[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, f"{callback_id}\n{canonical}".encode(), hashlib.sha256).hexdigest()


def seal(fields: Mapping[str, str | bool | int], callback_id: str, key: bytes) -> str:
    """``fields`` as private_metadata JSON for the modal ``callback_id``, with their MAC."""
    return json.dumps({**fields, MAC_FIELD: _mac(key, callback_id, fields)}, separators=(",", ":"))


def unseal(metadata: str, callback_id: str, key: bytes) -> dict[str, Any]:
    """The fields of sealed ``metadata`` from a ``callback_id`` modal; ``TamperedForm`` unless
    its MAC verifies (compared in constant time)."""
    try:
        fields = json.loads(metadata)
    except ValueError:
        fields = None
    mac = fields.pop(MAC_FIELD, None) if isinstance(fields, dict) else None
    if isinstance(mac, str) and isinstance(fields, dict):
        expected = _mac(key, callback_id, fields)
        if hmac.compare_digest(mac.encode(), expected.encode()):
            return fields
    logger.warning("refused a %s submission: its private_metadata does not verify", callback_id)
    raise TamperedForm()
