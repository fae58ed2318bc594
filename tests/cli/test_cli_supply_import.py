"""`liqbot supply import`: a file it must not or cannot import is refused in one line, exit 1,
and nothing is imported (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bot.db.engine import sync_url
from tests.cli.test_cli import run


def _stored_symbols(db_url: str) -> list[str]:
    engine = create_engine(sync_url(db_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT symbol FROM tokens"))]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        (
            "supply.csv",
            "symbol,circulating_supply,market_cap_usd,name\nQUUX,5,,Quux\nZORB,9,,Zor\x00ble\n",
            "line 3: name contains a NUL character",
        ),
        (
            "coins.json",
            json.dumps([{"symbol": "quux", "circulating_supply": 5, "name": "Q" * 300}]),
            "entry 0 (QUUX): name is 300 characters, longer than 255",
        ),
        (
            "coins.json",
            '[{"symbol": "quux", "circulating_supply": 5, "name": "Q\\udc80"}]',
            "entry 0 (QUUX): name contains an unpaired surrogate (U+DC80), not valid Unicode",
        ),
    ],
    ids=["nul", "long-name", "surrogate"],
)
def test_text_the_database_cannot_store_is_refused_naming_where(
    tmp_path: Path, db_url: str, filename: str, content: str, reason: str
) -> None:
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    done = run(["supply", "import", str(path)], tmp_path, DATABASE_URL=db_url)
    assert done.returncode == 1
    assert done.stderr == f"liqbot: {reason}\n"
    assert _stored_symbols(db_url) == []


def test_a_fifo_is_refused_at_once_and_the_database_is_not_touched(tmp_path: Path) -> None:
    fifo = tmp_path / "supply.csv"
    os.mkfifo(fifo)  # nobody writes: reading it used to wait forever
    done = run(["supply", "import", str(fifo)], tmp_path)
    assert done.returncode == 1
    assert (
        done.stderr
        == f"liqbot: {fifo} is a FIFO (named pipe), not a regular file: give a CSV or JSON file\n"
    )
    assert not (tmp_path / "cli.db").exists()


def test_a_file_over_20_mb_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "supply.csv"
    with big.open("wb") as sparse:
        sparse.truncate(23_000_000)
    done = run(["supply", "import", str(big)], tmp_path)
    assert done.returncode == 1
    assert "is 23.0 MB, over the 20 MB limit of a supply file" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "cli.db").exists()
