"""Use case: the App Home tab — the at-risk pipeline, the viewer's cases and follow-ups, and the
team's overdue cases (SPEC 6).

Counts: the latest scan's at-risk tokens (tiers high and medium) by tier and by the stage of
their case (not contacted, contacted, in talks, agreed, delivered, declined, no response,
closed), and every case by the state of its contribution (asked, pledged, agreed, received,
ended, declined). The viewer's cases are the open cases they own, the soonest due first; the
team's overdue cases are every open case whose follow-up day has come, whoever owns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_assessment
from bot.domain.risk import count_by_tier, rank_at_risk
from bot.domain.vocabulary import CONTRIBUTION_STATES, STAGES
from bot.usecases.outreach.case import CaseRow, case_rows, cases_in, select_rows
from bot.usecases.services import Services


@dataclass(frozen=True)
class HomeSummary:
    """App Home for ``user_id`` at ``as_of`` (shown in ``timezone``): ``scanned`` False when no
    scan has run yet; ``by_tier`` and ``by_stage`` count the at-risk tokens, ``by_contribution``
    every case (each state listed, in the vocabulary's order, zeros included); ``mine`` the
    viewer's open cases, ``overdue`` the team's cases whose follow-up day has come."""

    user_id: str
    as_of: datetime
    timezone: str
    scanned: bool
    assessed_at: datetime | None
    at_risk: int
    by_tier: dict[str, int]
    by_stage: dict[str, int]
    by_contribution: dict[str, int]
    mine: tuple[CaseRow, ...]
    overdue: tuple[CaseRow, ...]


async def home_summary(services: Services, user_id: str) -> HomeSummary:
    """The App Home figures for the viewer ``user_id`` (Slack user id)."""
    now = services.clock()
    async with services.session() as session:  # one read: App Home is redrawn after each write
        batch = await repo_assessment.latest_assessments(session)
        cases = await cases_in(session, None, now)
    risky = rank_at_risk(batch)
    by_stage: dict[str, int] = dict.fromkeys(STAGES, 0)
    for assessment in risky:
        case = cases.get(assessment.symbol)
        by_stage[case.stage if case is not None else "not_contacted"] += 1
    by_contribution: dict[str, int] = dict.fromkeys(CONTRIBUTION_STATES[1:], 0)
    for case in cases.values():
        if case.contribution.state in by_contribution:
            by_contribution[case.contribution.state] += 1
    rows = case_rows(cases.values(), services.settings, now)
    return HomeSummary(
        user_id=user_id,
        as_of=now,
        timezone=services.settings.timezone,
        scanned=bool(batch),
        assessed_at=batch[0].assessed_at if batch else None,
        at_risk=len(risky),
        by_tier=count_by_tier(risky),
        by_stage=by_stage,
        by_contribution=by_contribution,
        mine=tuple(select_rows(rows, "mine", user_id, now)),
        overdue=tuple(select_rows(rows, "overdue", user_id, now)),
    )
