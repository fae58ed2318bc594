"""Is this HTTP request from Slack? Its signature and timestamp, checked on the raw bytes.

Slack's v0 scheme: ``X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">`` under the
app's signing secret, and ``X-Slack-Request-Timestamp`` in whole Unix seconds, at most 5 minutes
from now (either way: a replayed request is as bad as one from the future).

liqbot checks this before anything reads the body (``bot.slack.endpoint``). slack_sdk's verifier is
not used for it: it runs ``int()`` on the timestamp header, so ``abc`` raises instead of refusing
(Bolt then hands the unverified body to the error handler), and ``int()`` also reads ``+17…``,
``17_00…`` or 5000 digits; ``hmac.compare_digest`` raises on a non-ASCII ``str`` signature.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from slack_bolt.request.async_request import AsyncBoltRequest

MAX_AGE_S = 5 * 60
# Whole seconds in ASCII digits; 12 digits reach the year 33658.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

# Set in the Bolt context of a request liqbot's HTTP endpoint verified (see ``is_verified``).
VERIFIED_KEY = "liqbot_verified_request"


def refusal(
    signing_secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> str | None:
    """Why the request is not verifiably Slack's (a short reason for the log), or None when it is.

    The reasons name the header that failed, never its value or the body.
    """
    if timestamp is None:
        return "no timestamp"
    if not _TIMESTAMP.fullmatch(timestamp):
        return "malformed timestamp"
    if abs(now - int(timestamp)) > MAX_AGE_S:
        return "timestamp more than 5 minutes away"
    if signature is None:
        return "no signature"
    if not _SIGNATURE.fullmatch(signature):
        return "malformed signature"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return "bad signature"
    return None


def is_verified(request: AsyncBoltRequest) -> bool:
    """True when Slack is known to have sent ``request``: over Socket Mode (the connection, opened
    with the app token, is the authentication) or through liqbot's verifying HTTP endpoint."""
    return request.mode == "socket_mode" or request.context.get(VERIFIED_KEY) is True
