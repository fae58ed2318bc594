"""Audit log (append and read only) and snoozes (the latest one decides)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Snooze
from bot.db.repo_audit import append_audit, audit_rows
from bot.db.repo_snooze import is_snoozed, snoozed_symbols
from tests.builders import NOW


async def test_audit_rows_are_appended_and_filtered(session: AsyncSession) -> None:
    first = await append_audit(
        session,
        at=NOW,
        actor_user="U_ALICE",
        actor_team="T1",
        action="log_outreach",
        entity="outreach",
        entity_id=7,
        values={"channel": "email", "followup_on": "2026-12-02"},
    )
    second = await append_audit(
        session,
        at=NOW + timedelta(minutes=1),
        actor_user="U_BOB",
        actor_team="T1",
        action="reply_declined",
        entity="replies",
        entity_id="3",
        values=None,
    )
    await session.commit()
    rows = await audit_rows(session)
    assert [(r.id, r.actor_user, r.entity_id) for r in rows] == [
        (first, "U_ALICE", "7"),
        (second, "U_BOB", "3"),
    ]
    assert rows[0].values == {"channel": "email", "followup_on": "2026-12-02"}
    assert rows[0].at == NOW and rows[1].values is None
    assert [r.id for r in await audit_rows(session, entity="outreach", entity_id=7)] == [first]
    assert await audit_rows(session, entity="outreach", entity_id=8) == []


async def test_the_latest_snooze_decides(session: AsyncSession) -> None:
    day = timedelta(days=1)
    session.add_all(
        [
            Snooze(symbol="PEPE", until=NOW + 7 * day, logged_by="U1", logged_at=NOW),
            # Ended early on day 2: a new row, the first one is kept.
            Snooze(symbol="PEPE", until=NOW + 2 * day, logged_by="U2", logged_at=NOW + 2 * day),
            Snooze(symbol="WIF", until=NOW + 3 * day, logged_by="U1", logged_at=NOW + day),
        ]
    )
    await session.commit()
    assert await snoozed_symbols(session, NOW - day) == set()
    assert await snoozed_symbols(session, NOW) == {"PEPE"}
    assert await snoozed_symbols(session, NOW + day) == {"PEPE", "WIF"}
    assert await snoozed_symbols(session, NOW + 2 * day) == {"WIF"}
    assert await snoozed_symbols(session, NOW + 3 * day) == set()
    assert await is_snoozed(session, "PEPE", NOW + day)
    assert not await is_snoozed(session, "PEPE", NOW + 2 * day)
    assert await is_snoozed(session, "WIF", NOW + 2 * day)
    assert not await is_snoozed(session, "DOGE", NOW)
