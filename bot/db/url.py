"""`DATABASE_URL` parsing that reads any password right, and redaction that hides all of it.

A password is whatever an operator typed: ``pa:ss``, ``p@ss``, ``a/b``, or ``pa%40ss`` already
percent-encoded. SQLAlchemy's ``make_url`` ends the password at the first ``@``, so with
``u:p@ss@db`` it would connect to host ``ss@db`` and every error would name that "host", a piece
of the password. Here the credentials end at the *last* ``@`` before the query string; only the
part after it (host, port, database, query) goes through ``make_url``, so no parse error can
quote a credential, and the password is set on the URL as an opaque value.
"""

from __future__ import annotations

from urllib.parse import unquote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import redact


class DatabaseUrlError(ValueError):
    """`DATABASE_URL` is not a SQLite or PostgreSQL URL liqbot can use (never quotes it)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason  # what is wrong, without the variable's name
        super().__init__(f"DATABASE_URL: {reason}")


def _split_credentials(url: str) -> tuple[str, str | None, str]:
    """``scheme://user:pass@rest`` → (scheme, "user:pass" or None, rest)."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator or not scheme:
        raise DatabaseUrlError("not a valid database URL (expected scheme://…)")
    if scheme.lower().startswith("sqlite"):
        return scheme, None, rest  # a file path may hold an '@'; SQLite has no credentials
    authority_end = len(rest.split("?", 1)[0])
    at = rest.rfind("@", 0, authority_end)
    if at < 0:
        return scheme, None, rest
    return scheme, rest[:at], rest[at + 1 :]


def parse_database_url(url: str) -> URL:
    """The SQLAlchemy ``URL`` of ``url`` with user and password percent-decoded and exact.

    Raises ``DatabaseUrlError`` whose message never contains the URL's credentials."""
    scheme, credentials, location = _split_credentials(url)
    try:
        parsed = make_url(f"{scheme}://{location}")
    except (ArgumentError, ValueError) as exc:
        # Only the credential-free part was parsed, so the reason cannot quote a password.
        reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, ArgumentError):
            reason = "cannot parse it"
        raise DatabaseUrlError(f"not a valid database URL ({reason})") from None
    if credentials is None:
        return parsed
    user, has_password, password = credentials.partition(":")
    return parsed.set(
        username=unquote(user) or None, password=unquote(password) if has_password else None
    )


def redact_url(url: str) -> str:
    """``url`` for messages and logs: the password replaced by ``***``, the rest as parsed."""
    try:
        return parse_database_url(url).render_as_string(hide_password=True)
    except DatabaseUrlError:
        return "<invalid database URL>"


def redact_text(text: str, secrets: tuple[str | None, ...] = ()) -> str:
    """``text`` without any URL's credentials and without the given secret values (each in its
    plain and percent-encoded spelling): ``bot.errors.redact``, the one redaction."""
    return redact(text, *(secret for secret in secrets if secret))
