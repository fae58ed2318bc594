"""One-line, secret-free reasons for the CLI's exit-code-1 failures."""

from __future__ import annotations

import re

from bot.db.url import redact_text

_TOKENS = re.compile(r"\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+")


def redact(text: str) -> str:
    """Remove passwords in URLs and Slack tokens from a message."""
    return _TOKENS.sub(r"\1***", redact_text(text))


def one_line_reason(exc: BaseException) -> str:
    """The first line of the exception's message, redacted, with its kind when it says nothing."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if not message:
        return kind
    if kind in ("OperationalError", "InterfaceError"):
        message = f"database unreachable: {message}"
    return redact(message)[:400]
