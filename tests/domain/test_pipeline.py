"""The pipeline over a span: opened, moved, funnel and response rate, with the span's edges."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.outreach import OutreachRecord, ReplyRecord
from bot.domain.pipeline import StageMove, funnel, responses, stage_moves

START, END = datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)


def _outreach(symbol: str, at: datetime) -> OutreachRecord:
    return OutreachRecord(1, symbol, "email", None, None, None, "U_A", at, None)


def _answer(symbol: str, at: datetime, kind: str = "declined") -> ReplyRecord:
    return ReplyRecord(1, symbol, None, kind, {}, "U_B", at)


def test_a_record_at_the_end_belongs_to_the_next_span() -> None:
    records = {
        "EDGE": ([_outreach("EDGE", START)], [_answer("EDGE", END)]),  # opened; answer is next
        "NEXT": ([_outreach("NEXT", END)], []),  # contacted at the very end: next span
        "SNOOZ": ([_outreach("SNOOZ", datetime(2026, 11, 1, tzinfo=UTC))],
                  [_answer("SNOOZ", datetime(2026, 11, 20, tzinfo=UTC), "snooze")]),
    }  # fmt: skip
    opened, moved = stage_moves(records, START, END)
    assert opened == (StageMove("EDGE", "not contacted", "contacted"),)
    assert moved == ()  # a snooze is not a move
    assert dict(funnel(records, END))["contacted"] == 2
    r = responses(records, START, END)
    assert (r.contacted, r.answered, r.answers_in_span, r.rate) == (2, 0, 0, 0.0)
    assert responses({}, START, END).rate is None
