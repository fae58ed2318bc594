"""Use cases: follow-ups of the cases waiting for the project's answer (SPEC 6 and 7).

A case is reminded to its owner once its follow-up day has come, then raised in the team's
channel ``FOLLOWUP_ESCALATE_DAYS`` later (``bot.domain.followup``). The follow-up job asks
``due_steps`` and records each step it carried out as an event of the case (``record_step``:
``reminded`` / ``escalated``, written by ``system``, naming the contact or answer the case waits
on since); the event's key makes it once per wait, however many replicas record it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.calendar import team_day
from bot.domain.followup import FollowUp, Step, followup_of
from bot.usecases.outreach.case import cases_in, followup_rules
from bot.usecases.outreach.common import Actor, LogResult
from bot.usecases.outreach.events import Submission, append_event
from bot.usecases.services import Services

SYSTEM = Actor("system", None, "liqbot")


@dataclass(frozen=True)
class DueStep:
    """A step due now: remind the owner of ``followup``'s case, or escalate it."""

    step: Step
    followup: FollowUp

    @property
    def period(self) -> str:
        """The run ledger's period of this step: the token and the event waited on since."""
        return f"{self.followup.symbol}:{self.followup.anchor.id}"


async def followups(services: Services, now: datetime) -> list[FollowUp]:
    """The follow-up of every case waiting for an answer at ``now``, by due day then token."""
    rules = followup_rules(services.settings)
    async with services.session() as session:
        cases = await cases_in(session, None, now)
    found = [f for case in cases.values() if (f := followup_of(case, rules)) is not None]
    return sorted(found, key=lambda f: (f.due_on, f.symbol))


async def due_steps(services: Services, now: datetime) -> list[DueStep]:
    """The reminders and escalations due at ``now`` and not done yet."""
    due = []
    for followup in await followups(services, now):
        step = followup.next_step(now)
        if step is not None:
            due.append(DueStep(step, followup))
    return due


async def record_step(services: Services, due: DueStep, now: datetime, where: str) -> LogResult:
    """Record that ``due``'s step was carried out (``where``: the DM or channel it went to)."""
    followup = due.followup
    kind = "reminded" if due.step == "remind" else "escalated"
    values = {
        "anchor": followup.anchor.id,
        "owner_id": followup.case.owner,
        "owner_name": followup.case.owner_name,
        "due_on": followup.due_on.isoformat(),
        "day": team_day(now, followup.timezone).isoformat(),
        "posted_in": where,
    }
    key = f"{kind}:{due.period}"
    return await append_event(services, Submission(SYSTEM, followup.symbol, key), kind, values)
