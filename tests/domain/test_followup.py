"""Follow-ups: the owner is reminded FOLLOWUP_DAYS team's days after the last contact or answer
(or on the contact's own date), the case escalated FOLLOWUP_ESCALATE_DAYS after the reminder;
an answer to one question restarts the wait for the other; a snooze holds both."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.followup import FollowUpRules, followup_of
from bot.domain.outreach import derive_case
from bot.domain.timeline import CaseEvent

RULES = FollowUpRules(followup_days=7, escalate_days=3, timezone="UTC")
CONTACTED = datetime(2026, 12, 1, 10, tzinfo=UTC)


def event(id: int, kind: str, at: datetime, **details: object) -> CaseEvent:
    actor = "system" if kind in ("reminded", "escalated") else "U0ALICE"
    return CaseEvent(id, "PEPE", kind, at, actor, "alice", details)


def followup(events: list[CaseEvent], now: datetime, rules: FollowUpRules = RULES):  # type: ignore[no-untyped-def]
    return followup_of(derive_case("PEPE", events, now), rules)


def test_the_reminder_is_due_followup_days_after_the_contact_counted_in_team_days() -> None:
    contact = [event(1, "contact", CONTACTED, channel="email")]
    found = followup(contact, datetime(2026, 12, 4, 9, tzinfo=UTC))
    assert found is not None and found.due_on == date(2026, 12, 8)
    assert found.days_waiting(datetime(2026, 12, 4, 9, tzinfo=UTC)) == 3  # not 2
    assert found.next_step(datetime(2026, 12, 7, 23, 59, tzinfo=UTC)) is None
    assert found.next_step(datetime(2026, 12, 8, 0, 0, tzinfo=UTC)) == "remind"
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already Dec 1 in Berlin
    berlin = FollowUpRules(7, 3, "Europe/Berlin")
    in_berlin = followup([event(1, "contact", late)], late, berlin)
    assert in_berlin is not None and in_berlin.due_on == date(2026, 12, 8)


def test_a_contacts_own_follow_up_date_wins() -> None:
    contact = [event(1, "contact", CONTACTED, channel="email", followup_on="2026-12-03")]
    found = followup(contact, CONTACTED)
    assert found is not None and found.due_on == date(2026, 12, 3)


def test_an_answer_to_one_question_restarts_the_wait_for_the_other() -> None:
    # The issue: a "has MM" reply stopped all follow-up with the contribution still open.
    events = [
        event(1, "contact", CONTACTED, channel="email"),
        event(2, "has_mm", CONTACTED + timedelta(days=2), mm_name="GSR"),
    ]
    found = followup(events, CONTACTED + timedelta(days=3))
    assert found is not None
    assert (found.anchor.id, found.awaiting, found.due_on) == (
        2,
        ("an answer on the contribution",),
        date(2026, 12, 10),
    )
    events.append(event(3, "declined", CONTACTED + timedelta(days=4), questions=["contribution"]))
    assert followup(events, CONTACTED + timedelta(days=30)) is None  # nothing awaited


def test_reminded_once_then_escalated_after_escalate_days() -> None:
    events = [event(1, "contact", CONTACTED, channel="email")]
    reminded_at = datetime(2026, 12, 8, 9, tzinfo=UTC)
    events.append(event(2, "reminded", reminded_at, anchor=1))
    found = followup(events, reminded_at)
    assert found is not None and found.reminded is not None
    assert found.escalate_on == date(2026, 12, 11)
    assert found.next_step(datetime(2026, 12, 10, 23, tzinfo=UTC)) is None
    assert found.next_step(datetime(2026, 12, 11, 0, tzinfo=UTC)) == "escalate"
    events.append(event(3, "escalated", datetime(2026, 12, 11, 9, tzinfo=UTC), anchor=1))
    case = derive_case("PEPE", events, datetime(2026, 12, 12, tzinfo=UTC))
    escalated = followup_of(case, RULES)
    assert case.stage == "no_response" and escalated is not None
    assert escalated.next_step(datetime(2026, 12, 20, tzinfo=UTC)) is None


def test_a_snooze_holds_the_follow_up_and_a_closed_case_has_none() -> None:
    until = CONTACTED + timedelta(days=10)
    events = [
        event(1, "contact", CONTACTED, channel="email"),
        event(2, "snooze", CONTACTED, days=10, until=until.isoformat()),
    ]
    found = followup(events, CONTACTED + timedelta(days=8))
    assert found is not None and found.next_step(CONTACTED + timedelta(days=8)) is None
    assert found.next_step(until + timedelta(minutes=1)) == "remind"
    events.append(event(3, "close", CONTACTED + timedelta(days=1), reason="dropped"))
    assert followup(events, CONTACTED + timedelta(days=8)) is None
