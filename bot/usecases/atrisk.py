"""Use case: `/atrisk [N] [high|medium]` — the current at-risk list from the latest scan.

The list is the newest batch of stored assessments (``bot.db.repo_assessment``), tiers high and
medium, ranked by score (ties by symbol), each with its outreach state and snoozed flag. Snoozed
tokens stay in this list (marked): only the digest leaves them out. The figures are the scan's;
a reply logged since shows in the outreach state at once and in the score at the next scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_assessment
from bot.db.records import AssessmentRecord
from bot.domain.risk import count_by_tier, rank_at_risk
from bot.usecases.args import check_at_risk_args
from bot.usecases.outreach.case import OutreachState, outreach_state
from bot.usecases.services import Services


@dataclass(frozen=True)
class AtRiskRow:
    """One ranked token: its stored assessment (score, tier, reasons, figures in USD) and where
    outreach stands."""

    rank: int
    assessment: AssessmentRecord
    outreach: OutreachState

    @property
    def symbol(self) -> str:
        return self.assessment.symbol

    @property
    def snoozed(self) -> bool:
        return self.outreach.snoozed


@dataclass(frozen=True)
class AtRiskList:
    """The at-risk list. ``scanned`` False = no scan has run yet (say "run liqbot scan").
    ``total`` counts every at-risk token of the tier asked for, ``rows`` the first ``limit``;
    ``counts`` the high and medium tokens of the whole batch. ``data_issues``: the unrated tokens
    (no usable home book for data reasons), listed apart and never ranked."""

    scanned: bool
    as_of: datetime | None
    scan_id: int | None
    tier: str | None
    limit: int
    total: int
    counts: dict[str, int]
    rows: tuple[AtRiskRow, ...]
    data_issues: tuple[AssessmentRecord, ...] = ()
    timezone: str = "UTC"  # TIMEZONE: the zone ``as_of`` is shown in


async def at_risk(services: Services, limit: int = 20, tier: str | None = None) -> AtRiskList:
    """The ``limit`` (1–100) riskiest tokens of the latest scan, tier high and medium or only
    ``tier``; ``UserFacingError`` for a limit or tier out of range."""
    check_at_risk_args(limit, tier)
    async with services.session() as session:
        batch = await repo_assessment.latest_assessments(session)
    if not batch:
        timezone = services.settings.timezone
        return AtRiskList(False, None, None, tier, limit, 0, count_by_tier(()), (), (), timezone)
    selected = rank_at_risk(batch, tier)
    shown = selected[:limit]
    states = await outreach_state(services, [a.symbol for a in shown])
    return AtRiskList(
        scanned=True,
        as_of=batch[0].assessed_at,
        scan_id=batch[0].scan_id,
        tier=tier,
        limit=limit,
        total=len(selected),
        counts=count_by_tier(batch),
        rows=tuple(AtRiskRow(rank, a, states[a.symbol]) for rank, a in enumerate(shown, start=1)),
        data_issues=tuple(a for a in batch if a.tier == "unrated"),
        timezone=services.settings.timezone,
    )
