"""Slack's request bodies, parsed by liqbot rather than by Bolt, and summarised for the log.

Slack POSTs three formats to the Request URL:
- a slash command: ``application/x-www-form-urlencoded`` fields (``command``, ``text``, …);
- interactivity (buttons, modals, option loads): the same content type with one field,
  ``payload``, holding a JSON object;
- events and ``url_verification``: ``application/json``, an object.

Bolt's own parser (``slack_bolt.request.internals.parse_body``, 1.30.0 and upstream main) picks the
second form whenever the substring ``payload`` occurs anywhere in the body, so ``/liquidity
payload`` or a command typed in ``#payload-alerts`` parses as ``{}`` and Slack shows
"dispatch_failed"; it also parses a form body starting with ``{`` as JSON, and raises (HTTP 500, a
traceback) on a ``payload`` that is not JSON. ``parse_body`` here decides by field name and content
type and raises ``UnparseableBody`` for anything that is not one of the three formats.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
PREVIEW_CHARS = 100
# Slack's fields that are credentials: the legacy verification token, and a response_url (anyone
# holding it can post to the channel for 30 minutes). Masked in log previews, raw or URL-encoded.
_SECRET_VALUE = re.compile(
    r"((?:token|response_url)(?:=|%22%3A%22|%22%3A%20%22|\"\s*:\s*\"))(?:(?!%22)[^&\"])*",
    re.IGNORECASE,
)


class UnparseableBody(ValueError):
    """The body is none of Slack's formats; ``reason`` says why, without quoting it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def media_type(content_type: str | None) -> str:
    """``"application/json; charset=utf-8"`` → ``"application/json"``; ``""`` when absent."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The fields Bolt expects (``body`` in listeners) from one of Slack's three formats."""
    kind = media_type(content_type)
    if kind not in (FORM, JSON):
        raise UnparseableBody(f"content type {kind or 'missing'} is not Slack's")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnparseableBody("body is not UTF-8") from None
    if kind == JSON:
        return _json_object(text, "body")
    try:
        fields = parse_qsl(
            text, keep_blank_values=True, strict_parsing=True, errors="strict", max_num_fields=200
        )
    except (ValueError, UnicodeDecodeError):
        raise UnparseableBody("body is not a form") from None
    form = dict(fields)
    if "payload" in form:
        return _json_object(form["payload"], "payload")
    if "command" in form or "ssl_check" in form:
        return form
    raise UnparseableBody("form has neither a command nor a payload")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise UnparseableBody(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise UnparseableBody(f"{what} is JSON but not an object")
    return value


def summary(raw: bytes, content_type: str | None, preview: bool) -> str:
    """A bounded one-line account of a refused body: its size and type, and with ``preview`` its
    first 100 characters repr-escaped (a newline cannot forge a log line) with secrets masked.
    A request that failed verification gets no preview: nothing of it is logged."""
    kind = (content_type or "none")[:60]
    text = f"{len(raw)} bytes, content type {kind!r}"
    if preview:
        start = raw[: PREVIEW_CHARS * 4].decode("utf-8", errors="replace")
        masked = _SECRET_VALUE.sub(r"\1***", start)[:PREVIEW_CHARS]
        text += f", starting {masked!r}"
    return text
