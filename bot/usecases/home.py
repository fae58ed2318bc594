"""Use case: the App Home tab — the at-risk pipeline and the viewer's own follow-ups.

Counts come from the latest scan's at-risk tokens (tiers high and medium): by tier, and by
outreach state (not contacted, contacted, has MM, will contribute, declined, snoozed). The
follow-ups are the viewer's outreach still waiting for an answer whose follow-up day has come
(see ``bot.usecases.outreach.followups``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_assessment
from bot.domain.outreach import CASE_STATES
from bot.domain.risk import count_by_tier, rank_at_risk
from bot.usecases.outreach.followups import FollowUp, followups_in
from bot.usecases.outreach.log import states_in
from bot.usecases.services import Services


@dataclass(frozen=True)
class HomeSummary:
    """App Home for ``user_id``: ``scanned`` False when no scan has run yet; ``by_tier`` and
    ``by_state`` count the at-risk tokens (every state listed, in ``CASE_STATES``, zeros
    included); ``followups`` the viewer's own due follow-ups, oldest first."""

    user_id: str
    as_of: datetime
    scanned: bool
    assessed_at: datetime | None
    at_risk: int
    by_tier: dict[str, int]
    by_state: dict[str, int]
    followups: tuple[FollowUp, ...]


async def home_summary(services: Services, user_id: str) -> HomeSummary:
    """The App Home figures for the viewer ``user_id`` (Slack user id)."""
    now = services.clock()
    async with services.session() as session:  # one read: App Home is redrawn after each write
        batch = await repo_assessment.latest_assessments(session)
        risky = rank_at_risk(batch)
        states = await states_in(session, [a.symbol for a in risky], now)
        followups = await followups_in(session, services.settings, user_id, now)
    by_state: dict[str, int] = dict.fromkeys(CASE_STATES, 0)
    for state in states.values():
        by_state[state.state] += 1
    return HomeSummary(
        user_id=user_id,
        as_of=now,
        scanned=bool(batch),
        assessed_at=batch[0].assessed_at if batch else None,
        at_risk=len(risky),
        by_tier=count_by_tier(risky),
        by_state=by_state,
        followups=tuple(followups),
    )
