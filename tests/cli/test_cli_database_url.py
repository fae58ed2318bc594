"""`liqbot scan` on a database URL whose password holds ':', '@' or '/': one line, no password."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import run

MARKERS = ("KIWI", "MANGO", "PAPAYA", "GUAVA")


def _leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text.upper()]


@pytest.mark.parametrize(
    "password",
    ["KIWI:MANGO", "KIWI@MANGO", "KIWI@MANGO:PAPAYA", "KIWI:MANGO@PAPAYA/GUAVA"],
)
def test_scan_on_an_unreachable_database_never_shows_the_password(
    tmp_path: Path, password: str
) -> None:
    # As typed, not percent-encoded (tests/db/test_database_url.py covers both spellings).
    # Port 9 on localhost: nothing listens, the connection is refused at once.
    url = f"postgresql+psycopg://liq:{password}@127.0.0.1:9/liqbot"
    done = run(["scan"], tmp_path, DATABASE_URL=url)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "127.0.0.1" in done.stderr
    assert not _leaks(done.stderr + done.stdout), done.stderr


def test_scan_with_a_malformed_database_url_names_the_setting_only(tmp_path: Path) -> None:
    url = "postgresql+psycopg://liq:KIWI@MANGO:PAPAYA@127.0.0.1:54x2/liqbot"
    done = run(["scan"], tmp_path, DATABASE_URL=url)
    assert done.returncode == 1
    assert done.stderr.startswith("liqbot: invalid setting DATABASE_URL: not a valid database URL")
    assert not _leaks(done.stderr), done.stderr
