"""One-line, secret-free reasons for the CLI's exit-code-1 failures."""

from __future__ import annotations

from bot.errors import redact


def one_line_reason(exc: BaseException) -> str:
    """The first line of the exception's message, redacted, with its kind when it says nothing."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if not message:
        return kind
    if kind in ("OperationalError", "InterfaceError"):
        message = f"database unreachable: {message}"
    return redact(message)[:400]
