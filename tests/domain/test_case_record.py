"""What a case's timeline says for the history chart, the review and the report: dated events,
stage, contribution answer, first contact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.domain.case_record import case_events, case_stage, contribution_answer, first_contact
from bot.domain.timeline import CaseEvent

FIGURES = {"tokens": 30e6, "price_usd": 0.02, "depth_2pct_usd": 40_000.0}


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


class Timeline:
    """Events of one case (ZORB), ids from 1."""

    def __init__(self) -> None:
        self.events: list[CaseEvent] = []

    def add(self, kind: str, at: datetime, refers_to: int | None = None, **details: Any) -> int:
        by = "U_A" if kind == "contact" else "U_B"
        event_id = len(self.events) + 1
        self.events.append(CaseEvent(event_id, "ZORB", kind, at, by, None, details, refers_to))
        return event_id


def test_events_are_dated_in_the_teams_zone_and_ordered() -> None:
    t = Timeline()
    t.add("contact", _at(3, hour=23), channel="email")  # 00:00 on the 4th in Berlin
    t.add("has_mm", _at(8), mm_name="Wintermute", since="2026-11-10", until="2026-11-30")
    t.add("pledged", _at(12), pct_of_supply=3.0, **FIGURES)
    t.add("declined", _at(20), reason="no budget", questions=["contribution"])
    t.add("snooze", _at(21), days=7, until=_at(28).isoformat())
    t.add("declined", _at(25), reason="none", questions=["market_maker"])
    events = case_events(t.events, "Europe/Berlin")
    assert [(e.day.day, e.kind, e.label) for e in events] == [
        (4, "contact", "contact (email)"),
        (10, "engagement_start", "engagement start: Wintermute"),
        (12, "pledge", "pledge 3%, $600k"),
        (20, "declined", "declined"),
        (25, "no_mm", "no market maker"),
        (30, "engagement_end", "engagement end: Wintermute"),
    ]
    assert events[0].by == "U_A" and events[-1].at is None  # a contract date, not an event


def test_an_engagement_without_dates_starts_the_day_it_was_logged_and_retracted_ones_go() -> None:
    t = Timeline()
    t.add("has_mm", _at(8), mm_name=None)
    gone = t.add("contact", _at(9), channel="call")
    t.add("retract", _at(10), refers_to=gone, reason="wrong token")
    [event] = case_events(t.events, "UTC")
    assert (event.day, event.label) == (date(2026, 11, 8), "engagement start: market maker")
    assert first_contact(t.events) is None


def test_the_stage_follows_the_events_written_by_then() -> None:
    t = Timeline()
    t.add("contact", _at(3), channel="email")
    t.add("pledged", _at(5), pct_of_supply=2.0, **FIGURES)
    t.add("declined", _at(10), reason="x", questions=["contribution"])
    t.add("snooze", _at(12), days=30, until=_at(30).isoformat())
    assert case_stage("ZORB", t.events, _at(1)) == "not contacted"
    assert case_stage("ZORB", t.events, _at(4)) == "contacted"
    assert case_stage("ZORB", t.events, _at(6)) == "in talks"
    assert case_stage("ZORB", t.events, _at(13)) == "declined"  # a snooze is no stage


def test_the_contribution_answer_is_where_the_question_stands() -> None:
    t = Timeline()
    t.add("contact", _at(4), channel="email")
    declined = t.add("declined", _at(5), reason="no", questions=["contribution"])
    pledged = t.add("pledged", _at(6), pct_of_supply=2.0, **FIGURES)
    t.add("has_mm", _at(7), mm_name="GSR")
    answer = contribution_answer("ZORB", t.events, _at(8))
    assert answer is not None and (answer[0], answer[1].id) == ("pledged", pledged)
    earlier = contribution_answer("ZORB", t.events, _at(5, 13))
    assert earlier is not None and (earlier[0], earlier[1].id) == ("declined", declined)
    assert contribution_answer("ZORB", t.events, _at(4, 13)) is None
    assert first_contact(t.events) == _at(4)
    assert first_contact([]) is None
