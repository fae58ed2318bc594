"""What today's outreach records say about a token's case, in the words of SPEC 6: its dated
events, its stage and the answer to the contribution question.

The history chart, the review and the weekly report read a case only through these functions,
so the case model (a case per token with owner, stages and the pledge lifecycle) can feed them
from its own timeline later without those readers changing. From today's records:

- events: contact (each outreach), engagement start / end (the market maker's contract dates,
  else the day it was logged), "no market maker" on record, pledge (will contribute), declined.
  No delivery events yet: received contributions are not recorded today.
- stage: ``not contacted``, ``contacted`` (outreach, no answer since), ``in talks`` (has a market
  maker or will contribute), ``declined``; a snooze does not change the stage. ``agreed``,
  ``delivered``, ``no response`` and ``closed`` need records that do not exist yet, so no case
  is in them today.
- contribution answer: the latest "will contribute" (``pledged``) or "declined" reply. Today's
  "Reply: declined" does not say which question was declined; it counts as the contribution
  declined (the question liqbot's outreach asks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.domain.calendar import team_day
from bot.domain.outreach import (
    EngagementRecord,
    OutreachRecord,
    PledgeRecord,
    ReplyRecord,
    StateKind,
    case_state,
)
from bot.domain.units import fmt_usd
from bot.domain.vocabulary import CaseStage

EventKind = Literal[
    "contact", "engagement_start", "engagement_end", "no_mm", "pledge", "delivery", "declined"
]
ContributionAnswer = Literal["pledged", "declined"]

_STAGE_OF_STATE: dict[StateKind, CaseStage] = {
    "not_contacted": "not contacted",
    "contacted": "contacted",
    "has_mm": "in talks",
    "will_contribute": "in talks",
    "declined": "declined",
    "snoozed": "contacted",  # not produced without snoozes; listed for completeness
}


@dataclass(frozen=True, order=True)
class CaseEvent:
    """One dated event of a case: the team's ``day`` it happened on, its ``kind``, a short
    ``label`` ("engagement start: Wintermute") and, for a logged record, when and by whom."""

    day: date
    kind: EventKind
    label: str
    at: datetime | None = None
    by: str | None = None


def _engagement_events(record: EngagementRecord, timezone: str) -> list[CaseEvent]:
    logged = team_day(record.logged_at, timezone)
    if record.status == "none":
        return [CaseEvent(logged, "no_mm", "no market maker", record.logged_at, record.logged_by)]
    name = record.mm_name or "market maker"
    events = [
        CaseEvent(
            record.since or logged,
            "engagement_start",
            f"engagement start: {name}",
            record.logged_at,
            record.logged_by,
        )
    ]
    if record.until is not None:
        events.append(CaseEvent(record.until, "engagement_end", f"engagement end: {name}"))
    return events


def _pledge_label(pledge: PledgeRecord) -> str:
    usd = f", {fmt_usd(pledge.usd_value)}" if pledge.usd_value is not None else ""
    return f"pledge {pledge.pct_of_supply:g}%{usd}"


def case_events(
    outreach: Sequence[OutreachRecord],
    replies: Sequence[ReplyRecord],
    engagements: Sequence[EngagementRecord],
    pledges: Sequence[PledgeRecord],
    timezone: str,
) -> tuple[CaseEvent, ...]:
    """Every dated event of one token's case, oldest first (see the module docstring)."""
    events = [
        CaseEvent(
            team_day(o.logged_at, timezone),
            "contact",
            f"contact ({o.channel})",
            o.logged_at,
            o.logged_by,
        )
        for o in outreach
    ]
    for record in engagements:
        events += _engagement_events(record, timezone)
    events += [
        CaseEvent(team_day(p.pledged_at, timezone), "pledge", _pledge_label(p), p.pledged_at)
        for p in pledges
    ]
    events += [
        CaseEvent(team_day(r.logged_at, timezone), "declined", "declined", r.logged_at, r.logged_by)
        for r in replies
        if r.kind == "declined"
    ]
    # Same day: logged records in the order they were logged, contract end dates last.
    return tuple(sorted(events, key=lambda e: (e.day, e.at.timestamp() if e.at else math.inf)))


def case_stage(
    symbol: str,
    outreach: Sequence[OutreachRecord],
    replies: Sequence[ReplyRecord],
    moment: datetime,
) -> CaseStage:
    """The stage of ``symbol``'s case at ``moment``, from the records logged by then."""
    state = case_state(
        symbol,
        [o for o in outreach if o.logged_at <= moment],
        [r for r in replies if r.logged_at <= moment],
        [],
        moment,
    )
    return _STAGE_OF_STATE[state.state]


def contribution_answer(
    replies: Sequence[ReplyRecord],
) -> tuple[ContributionAnswer, ReplyRecord] | None:
    """The latest answer to the contribution question among ``replies`` (oldest first):
    (``pledged`` or ``declined``, the reply), or None when there is none."""
    for reply in reversed(replies):
        if reply.kind == "will_contribute":
            return "pledged", reply
        if reply.kind == "declined":
            return "declined", reply
    return None


def first_contact(outreach: Sequence[OutreachRecord]) -> datetime | None:
    """When the team first contacted the project (None: never)."""
    return min((o.logged_at for o in outreach), default=None)
