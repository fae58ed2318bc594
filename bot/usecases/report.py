"""Use case: the weekly report (SPEC 7), an ISO week (Monday to Sunday in ``TIMEZONE``) as plain
data for Slack, the CLI and the charts.

What it reads, and what it says when the records do not exist yet:
- at risk: every token assessed ``high`` or ``medium`` in a scan of the week (its worst tier),
  and how many were at risk in the last scan of the week;
- cases opened and moved, the funnel by stage and the response rate: ``bot.domain.pipeline`` on
  the case timelines (stages as the case model derives them, ``bot.domain.case_record``);
- pledges logged in the week (as they stand: corrected, retracted ones left out): tokens, USD at
  the home mid of that day, and how much the home book could absorb within ±2%
  (``bot.domain.contribution.absorbable_usd``); per token, pledged vs received to date (USD at
  the mids of the pledge and receipt days) for the chart;
- delivered: the tokens whose contribution was received (logged) in the week;
- market makers ``verified`` / ``breached`` in the week's last scan;
- depth after outreach: the tokens first contacted in the week before, whose 7 days after the
  contact end in this week: daily median home ±2% depth of the 7 days before vs the 7 after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_cases
from bot.db.records import AssessmentRecord, AtRiskSpell
from bot.domain.calendar import team_day, team_zone, week_span
from bot.domain.case_record import first_contact, standing_entries
from bot.domain.contribution import absorbable_usd
from bot.domain.history import CHANGE_SPAN_DAYS, DepthChange, depth_change
from bot.domain.pipeline import Responses, StageMove, funnel, responses, stage_moves
from bot.domain.timeline import CaseEvent, Entry, figures_of, number_of
from bot.domain.vocabulary import AT_RISK_TIERS, CaseStage
from bot.settings import Settings
from bot.usecases.history import by_symbol, daily_figures
from bot.usecases.services import Services


@dataclass(frozen=True)
class AtRiskToken:
    """A token at risk during the week: its worst tier, in how many scans, its top score."""

    symbol: str
    tier: str
    scans: int
    max_score: int | None


@dataclass(frozen=True)
class PledgeLine:
    """A pledge: % of circulating supply, tokens, USD at that day's home mid, and the part the
    home book could absorb within ±2% (USD); None where supply or price were unknown."""

    symbol: str
    pledged_at: datetime
    pct_of_supply: float
    tokens: float | None
    usd: float | None
    absorbable_usd: float | None


@dataclass(frozen=True)
class PledgedReceived:
    """Per token, to the week's end: USD pledged (at the mids of the pledge days) and received."""

    symbol: str
    pledged_usd: float
    received_usd: float


@dataclass(frozen=True)
class DepthAfterOutreach:
    """A token first contacted on ``contacted`` (team's day) and its depth around that day."""

    symbol: str
    contacted: date
    change: DepthChange


@dataclass(frozen=True)
class WeeklyReport:
    """The week ``week`` (``2026-W47``), Monday ``first_day`` to Sunday ``last_day``."""

    week: str
    first_day: date
    last_day: date
    as_of: datetime
    source: str
    at_risk: tuple[AtRiskToken, ...]
    at_risk_at_end: int
    opened: tuple[StageMove, ...]
    moved: tuple[StageMove, ...]
    funnel: tuple[tuple[CaseStage, int], ...]
    responses: Responses
    pledges: tuple[PledgeLine, ...]
    pledged_received: tuple[PledgedReceived, ...]
    delivered: tuple[str, ...]
    mm_verified: tuple[str, ...]
    mm_breached: tuple[str, ...]
    depth_after_outreach: tuple[DepthAfterOutreach, ...]


def _pledge_line(pledge: Entry) -> PledgeLine:
    figures = figures_of(pledge.values)
    return PledgeLine(
        symbol=pledge.event.symbol,
        pledged_at=pledge.event.at,
        pct_of_supply=number_of(pledge.values.get("pct_of_supply")) or 0.0,
        tokens=figures.tokens,
        usd=figures.usd,
        absorbable_usd=absorbable_usd(figures.usd, figures.depth_2pct_usd),
    )


def _standing(timelines: dict[str, list[CaseEvent]], kind: str, end: datetime) -> list[Entry]:
    """The standing ``kind`` entries of every case written before ``end``, oldest first."""
    found = [
        e
        for events in timelines.values()
        for e in standing_entries([x for x in events if x.at < end])
        if e.kind == kind
    ]
    return sorted(found, key=lambda e: (e.event.at, e.event.id))


TIER_RANK: dict[str, int] = {tier: rank for rank, tier in enumerate(AT_RISK_TIERS)}


def _at_risk(spells: Sequence[AtRiskSpell]) -> tuple[AtRiskToken, ...]:
    """Per token its worst tier over the week, riskiest first."""
    tokens = []
    for symbol, own in by_symbol(spells).items():
        scores = [s.max_score for s in own if s.max_score is not None]
        tokens.append(
            AtRiskToken(
                symbol=symbol,
                tier=min((s.tier for s in own), key=TIER_RANK.__getitem__),
                scans=sum(s.assessments for s in own),
                max_score=max(scores, default=None),
            )
        )
    return tuple(sorted(tokens, key=lambda t: (TIER_RANK[t.tier], -(t.max_score or 0), t.symbol)))


def _pledged_received(
    pledges: Sequence[Entry], received: Sequence[Entry]
) -> tuple[PledgedReceived, ...]:
    """USD pledged and received per token (entries without a USD value add nothing)."""
    totals: dict[str, list[float]] = {}
    for index, entries in enumerate((pledges, received)):
        for entry in entries:
            sums = totals.setdefault(entry.event.symbol, [0.0, 0.0])
            sums[index] += figures_of(entry.values).usd or 0.0
    return tuple(PledgedReceived(s, usd[0], usd[1]) for s, usd in sorted(totals.items()))


async def _depth_after_outreach(
    session: AsyncSession,
    settings: Settings,
    timelines: dict[str, list[CaseEvent]],
    start: datetime,
    end: datetime,
) -> tuple[DepthAfterOutreach, ...]:
    """The tokens first contacted in the 7 days before ``start`` and their depth around it."""
    tz = settings.timezone
    week_before = team_day(start, tz) - timedelta(days=CHANGE_SPAN_DAYS)
    contacted = {}
    for symbol, events in timelines.items():
        first = first_contact(events)
        if first is not None and week_before <= team_day(first, tz) < team_day(start, tz):
            contacted[symbol] = team_day(first, tz)
    if not contacted:
        return ()
    earliest = min(contacted.values()) - timedelta(days=CHANGE_SPAN_DAYS)
    since = datetime.combine(earliest, time(0), tzinfo=team_zone(tz))
    figures = await daily_figures(session, settings, list(contacted), since, end)
    return tuple(
        DepthAfterOutreach(symbol, day, depth_change(figures.get(symbol, ()), day))
        for symbol, day in sorted(contacted.items())
    )


def _status_at_end(
    batch: Sequence[AssessmentRecord], start: datetime, status: str
) -> tuple[str, ...]:
    """The tokens with market-maker ``status`` in the week's last scan (none without a scan in
    the week)."""
    return tuple(
        sorted(a.symbol for a in batch if a.assessed_at >= start and a.mm_status == status)
    )


async def build_report(services: Services, week: str) -> WeeklyReport:
    """The report of the ISO ``week`` (``YYYY-Www``, already valid: ``week_monday``)."""
    settings = services.settings
    start, end = week_span(week, settings.timezone)
    async with services.session() as session:
        spells = await repo_assessment.at_risk_between(session, start, end, AT_RISK_TIERS)
        batch = await repo_assessment.previous_day_assessments(session, end)
        timelines = repo_cases.by_symbol(await repo_cases.case_events(session))
        depth = await _depth_after_outreach(session, settings, timelines, start, end)
    pledges = _standing(timelines, "pledged", end)
    received = _standing(timelines, "received", end)
    opened, moved = stage_moves(timelines, start, end)
    in_batch = [a for a in batch if a.assessed_at >= start]
    return WeeklyReport(
        week=week,
        first_day=start.date(),
        last_day=(end - timedelta(days=1)).date(),
        as_of=services.clock(),
        source=settings.market_source,
        at_risk=_at_risk(spells),
        at_risk_at_end=sum(1 for a in in_batch if a.tier in AT_RISK_TIERS),
        opened=opened,
        moved=moved,
        funnel=funnel(timelines, end),
        responses=responses(timelines, start, end),
        pledges=tuple(_pledge_line(p) for p in pledges if p.event.at >= start),
        pledged_received=_pledged_received(pledges, received),
        delivered=tuple(sorted({r.event.symbol for r in received if r.event.at >= start})),
        mm_verified=_status_at_end(batch, start, "verified"),
        mm_breached=_status_at_end(batch, start, "breached"),
        depth_after_outreach=depth,
    )
