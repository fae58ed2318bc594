"""DATABASE_URL: any password is read whole and never shows, in part or in full, in a message."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from bot.cli.errors import one_line_reason
from bot.db.engine import DatabaseUrlError, async_url, redact, sync_url
from bot.db.url import parse_database_url, redact_text
from bot.settings import SettingsError, load_settings

# Each password is made of marker words: no marker may appear in any message.
PASSWORDS = [
    "KIWI:MANGO",
    "KIWI@MANGO",
    "KIWI/MANGO",
    "KIWI@MANGO:PAPAYA",
    "KIWI:MANGO@PAPAYA/GUAVA",
    "KIWI%MANGO",
]
MARKERS = ("KIWI", "MANGO", "PAPAYA", "GUAVA")


def _leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text.upper()]


@pytest.mark.parametrize("password", PASSWORDS)
def test_any_password_typed_as_is_is_read_whole(password: str) -> None:
    parsed = parse_database_url(f"postgresql+psycopg://liq:{password}@db.internal:5432/liqbot")
    assert (parsed.username, parsed.password) == ("liq", password)
    assert (parsed.host, parsed.port, parsed.database) == ("db.internal", 5432, "liqbot")
    assert redact(f"postgresql://liq:{password}@db.internal/liqbot") == (
        "postgresql://liq:***@db.internal/liqbot"
    )
    # the driver-form URL handed to SQLAlchemy parses back to the same password
    assert make_url(async_url(f"postgresql://liq:{password}@db/x")).password == password
    assert make_url(sync_url(f"postgresql://liq:{password}@db/x")).password == password


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_percent_encoded_password_is_decoded(password: str) -> None:
    parsed = parse_database_url(f"postgresql://liq:{quote(password, safe='')}@db/x")
    assert parsed.password == password and parsed.host == "db"


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_bad_port_is_named_without_the_password(password: str) -> None:
    url = f"postgresql+psycopg://liq:{password}@db.internal:54x2/liqbot"
    with pytest.raises(DatabaseUrlError) as excinfo:
        async_url(url)
    assert "DATABASE_URL" in str(excinfo.value) and not _leaks(str(excinfo.value))
    with pytest.raises(SettingsError) as settings_error:
        load_settings(env_file=None, database_url=url)
    message = str(settings_error.value)
    assert message.startswith("invalid setting DATABASE_URL: not a valid database URL")
    assert not _leaks(message)


@pytest.mark.parametrize("password", PASSWORDS)
def test_free_text_loses_every_piece_of_a_url_password(password: str) -> None:
    for user in ("liq", ""):
        for shown in (password, quote(password, safe="")):
            text = f"could not open postgresql+psycopg://{user}:{shown}@db/x: refused"
            assert not _leaks(redact_text(text)), shown
            assert not _leaks(one_line_reason(RuntimeError(text)))
    assert redact_text(f"auth failed ({password})", (password,)) == "auth failed (***)"
    assert redact_text(f"dsn password={quote(password, safe='')}", (password,)) == (
        "dsn password=***"
    )


def test_sqlite_paths_may_hold_an_at_sign() -> None:
    assert sync_url("sqlite:////tmp/a@b.db") == "sqlite+pysqlite:////tmp/a@b.db"
    assert parse_database_url("sqlite:////tmp/a@b.db").database == "/tmp/a@b.db"
