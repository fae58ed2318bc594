"""The pipeline over a span: opened, moved, funnel and response rate, with the span's edges."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.pipeline import StageMove, funnel, responses, stage_moves
from bot.domain.timeline import CaseEvent

START, END = datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)


def _contact(symbol: str, at: datetime) -> CaseEvent:
    return CaseEvent(1, symbol, "contact", at, "U_A", None, {"channel": "email"})


def _answer(symbol: str, at: datetime, kind: str = "declined") -> CaseEvent:
    details = {"questions": ["contribution"]} if kind == "declined" else {"days": 7}
    return CaseEvent(2, symbol, kind, at, "U_B", None, details)


def test_an_event_at_the_end_belongs_to_the_next_span() -> None:
    records = {
        "EDGE": [_contact("EDGE", START), _answer("EDGE", END)],  # opened; answer is next
        "NEXT": [_contact("NEXT", END)],  # contacted at the very end: next span
        "SNOOZ": [_contact("SNOOZ", datetime(2026, 11, 1, tzinfo=UTC)),
                  _answer("SNOOZ", datetime(2026, 11, 20, tzinfo=UTC), "snooze")],
    }  # fmt: skip
    opened, moved = stage_moves(records, START, END)
    assert opened == (StageMove("EDGE", "not contacted", "contacted"),)
    assert moved == ()  # a snooze is not a move
    assert dict(funnel(records, END))["contacted"] == 2
    r = responses(records, START, END)
    assert (r.contacted, r.answered, r.answers_in_span, r.rate) == (2, 0, 0, 0.0)
    assert responses({}, START, END).rate is None
