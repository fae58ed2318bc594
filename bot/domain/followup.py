"""Follow-ups of an outreach case: when its owner is reminded, and when the case is raised in the
team's channel (SPEC 6 and 7).

A case waits for the project while the next move is the project's (``awaited``: a question
unanswered, a pledge not agreed, agreed tokens not delivered or short): the wait runs from its
last contact or answer (the case's ``anchor``; an answer to one question restarts it, and never
closes the other question). The owner is reminded on the anchor's
follow-up date when a contact set one, else ``FOLLOWUP_DAYS`` team's days after the anchor's
day; the case is escalated ``FOLLOWUP_ESCALATE_DAYS`` team's days after the reminder's day. Days
are calendar days in ``TIMEZONE`` (``bot.domain.calendar``), so "logged on 12-01" reads as "3
days ago" on 12-04 whatever the hour. A snooze holds both back while it runs. Each step is done
once per anchor: its ``reminded`` / ``escalated`` event names the anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from bot.domain.calendar import team_day, team_days_between
from bot.domain.outreach import OutreachCase, awaited
from bot.domain.timeline import CaseEvent, day_of

Step = Literal["remind", "escalate"]


@dataclass(frozen=True)
class FollowUpRules:
    """``FOLLOWUP_DAYS``, ``FOLLOWUP_ESCALATE_DAYS`` and ``TIMEZONE``."""

    followup_days: int
    escalate_days: int
    timezone: str


@dataclass(frozen=True)
class FollowUp:
    """A case waiting for the project since ``anchor`` (its last contact or answer) for what
    ``awaiting`` says: the owner is reminded on ``due_on``, the case escalated on
    ``escalate_on`` (once reminded); ``reminded`` / ``escalated`` are those steps' events."""

    case: OutreachCase
    anchor: CaseEvent
    awaiting: tuple[str, ...]
    due_on: date
    reminded: CaseEvent | None
    escalate_on: date | None
    escalated: CaseEvent | None
    timezone: str

    @property
    def symbol(self) -> str:
        return self.case.symbol

    def days_waiting(self, now: datetime) -> int:
        """Team's days since the anchor: 3 on 12-04 for a contact logged on 12-01."""
        return team_days_between(self.anchor.at, now, self.timezone)

    def overdue(self, now: datetime) -> bool:
        """The reminder day has come (whatever was done about it) and no snooze holds it."""
        return self.due_on <= team_day(now, self.timezone) and not self._snoozed(now)

    def _snoozed(self, now: datetime) -> bool:
        return self.case.snoozed_until is not None and self.case.snoozed_until > now

    def next_step(self, now: datetime) -> Step | None:
        """What is due at ``now`` and not done yet: remind the owner, escalate, or nothing (a
        running snooze holds both back)."""
        if self.escalated is not None or self._snoozed(now):
            return None
        today = team_day(now, self.timezone)
        if self.reminded is None:
            return "remind" if self.due_on <= today else None
        return "escalate" if self.escalate_on is not None and self.escalate_on <= today else None


def followup_of(case: OutreachCase, rules: FollowUpRules) -> FollowUp | None:
    """The follow-up of ``case`` (see the module docstring); None when it waits for nothing: not
    contacted, closed, or the next move is not the project's."""
    awaiting = awaited(case)
    anchor = case.anchor
    if not case.is_open or not awaiting or anchor is None:
        return None
    entry = next(e for e in case.entries if e.event.id == anchor.id)
    followup_on = day_of(entry.values.get("followup_on")) if anchor.kind == "contact" else None
    due_on = followup_on or team_day(anchor.at, rules.timezone) + timedelta(
        days=rules.followup_days
    )
    reminders = [
        e.event
        for e in case.entries
        if e.standing and e.kind == "reminded" and e.values.get("anchor") == anchor.id
    ]
    reminded = reminders[-1] if reminders else None
    escalate_on = (
        team_day(reminded.at, rules.timezone) + timedelta(days=rules.escalate_days)
        if reminded is not None
        else None
    )
    return FollowUp(
        case=case,
        anchor=anchor,
        awaiting=awaiting,
        due_on=due_on,
        reminded=reminded,
        escalate_on=escalate_on,
        escalated=case.escalated,
        timezone=rules.timezone,
    )
