"""What a token's outreach case says, in the words of SPEC 6, for the history chart, the review
and the weekly report: its dated events, its stage and the answer to the contribution question.

Those readers see a case only through these functions, which read the case's timeline (the
events ``bot.db.repo_cases`` hands out, oldest first) through the case model
(``bot.domain.outreach.derive_case``): corrections and retractions applied, a retracted event
shows nowhere.

- events: contact (each contact), engagement start / end (the market maker's contract dates,
  else the day it was logged; an "end engagement" on the day it ended), "no market maker" (a
  decline of that question), pledge, agreed, delivery (tokens received), declined (of the
  contribution).
- stage: the case's stage (``not contacted`` … ``closed``) as the case model derives it at a
  moment from the events written by then.
- contribution answer: where the contribution question stands when it is pledged, agreed,
  received (``delivered``) or declined, with the event that said so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from bot.domain.calendar import team_day
from bot.domain.outreach import STAGE_WORDS, derive_case
from bot.domain.timeline import CaseEvent as TimelineEvent
from bot.domain.timeline import Entry, day_of, declines, figures_of, number_of, resolve
from bot.domain.units import fmt_amount, fmt_usd
from bot.domain.vocabulary import CaseStage

EventKind = Literal[
    "contact",
    "engagement_start",
    "engagement_end",
    "no_mm",
    "pledge",
    "agreed",
    "delivery",
    "declined",
]
ContributionAnswer = Literal["pledged", "agreed", "delivered", "declined"]

_ANSWER_OF_STATE: dict[str, ContributionAnswer] = {
    "pledged": "pledged",
    "agreed": "agreed",
    "received": "delivered",
    "ended": "delivered",
    "declined": "declined",
}
_ANSWER_EVENT: dict[str, str] = {
    "pledged": "pledged",
    "agreed": "agreed",
    "received": "received",
    "ended": "received",
    "declined": "declined",
}


@dataclass(frozen=True, order=True)
class CaseEvent:
    """One dated event of a case: the team's ``day`` it happened on, its ``kind``, a short
    ``label`` ("engagement start: Wintermute") and, for a written event, when and by whom."""

    day: date
    kind: EventKind
    label: str
    at: datetime | None = None
    by: str | None = None


def _event(day: date, kind: EventKind, label: str, entry: Entry) -> CaseEvent:
    return CaseEvent(day, kind, label, entry.event.at, entry.event.by)


def _engagement_events(entry: Entry, logged: date) -> list[CaseEvent]:
    v = entry.values
    name = str(v.get("mm_name") or "") or "market maker"
    if entry.kind == "end_engagement":
        ended = day_of(v.get("ended_on")) or logged
        return [_event(ended, "engagement_end", f"engagement end: {name}", entry)]
    events = [
        _event(
            day_of(v.get("since")) or logged, "engagement_start", f"engagement start: {name}", entry
        )
    ]
    until = day_of(v.get("until"))
    if until is not None:
        events.append(CaseEvent(until, "engagement_end", f"engagement end: {name}"))
    return events


def _pledge_label(entry: Entry) -> str:
    pct = number_of(entry.values.get("pct_of_supply"))
    usd = figures_of(entry.values).usd
    worth = f", {fmt_usd(usd)}" if usd is not None else ""
    return f"pledge {pct:g}%{worth}" if pct is not None else f"pledge{worth}"


def _tokens_label(entry: Entry, words: str) -> str:
    tokens = number_of(entry.values.get("tokens"))
    return f"{words}: {fmt_amount(tokens)} tokens" if tokens is not None else words


def _entry_events(entry: Entry, timezone: str) -> list[CaseEvent]:
    logged = team_day(entry.event.at, timezone)
    v = entry.values
    if entry.kind == "contact":
        channel = v.get("channel")
        return [_event(logged, "contact", f"contact ({channel})" if channel else "contact", entry)]
    if entry.kind in ("has_mm", "end_engagement"):
        return _engagement_events(entry, logged)
    if entry.kind == "pledged":
        return [_event(logged, "pledge", _pledge_label(entry), entry)]
    if entry.kind == "agreed":
        return [_event(logged, "agreed", _tokens_label(entry, "agreed"), entry)]
    if entry.kind == "received":
        day = day_of(v.get("received_on")) or logged
        return [_event(day, "delivery", _tokens_label(entry, "delivery"), entry)]
    if entry.kind != "declined":
        return []
    found = []
    if declines(v, "market_maker"):
        found.append(_event(logged, "no_mm", "no market maker", entry))
    if declines(v, "contribution"):
        found.append(_event(logged, "declined", "declined", entry))
    return found


def standing_entries(events: Sequence[TimelineEvent]) -> list[Entry]:
    """The case's events as they stand (corrections applied), retracted ones and the
    corrections and retractions themselves left out."""
    return [
        e for e in resolve(events) if e.standing and e.kind not in ("correct", "retract")
    ]  # fmt: skip


def case_events(events: Sequence[TimelineEvent], timezone: str) -> tuple[CaseEvent, ...]:
    """Every dated event of one token's case (its timeline, oldest first), oldest first."""
    found = [c for entry in standing_entries(events) for c in _entry_events(entry, timezone)]
    # Same day: written events in the order they were written, contract end dates last.
    return tuple(sorted(found, key=lambda e: (e.day, e.at.timestamp() if e.at else math.inf)))


def case_stage(symbol: str, events: Sequence[TimelineEvent], moment: datetime) -> CaseStage:
    """The stage of ``symbol``'s case at ``moment``, from the events written by then."""
    return cast(CaseStage, STAGE_WORDS[derive_case(symbol, events, moment).stage])


def contribution_answer(
    symbol: str, events: Sequence[TimelineEvent], moment: datetime
) -> tuple[ContributionAnswer, TimelineEvent] | None:
    """Where the contribution question of ``symbol``'s case stands at ``moment`` when the
    project answered it (pledged, agreed, delivered, declined), with the latest standing event
    that said so; None when it has not answered."""
    case = derive_case(symbol, events, moment)
    answer = _ANSWER_OF_STATE.get(case.contribution.state)
    if answer is None:
        return None
    kind = _ANSWER_EVENT[case.contribution.state]
    said = [
        e.event
        for e in standing_entries([e for e in events if e.at <= moment])
        if e.kind == kind and (kind != "declined" or declines(e.values, "contribution"))
    ]
    return (answer, said[-1]) if said else None


def first_contact(events: Sequence[TimelineEvent]) -> datetime | None:
    """When the team first contacted the project (None: never), retracted contacts left out."""
    return min((e.event.at for e in standing_entries(events) if e.kind == "contact"), default=None)
