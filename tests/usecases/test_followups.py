"""Follow-ups: outreach waiting for an answer, when it is due, and the one-winner claim."""

from __future__ import annotations

from datetime import date, timedelta

from bot.db import repo_audit
from bot.usecases.outreach import (
    due_followups,
    followups_of,
    log_outreach,
    log_reply_declined,
    mark_reminded,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock


async def _outreach(services: Services, clock: Clock) -> dict[str, int]:
    """Logged on Nov 25 12:00 UTC unless said otherwise; FOLLOWUP_DAYS = 7:
    ZORB by Alice (due Dec 2), QUUX by Bob with a follow-up date Nov 27, FLIM by Alice (answered),
    PLONK by Alice then again by Bob an hour later (Bob's is the live one), SNARF by Alice
    (snoozed for 30 days)."""
    ids = {}
    for symbol, actor, followup in (
        ("ZORB", ALICE, None),
        ("QUUX", BOB, "2026-11-27"),
        ("FLIM", ALICE, None),
        ("PLONK", ALICE, None),
        ("SNARF", ALICE, None),
    ):
        result = await log_outreach(services, actor, symbol, "email", None, None, followup, symbol)
        ids[symbol] = result.record_id
    await log_reply_declined(services, BOB, "FLIM", "not interested", "r-flim")
    await snooze(services, BOB, "SNARF", 30, "s-snarf")
    clock.advance(hours=1)
    ids["PLONK-2"] = (
        await log_outreach(services, BOB, "PLONK", "call", None, None, None, "PLONK-2")
    ).record_id
    return ids


def _due(followups: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.symbol, f.logged_by) for f in followups]


async def test_outreach_is_due_on_its_date_or_after_followup_days(
    services: Services, clock: Clock
) -> None:
    ids = await _outreach(services, clock)

    assert _due(await due_followups(services, NOW + timedelta(days=2), 7)) == [("QUUX", "U_BOB")]
    due = await due_followups(services, NOW + timedelta(days=7, hours=1), 7)
    assert _due(due) == [("ZORB", "U_ALICE"), ("QUUX", "U_BOB"), ("PLONK", "U_BOB")]
    zorb = due[0]
    assert (zorb.outreach_id, zorb.due_on, zorb.followup_on) == (
        ids["ZORB"],
        date(2026, 12, 2),
        None,
    )
    assert zorb.days_waiting == 7 and zorb.reminded_at is None
    assert due[1].due_on == date(2026, 11, 27)
    # Due dates are whole days: Bob's PLONK, logged an hour after the others, is due the
    # same day (Nov 28 with FOLLOWUP_DAYS = 3), and not a day before.
    assert _due(await due_followups(services, NOW + timedelta(days=3), 3)) == [
        ("ZORB", "U_ALICE"),
        ("QUUX", "U_BOB"),
        ("PLONK", "U_BOB"),
    ]
    assert _due(await due_followups(services, NOW + timedelta(days=2, hours=11), 3)) == [
        ("QUUX", "U_BOB")
    ]


async def test_mark_reminded_has_one_winner_and_drops_the_reminder(
    services: Services, clock: Clock
) -> None:
    ids = await _outreach(services, clock)
    later = NOW + timedelta(days=8)

    assert await mark_reminded(services, ids["ZORB"], later) is True
    assert await mark_reminded(services, ids["ZORB"], later) is False
    assert await mark_reminded(services, 999, later) is False

    assert _due(await due_followups(services, later, 7)) == [("QUUX", "U_BOB"), ("PLONK", "U_BOB")]
    # The viewer's own list keeps a reminded outreach until it is answered.
    mine = await followups_of(services, "U_ALICE", later)
    assert _due(mine) == [("ZORB", "U_ALICE")] and mine[0].reminded_at == later
    async with services.session() as session:
        audit = await repo_audit.audit_rows(session, entity="outreach", entity_id=ids["ZORB"])
    assert [(a.action, a.actor_user) for a in audit] == [
        ("log_outreach", "U_ALICE"),
        ("mark_reminded", "system"),
    ]


async def test_a_reply_or_the_end_of_a_snooze_changes_what_is_due(
    services: Services, clock: Clock
) -> None:
    await _outreach(services, clock)
    await log_reply_declined(services, ALICE, "ZORB", "no", "r-zorb")
    assert ("ZORB", "U_ALICE") not in _due(
        await due_followups(services, NOW + timedelta(days=8), 7)
    )
    # SNARF's snooze ends on Dec 25: from then on its outreach is due again.
    after_snooze = NOW + timedelta(days=31)
    assert ("SNARF", "U_ALICE") in _due(await due_followups(services, after_snooze, 7))
