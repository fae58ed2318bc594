"""The outreach case rules: the case derived from its timeline (both questions kept, stage,
owner, corrections and retractions), the confirmations and the snooze (the market maker on
record: test_engagements.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.domain.outreach import (
    awaited,
    case_line,
    derive_case,
    needs_confirmation,
    running_snooze,
)
from bot.domain.timeline import CaseEvent, resolve

T0 = datetime(2026, 12, 1, 10, tzinfo=UTC)
DAY = timedelta(days=1)
FIGURES = {"price_usd": 0.02, "depth_2pct_usd": 700.0, "figures_at": T0.isoformat()}


class Timeline:
    """Events of one case, an hour apart unless given a moment; ids from 1."""

    def __init__(self) -> None:
        self.events: list[CaseEvent] = []

    def add(
        self,
        kind: str,
        by: str = "U0ALICE",
        at: datetime | None = None,
        refers_to: int | None = None,
        **details: Any,
    ) -> CaseEvent:
        moment = at or T0 + timedelta(hours=len(self.events))
        name = by.removeprefix("U0").lower()
        event = CaseEvent(len(self.events) + 1, "PEPE", kind, moment, by, name, details, refers_to)
        self.events.append(event)
        return event

    def case(self, now: datetime | None = None) -> Any:
        return derive_case("PEPE", self.events, now or T0 + 30 * DAY)


def contacted() -> Timeline:
    timeline = Timeline()
    timeline.add("contact", channel="telegram", contact="@pepe")
    return timeline


def test_nothing_logged_is_not_contacted_and_a_contact_asks_both_questions() -> None:
    assert Timeline().case().stage == "not_contacted"
    case = contacted().case()
    assert (case.stage, case.owner, case.owner_name) == ("contacted", "U0ALICE", "alice")
    assert awaited(case) == ("an answer on the market maker", "an answer on the contribution")


def test_a_reply_to_one_question_keeps_the_other_open_and_every_answer_is_kept() -> None:
    # The issue: "has MM, then will contribute" counted has MM 0 / will contribute 1.
    timeline = contacted()
    timeline.add("has_mm", mm_name="Wintermute", since="2026-11-01")
    case = timeline.case()
    assert case.stage == "in_talks" and awaited(case) == ("an answer on the contribution",)
    timeline.add("pledged", pct_of_supply=3, tokens=30e6, **FIGURES)
    case = timeline.case()
    assert case.market_maker.state == "has_mm"
    assert [e.mm_name for e in case.market_maker.engagements] == ["Wintermute"]
    assert (case.contribution.state, case.contribution.pledged_pct) == ("pledged", 3)
    assert awaited(case) == ("the agreement on the 3% pledged",)  # the project's move


def test_a_later_decline_keeps_the_pledge_on_record() -> None:
    # The issue: a later "declined" made the 3% pledge vanish.
    timeline = contacted()
    timeline.add("pledged", pct_of_supply=3, tokens=30e6, **FIGURES)
    timeline.add("declined", reason="changed their mind", questions=["contribution"])
    case = timeline.case()
    assert (case.stage, case.contribution.state) == ("declined", "declined")
    assert case.contribution.pledged_pct == 3 and case.contribution.pledged is not None
    assert case.market_maker.state == "asked"  # the decline was of the contribution only


def test_the_pledge_lifecycle_and_its_shortfall() -> None:
    timeline = contacted()
    timeline.add("pledged", pct_of_supply=3, tokens=3_000, **FIGURES)
    timeline.add("agreed", tokens=3_000, **FIGURES)
    assert timeline.case().stage == "agreed"
    assert awaited(timeline.case())[-1] == "the 3k tokens agreed"
    timeline.add("received", tokens=2_500, received_on="2026-12-05", lockup_until="2027-03-01")
    case = timeline.case()
    assert (case.stage, case.contribution.state) == ("delivered", "received")
    assert case.contribution.shortfall_tokens == 500
    assert awaited(case)[-1] == "the 500 tokens still short"
    assert case.contribution.lockup_until == date(2027, 3, 1)
    timeline.add("contribution_ended", ended_on="2027-03-02")
    case = timeline.case()
    assert (case.stage, case.contribution.ended_on) == ("delivered", date(2027, 3, 2))


def test_a_correction_replaces_the_values_and_a_retraction_withdraws_the_entry() -> None:
    timeline = contacted()
    pledge = timeline.add("pledged", pct_of_supply=3, tokens=3_000, **FIGURES)
    fix = timeline.add(
        "correct", refers_to=pledge.id, corrects="pledged", note="typo", pct_of_supply=2.5,
        tokens=2_500, **FIGURES,
    )  # fmt: skip
    entries = resolve(timeline.events)
    assert entries[1].corrected_by == fix and entries[1].values["pct_of_supply"] == 2.5
    assert "note" not in entries[1].values and "corrects" not in entries[1].values
    assert timeline.case().contribution.pledged_pct == 2.5
    timeline.add("retract", refers_to=fix.id, reason="the first figure was right")
    assert timeline.case().contribution.pledged_pct == 3  # the correction no longer counts
    timeline.add("retract", refers_to=pledge.id, reason="logged on the wrong token")
    case = timeline.case()
    assert case.contribution.state == "asked" and case.stage == "contacted"
    assert case.entries[1].retracted_by is not None and len(case.entries) == 5


def test_the_owner_is_the_first_to_contact_until_the_case_is_reassigned() -> None:
    timeline = Timeline()
    timeline.add("contact", by="U0ALICE", channel="email")
    timeline.add("contact", by="U0BOB", channel="call")
    assert timeline.case().owner == "U0ALICE"  # not whoever clicked last
    assign = timeline.add("assign", owner_id="U0CAROL", owner_name="carol")
    case = timeline.case()
    assert (case.owner, case.owner_name) == ("U0CAROL", "carol")
    timeline.add("retract", refers_to=assign.id, reason="wrong person")
    assert timeline.case().owner == "U0ALICE"


def test_an_escalation_without_reply_is_no_response_and_a_reply_ends_it() -> None:
    timeline = contacted()
    timeline.add("reminded", by="system", anchor=1)
    timeline.add("escalated", by="system", anchor=1)
    assert timeline.case().stage == "no_response"
    timeline.add("has_mm", mm_name="GSR")
    assert timeline.case().stage == "in_talks"


def test_a_closed_case_opens_again_with_anything_logged_later() -> None:
    timeline = contacted()
    timeline.add("close", reason="project abandoned")
    case = timeline.case()
    assert (case.stage, case.is_open) == ("closed", False)
    timeline.add("contact", channel="email")
    assert timeline.case().stage == "contacted"


def test_no_market_maker_clears_the_firms_and_end_engagement_ends_one() -> None:
    timeline = contacted()
    timeline.add("has_mm", mm_name="Wintermute")
    timeline.add("has_mm", mm_name="GSR")
    timeline.add("has_mm", mm_name="wintermute", until="2027-01-01")  # same firm: replaces
    timeline.add("end_engagement", mm_name="GSR", ended_on="2026-12-10")
    firms = timeline.case().market_maker.engagements
    assert [(e.mm_name, e.until, e.ended_on) for e in firms] == [
        ("wintermute", date(2027, 1, 1), None),
        ("GSR", None, date(2026, 12, 10)),
    ]
    assert not firms[1].running_on(date(2026, 12, 11)) and firms[1].running_on(date(2026, 12, 10))
    timeline.add("declined", reason="no budget", questions=["market_maker"])
    answer = timeline.case().market_maker
    assert (answer.state, answer.engagements, answer.none_reason) == ("none", (), "no budget")


def test_contradictions_and_unusual_pledges_ask_for_confirmation() -> None:
    timeline = contacted()
    timeline.add("has_mm", mm_name="Wintermute")
    case = timeline.case()
    no_mm = {"reason": "none", "questions": ["market_maker"]}
    assert "Wintermute is on record" in (needs_confirmation(case, "declined", no_mm) or "")
    assert needs_confirmation(case, "declined", {"questions": ["contribution"]}) is None
    assert "outside the usual 1–5%" in (
        needs_confirmation(case, "pledged", {"pct_of_supply": 50}) or ""
    )
    assert needs_confirmation(case, "pledged", {"pct_of_supply": 5}) is None
    timeline.add("agreed", tokens=1_000)
    decline = {"questions": ["contribution"]}
    assert "agreed already" in (needs_confirmation(timeline.case(), "declined", decline) or "")


def test_the_latest_snooze_logged_decides() -> None:
    timeline = contacted()
    long = timeline.add("snooze", at=T0, until=(T0 + 10 * DAY).isoformat())
    ended = timeline.add("snooze", at=T0 + DAY, until=(T0 + DAY).isoformat())
    assert running_snooze([long], T0 + 2 * DAY) == long
    assert running_snooze([long, ended], T0 + 2 * DAY) is None
    assert running_snooze([long, ended], T0 + DAY / 2) == long  # "ended" not logged yet
    assert timeline.case(T0 + DAY / 2).snoozed_until == T0 + 10 * DAY


@pytest.mark.parametrize(
    ("kind", "details", "line"),
    [
        ("contact", {"channel": "email"}, "contacted 3 days ago"),
        ("has_mm", {"mm_name": "GSR"}, "in talks · MM GSR"),
        ("pledged", {"pct_of_supply": 3, "tokens": 3e6}, "in talks · pledged 3%"),
        ("agreed", {"tokens": 3e6}, "agreed · 3M tokens agreed"),
        ("declined", {"reason": "no", "questions": ["contribution"]}, "declined"),
    ],
)
def test_the_case_in_one_line(kind: str, details: dict[str, Any], line: str) -> None:
    timeline = contacted()
    if kind != "contact":
        timeline.add(kind, **details)
    assert case_line(timeline.case(), T0 + 3 * DAY - timedelta(hours=2), "UTC") == line
