"""Follow-ups of the cases waiting for an answer: which step is due, to whom, and each step
recorded once as an event of its case."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

from bot.db import repo_audit
from bot.usecases.outreach import (
    log_outreach,
    log_reply_declined,
    log_reply_has_mm,
    outreach_state,
    snooze,
)
from bot.usecases.outreach.followups import due_steps, followups, record_step
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock


async def _cases(services: Services, clock: Clock) -> None:
    """Contacted on Nov 25 12:00 UTC; FOLLOWUP_DAYS = 7: ZORB by Alice (due Dec 2), QUUX by Bob
    with its own follow-up date Nov 27, FLIM by Alice (contribution declined an hour later, the
    market-maker question still open), PLONK by Alice then again by Bob an hour later (Alice
    owns it), SNARF by Alice (snoozed for 30 days), GLOB by Alice (both questions answered)."""
    for symbol, actor, followup in (
        ("ZORB", ALICE, None),
        ("QUUX", BOB, "2026-11-27"),
        ("FLIM", ALICE, None),
        ("PLONK", ALICE, None),
        ("SNARF", ALICE, None),
        ("GLOB", ALICE, None),
    ):
        await log_outreach(services, actor, symbol, "email", None, None, followup, symbol)
    await snooze(services, BOB, "SNARF", 30, "s-snarf")
    await log_reply_has_mm(services, BOB, "GLOB", "GSR", None, None, None, None, "m-glob")
    await log_reply_declined(services, BOB, "GLOB", "no", "d-glob", ["contribution"])
    clock.advance(hours=1)
    await log_reply_declined(services, BOB, "FLIM", "not interested", "r-flim")
    await log_outreach(services, BOB, "PLONK", "call", None, None, None, "PLONK-2")


def _due(found: list) -> list[tuple[str, str | None, str]]:  # type: ignore[type-arg]
    return [(d.followup.symbol, d.followup.case.owner, d.step) for d in found]


async def test_each_case_is_due_on_its_date_or_followup_days_after_its_last_answer(
    services: Services, clock: Clock
) -> None:
    await _cases(services, clock)
    assert _due(await due_steps(services, NOW + timedelta(days=2))) == [("QUUX", "U_BOB", "remind")]
    later = await due_steps(services, NOW + timedelta(days=7, hours=1))
    assert _due(later) == [
        ("QUUX", "U_BOB", "remind"),
        ("FLIM", "U_ALICE", "remind"),  # the decline answered one question, not both
        ("PLONK", "U_ALICE", "remind"),  # the owner, not whoever logged last
        ("ZORB", "U_ALICE", "remind"),
    ]
    flim = next(d.followup for d in later if d.followup.symbol == "FLIM")
    assert flim.awaiting == ("an answer on the market maker",)
    assert flim.due_on == date(2026, 12, 2)
    waiting = {f.symbol for f in await followups(services, NOW + timedelta(days=8))}
    assert "GLOB" not in waiting and "SNARF" in waiting  # snoozed: waiting, not due


async def test_days_are_counted_in_the_teams_zone(make_services: Callable[..., Services]) -> None:
    # Nov 25 12:00 UTC is 21:00 in Tokyo: due Dec 2 there, i.e. from Dec 1 15:00 UTC.
    services = make_services(timezone="Asia/Tokyo", followup_days=7)
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o")
    assert await due_steps(services, NOW + timedelta(days=6, hours=2)) == []
    [due] = await due_steps(services, NOW + timedelta(days=6, hours=3))
    assert due.followup.due_on == date(2026, 12, 2)


async def test_a_step_is_recorded_once_as_an_event_of_its_case(
    make_services: Callable[..., Services], clock: Clock
) -> None:
    services = make_services(followup_escalate_days=3)
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o")
    clock.advance(days=7)
    [remind] = await due_steps(services, clock())
    replicas = [make_services() for _ in range(3)]
    results = await asyncio.gather(*(record_step(r, remind, clock(), "D_ALICE") for r in replicas))
    assert sorted(r.duplicate for r in results) == [False, True, True]
    assert await due_steps(services, clock()) == []
    clock.advance(days=3)
    [escalate] = await due_steps(services, clock())
    assert escalate.step == "escalate" and escalate.followup.escalate_on == date(2026, 12, 5)
    await record_step(services, escalate, clock(), "C0DIGEST")
    state = (await outreach_state(services, ["ZORB"]))["ZORB"]
    assert state.label == "no response · escalated 2026-12-05"
    async with services.session() as session:
        audit = await repo_audit.audit_rows(session)
    assert [(a.action, a.actor_user) for a in audit] == [
        ("log_outreach", "U_ALICE"),
        ("case_reminded", "system"),
        ("case_escalated", "system"),
    ]
