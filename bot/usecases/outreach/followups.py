"""Use cases: outreach waiting for the project's answer, and follow-up reminders (SPEC 7).

An outreach is waiting while no has_mm / will_contribute / declined reply of the token was logged
after it and no later outreach of the token was logged (the later one is the follow-up now). It
is due on its follow-up date, or ``FOLLOWUP_DAYS`` days after it was logged when none was set,
counted in the team's ``TIMEZONE``. A snoozed token's outreach is not due while the snooze runs.

The reminder job asks ``due_followups`` (not reminded yet) and claims each with
``mark_reminded``, which only one caller wins, so replicas sharing PostgreSQL remind once. App
Home shows the viewer's own waiting outreach, reminded or not (``followups_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_audit, repo_outreach, repo_snooze
from bot.domain.calendar import whole_days_between
from bot.domain.outreach import OutreachRecord, followup_due_on
from bot.settings import Settings
from bot.usecases.args import team_today
from bot.usecases.services import Services


@dataclass(frozen=True)
class FollowUp:
    """An outreach due for a follow-up: who logged it (Slack user id), when, how, and since
    when it is due; ``days_waiting`` = whole days since it was logged."""

    outreach_id: int
    symbol: str
    logged_by: str
    logged_at: datetime
    channel: str
    contact: str | None
    followup_on: date | None
    due_on: date
    days_waiting: int
    reminded_at: datetime | None


def due_on(settings: Settings, outreach: OutreachRecord, followup_days: int) -> date:
    """The day the outreach is due: its follow-up date, else ``followup_days`` after logging."""
    return followup_due_on(outreach, followup_days, settings.timezone)


async def _waiting(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    followup_days: int,
    logged_by: str | None,
    include_reminded: bool,
) -> list[FollowUp]:
    today = team_today(settings, now)
    waiting = await repo_outreach.unanswered_outreach(session, logged_by, include_reminded)
    snoozed = await repo_snooze.snoozed_symbols(session, now) if waiting else set()
    result = []
    for o in waiting:
        due = due_on(settings, o, followup_days)
        if due > today or o.symbol in snoozed:
            continue
        result.append(
            FollowUp(
                outreach_id=o.id,
                symbol=o.symbol,
                logged_by=o.logged_by,
                logged_at=o.logged_at,
                channel=o.channel,
                contact=o.contact,
                followup_on=o.followup_on,
                due_on=due,
                days_waiting=whole_days_between(o.logged_at, now),
                reminded_at=o.reminded_at,
            )
        )
    return result


async def due_followups(services: Services, now: datetime, followup_days: int) -> list[FollowUp]:
    """Outreach due for a reminder at ``now`` and not reminded yet, oldest first."""
    async with services.session() as session:
        return await _waiting(session, services.settings, now, followup_days, None, False)


async def followups_in(
    session: AsyncSession, settings: Settings, user_id: str, now: datetime
) -> list[FollowUp]:
    """``user_id``'s own outreach that is due and still waiting (reminded or not), oldest
    first, read in the caller's transaction."""
    return await _waiting(session, settings, now, settings.followup_days, user_id, True)


async def followups_of(services: Services, user_id: str, now: datetime) -> list[FollowUp]:
    """``user_id``'s own outreach that is due and still waiting (reminded or not), oldest first."""
    async with services.session() as session:
        return await followups_in(session, services.settings, user_id, now)


async def mark_reminded(services: Services, outreach_id: int, now: datetime) -> bool:
    """Record that the follow-up reminder of ``outreach_id`` is sent (audited as ``system``).
    True for the one caller that set it; False when it was already set (or no such outreach)."""
    async with services.session() as session:
        won = await repo_outreach.mark_reminded(session, outreach_id, now)
        if won:
            await repo_audit.append_audit(
                session,
                at=now,
                actor_user="system",
                actor_team=None,
                action="mark_reminded",
                entity="outreach",
                entity_id=outreach_id,
                values={"reminded_at": now.isoformat()},
            )
    return won
