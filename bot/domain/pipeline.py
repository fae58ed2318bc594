"""The outreach pipeline over a span of time (SPEC 7 weekly report): cases opened and moved, the
funnel by stage, and how many contacted projects answered.

A case is a token with a case timeline; its stage at a moment comes from the events written by
then (``bot.domain.case_record.case_stage``). Over [start, end):
- opened: first contacted in the span (its stage at ``end`` is where it got to);
- moved: contacted before the span, at another stage at ``end`` than at ``start``;
- funnel: how many cases are at each stage at ``end`` (``not contacted`` is no case);
- response rate: of the projects contacted before ``end``, those that answered one of the case's
  questions (``ANSWER_KINDS``: market maker, contribution) after their first contact and before
  ``end``; a retracted answer does not count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.case_record import case_stage, first_contact, standing_entries
from bot.domain.timeline import CaseEvent
from bot.domain.vocabulary import ANSWER_KINDS, CASE_STAGES, CaseStage

Records = Mapping[str, Sequence[CaseEvent]]
"""Per token: its case's timeline, oldest first."""


@dataclass(frozen=True)
class StageMove:
    """A case that was at stage ``before`` at the start of the span and ``after`` at its end."""

    symbol: str
    before: CaseStage
    after: CaseStage


@dataclass(frozen=True)
class Responses:
    """Projects contacted before the end of the span, those of them that answered by then, and
    the answers logged during the span. ``rate`` = answered / contacted (None: none contacted)."""

    contacted: int
    answered: int
    answers_in_span: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.contacted if self.contacted else None


def stage_moves(
    records: Records, start: datetime, end: datetime
) -> tuple[tuple[StageMove, ...], tuple[StageMove, ...]]:
    """(opened, moved) in [start, end), each by symbol."""
    opened, moved = [], []
    for symbol in sorted(records):
        events = records[symbol]
        first = first_contact(events)
        if first is None or first >= end:
            continue
        move = StageMove(
            symbol,
            case_stage(symbol, events, _just_before(start)),
            case_stage(symbol, events, _just_before(end)),
        )
        if first >= start:
            opened.append(move)
        elif move.before != move.after:
            moved.append(move)
    return tuple(opened), tuple(moved)


def _just_before(moment: datetime) -> datetime:
    """The span is [start, end): a record logged at ``end`` belongs to the next one."""
    return moment - timedelta(microseconds=1)


def funnel(records: Records, end: datetime) -> tuple[tuple[CaseStage, int], ...]:
    """Cases per stage at ``end``, every stage but ``not contacted`` listed (zeros included), in
    the pipeline's order."""
    stages = [case_stage(s, events, _just_before(end)) for s, events in records.items()]
    return tuple((stage, stages.count(stage)) for stage in CASE_STAGES[1:])


def responses(records: Records, start: datetime, end: datetime) -> Responses:
    """How many contacted projects answered by ``end``; answers logged in [start, end)."""
    contacted = answered = in_span = 0
    for events in records.values():
        written = [e for e in events if e.at < end]
        first = first_contact(written)
        answers = [e.event.at for e in standing_entries(written) if e.kind in ANSWER_KINDS]
        in_span += sum(1 for at in answers if at >= start)
        if first is None:
            continue
        contacted += 1
        answered += any(at >= first for at in answers)
    return Responses(contacted, answered, in_span)
