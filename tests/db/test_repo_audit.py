"""Audit log and case timeline (append and read only), and snoozes (the latest one decides)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repo_audit import append_audit, audit_rows
from bot.db.repo_cases import case_events, insert_event
from bot.db.repo_snooze import snoozed_symbols
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


async def _snooze(session: AsyncSession, n: int, symbol: str, at: datetime, until: datetime) -> int:
    event_id = await insert_event(
        session,
        idempotency_key=f"s{n}",
        symbol=symbol,
        kind="snooze",
        at=at,
        actor="U1",
        actor_name="one",
        details={"until": until.isoformat()},
    )
    assert event_id is not None
    return event_id


async def test_the_latest_snooze_decides_and_a_retracted_one_does_not_count(
    session: AsyncSession,
) -> None:
    day = timedelta(days=1)
    await _snooze(session, 1, "PEPE", NOW, NOW + 7 * day)
    # Ended early on day 2: a new event, the first one is kept.
    await _snooze(session, 2, "PEPE", NOW + 2 * day, NOW + 2 * day)
    wif = await _snooze(session, 3, "WIF", NOW + day, NOW + 3 * day)
    await session.commit()
    assert await snoozed_symbols(session, NOW - day) == set()
    assert await snoozed_symbols(session, NOW) == {"PEPE"}
    assert await snoozed_symbols(session, NOW + day) == {"PEPE", "WIF"}
    assert await snoozed_symbols(session, NOW + 2 * day) == {"WIF"}
    assert await snoozed_symbols(session, NOW + 3 * day) == set()
    await insert_event(
        session, idempotency_key="x", symbol="WIF", kind="retract", at=NOW + day, actor="U2",
        actor_name="two", details={"reason": "wrong token"}, refers_to=wif,
    )  # fmt: skip
    await session.commit()
    assert await snoozed_symbols(session, NOW + 2 * day) == set()


async def test_the_case_timeline_refuses_update_and_delete(session: AsyncSession) -> None:
    await _snooze(session, 1, "PEPE", NOW, NOW + timedelta(days=1))
    await session.commit()
    for statement in ("UPDATE case_events SET kind = 'close'", "DELETE FROM case_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text(statement))
        await session.rollback()
    assert [e.kind for e in await case_events(session)] == ["snooze"]
