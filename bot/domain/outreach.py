"""The outreach case of a token: an append-only timeline of events, and the rules that derive
the case from it (SPEC 6; Netflix Dispatch's incident model: a case with a stage and an owner,
its state derived from its timeline, corrections being events too).

Nothing in the timeline is edited (SPEC 8). The events are what ``bot.db.repo_cases`` hands
out, oldest first (by time, then id); timestamps are aware UTC, ``actor`` a Slack user id (or
``system``, ``cli``) and ``actor_name`` the display name stored when the event was written.

Rules:

- *corrections and retractions*: a ``correct`` event replaces the values of the event it
  refers to (the latest standing correction wins); a ``retract`` event withdraws the event it
  refers to (a retracted correction no longer counts). Both stay in the timeline.
- *two questions*: every case asks whether the project has a market maker and whether it will
  contribute to the savings pools; each answer is kept, and one question's answer never closes
  the other. Market maker: engagements (a later "has MM" for the same firm replaces the
  earlier), ended by "end engagement", or "no market maker" (a decline of that question).
  Contribution: asked → pledged → agreed → received → ended, or declined; the latest answer
  decides its state, the earlier ones stay on record.
- *stage*: ``closed`` (closed by hand, nothing logged since), else ``not_contacted`` (nothing
  logged), else ``delivered`` / ``declined`` from the contribution, else ``no_response``
  (escalated since the last contact or answer), else ``agreed``, else ``in_talks`` (any
  answer), else ``contacted``.
- *awaited*: what the case waits for from the project (``awaited``): an answer to a question
  still open, the agreement on a pledge, the agreed tokens, the tokens still short.
- *owner*: the latest assignment, else whoever first contacted the project (or first logged an
  answer).
- *snooze*: the latest snooze logged at or before a moment decides; it runs while its ``until``
  is after that moment.
- *market maker on record* (the engagement rows the answers wrote): see
  ``bot.domain.engagements`` (supersession, end dates, "none").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.domain.answers import (
    ContributionAnswer,
    MarketMakerAnswer,
    contribution_answer,
    market_maker_answer,
)
from bot.domain.calendar import team_day, team_days_between
from bot.domain.timeline import CaseEvent, Entry, declines, moment_of, number_of, resolve
from bot.domain.units import fmt_amount
from bot.domain.vocabulary import ANSWER_KINDS, USUAL_PLEDGE_PCT


@dataclass(frozen=True)
class EngagementRecord:
    """A market maker on record (``status`` engaged) or a recorded "none"; contract dates and
    obligations (max spread in bps, min ±2% depth per side in USD, uptime as a share 0..1 of a
    day's snapshots) when known. ``supersedes_id``: the record this one corrects, when it names
    one (a later record for the same firm supersedes the earlier one anyway)."""

    id: int
    symbol: str
    status: str
    source: str
    mm_name: str | None
    since: date | None
    until: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None
    logged_by: str
    logged_at: datetime
    reply_id: int | None
    uptime: float | None = None
    supersedes_id: int | None = None


@dataclass(frozen=True)
class OutreachCase:
    """A token's case at a moment: its timeline (``entries``, oldest first), stage, owner (Slack
    user id and the display name stored with the event that made them owner), both answers,
    the last contact, the contact or answer it waits on since (``anchor``), the escalation of
    that wait, and the snooze running, if any."""

    symbol: str
    entries: tuple[Entry, ...]
    stage: str
    owner: str | None
    owner_name: str | None
    market_maker: MarketMakerAnswer
    contribution: ContributionAnswer
    last_contact: CaseEvent | None = None
    anchor: CaseEvent | None = None
    escalated: CaseEvent | None = None
    snoozed_until: datetime | None = None
    closed_at: datetime | None = None
    assigned: tuple[CaseEvent, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        """Contacted (or answered) and not closed by hand."""
        return self.stage not in ("not_contacted", "closed")

    @property
    def last_at(self) -> datetime | None:
        """When the latest event of the case was written."""
        return self.entries[-1].event.at if self.entries else None


def running_snooze(snoozes: Iterable[CaseEvent], now: datetime) -> CaseEvent | None:
    """The snooze of one token running at ``now``: the latest logged at or before ``now`` (by
    time, then id) when its ``until`` is after ``now``; else None."""
    logged = [s for s in snoozes if s.at <= now]
    latest = max(logged, key=lambda s: (s.at, s.id), default=None)
    until = moment_of(latest.details.get("until")) if latest is not None else None
    return latest if until is not None and until > now else None


def _owner(entries: Sequence[Entry]) -> tuple[str | None, str | None]:
    assignments = [e for e in entries if e.kind == "assign"]
    if assignments:
        v = assignments[-1].values
        return str(v.get("owner_id") or "") or None, v.get("owner_name")
    first = next((e for e in entries if e.kind == "contact"), None)
    first = first or next((e for e in entries if e.kind in ANSWER_KINDS), None)
    return (first.event.actor, first.event.actor_name) if first else (None, None)


def _stage(
    contribution: ContributionAnswer, answered: bool, talked: bool, closed: bool, escalated: bool
) -> str:
    if closed:
        return "closed"
    if not talked:
        return "not_contacted"
    if contribution.state in ("received", "ended"):
        return "delivered"
    if contribution.state == "declined":
        return "declined"
    if escalated:
        return "no_response"
    if contribution.state == "agreed":
        return "agreed"
    return "in_talks" if answered else "contacted"


def derive_case(symbol: str, events: Sequence[CaseEvent], now: datetime) -> OutreachCase:
    """``symbol``'s case at ``now`` from its events (oldest first); see the module docstring."""
    entries = resolve([e for e in events if e.at <= now])
    standing = [e for e in entries if e.standing and e.kind not in ("correct", "retract")]
    contacts = [e for e in standing if e.kind == "contact"]
    talks = [
        (i, e) for i, e in enumerate(standing) if e.kind == "contact" or e.kind in ANSWER_KINDS
    ]
    anchor_at = talks[-1][0] if talks else -1
    closes = [i for i, e in enumerate(standing) if e.kind == "close"]
    closed = bool(closes) and closes[-1] > anchor_at
    anchor = talks[-1][1].event if talks else None
    escalations = [
        e.event for e in standing[anchor_at + 1 :]
        if e.kind == "escalated" and anchor is not None and e.values.get("anchor") == anchor.id
    ]  # fmt: skip
    contribution = contribution_answer(standing, bool(contacts))
    answered = any(e.kind in ANSWER_KINDS for e in standing)
    owner, owner_name = _owner(standing)
    snooze = running_snooze([e.event for e in standing if e.kind == "snooze"], now)
    return OutreachCase(
        symbol=symbol,
        entries=entries,
        stage=_stage(contribution, answered, bool(talks), closed, bool(escalations)),
        owner=owner,
        owner_name=owner_name,
        market_maker=market_maker_answer(standing, bool(contacts)),
        contribution=contribution,
        last_contact=contacts[-1].event if contacts else None,
        anchor=anchor,
        escalated=escalations[-1] if escalations else None,
        snoozed_until=moment_of(snooze.details.get("until")) if snooze else None,
        closed_at=standing[closes[-1]].event.at if closed else None,
        assigned=tuple(e.event for e in standing if e.kind == "assign"),
    )


def awaited(case: OutreachCase) -> tuple[str, ...]:
    """What the case waits for from the project, in the team's words: an answer to a question
    still open (a contact asks both), the agreement on a pledge, the agreed tokens, or the
    tokens still short of the agreed amount. Empty when the next move is not the project's."""
    waiting = []
    if case.market_maker.state == "asked":
        waiting.append("an answer on the market maker")
    c = case.contribution
    if c.state == "asked":
        waiting.append("an answer on the contribution")
    elif c.state == "pledged" and c.pledged_pct is not None:
        waiting.append(f"the agreement on the {c.pledged_pct:g}% pledged")
    elif c.state == "agreed" and c.agreed is not None:
        waiting.append(f"the {fmt_amount(c.agreed.tokens)} tokens agreed")
    elif c.state == "received" and c.shortfall_tokens is not None:
        waiting.append(f"the {fmt_amount(c.shortfall_tokens)} tokens still short")
    return tuple(waiting)


def needs_confirmation(case: OutreachCase, kind: str, values: Mapping[str, Any]) -> str | None:
    """Why storing a ``kind`` event with ``values`` needs the editor's confirmation, or None: it
    contradicts the case ("no market maker" while one is on record; declining a contribution
    already agreed) or is unusual (a pledge outside ``USUAL_PLEDGE_PCT``)."""
    if kind == "declined" and declines(values, "market_maker") and case.market_maker.engagements:
        firms = ", ".join(e.mm_name for e in case.market_maker.engagements if e.ended_on is None)
        if firms:
            return (
                f"{firms} is on record as their market maker. Tick the box to record that they "
                "now say they have none."
            )
    agreed = case.contribution.state in ("agreed", "received")
    if kind == "declined" and declines(values, "contribution") and agreed:
        return (
            f"Their contribution is {case.contribution.state} already. Tick the box to record "
            "that they now decline."
        )
    pct = number_of(values.get("pct_of_supply"))
    low, high = USUAL_PLEDGE_PCT
    if kind == "pledged" and pct is not None and not low <= pct <= high:
        return (
            f"{pct:g}% of circulating supply is outside the usual {low:g}–{high:g}%. Tick the "
            "box to store it as given."
        )
    return None


STAGE_WORDS: dict[str, str] = {
    "not_contacted": "not contacted",
    "contacted": "contacted",
    "in_talks": "in talks",
    "agreed": "agreed",
    "delivered": "delivered",
    "declined": "declined",
    "no_response": "no response",
    "closed": "closed",
}
"""Each stage as the team says it."""


def _contribution_words(answer: ContributionAnswer) -> str | None:
    if answer.state == "pledged" and answer.pledged_pct is not None:
        return f"pledged {answer.pledged_pct:g}%"
    if answer.state == "agreed" and answer.agreed is not None:
        return f"{fmt_amount(answer.agreed.tokens)} tokens agreed"
    if answer.state == "received" and answer.received is not None:
        received = fmt_amount(answer.received.tokens)
        if answer.shortfall_tokens is not None and answer.agreed is not None:
            return f"{received} of {fmt_amount(answer.agreed.tokens)} tokens received"
        return f"{received} tokens received"
    return {"ended": "contribution ended", "declined": "contribution declined"}.get(answer.state)


def _market_maker_words(answer: MarketMakerAnswer) -> str | None:
    if answer.state == "none":
        return "no MM"
    if answer.state != "has_mm":
        return None
    firms = [e.mm_name + (" (ended)" if e.ended_on else "") for e in answer.engagements]
    return "MM " + ", ".join(firms) if firms else None


def case_line(case: OutreachCase, now: datetime, timezone: str) -> str:
    """The case in one line of the team's words, without its owner: ``in talks · MM Wintermute ·
    pledged 3%``, ``contacted 3 days ago``, ``no response · escalated 2026-12-11``."""
    stage = STAGE_WORDS[case.stage]
    if case.stage == "contacted" and case.last_contact is not None:
        days = team_days_between(case.last_contact.at, now, timezone)
        stage += " today" if days <= 0 else f" {days} day{'' if days == 1 else 's'} ago"
    if case.escalated is not None:
        stage += f" · escalated {team_day(case.escalated.at, timezone).isoformat()}"
    parts = [stage, _market_maker_words(case.market_maker)]
    if case.stage != "declined":
        parts.append(_contribution_words(case.contribution))
    if case.snoozed_until is not None:
        parts.append(f"snoozed until {team_day(case.snoozed_until, timezone).isoformat()}")
    return " · ".join(p for p in parts if p)
