"""Use case: `/review`, the tokens that meet the monitoring-tag review criteria (SPEC 6), each with
its evidence and where the team's decisions leave it. The rules are ``bot.domain.review``.

Where each half of the criteria comes from:
- days under the floor: the daily median home ±2% depth of ``bot.usecases.history`` (the same
  figures the history chart draws), over the ``REVIEW_WINDOW_DAYS`` whole days before today;
- contribution declined: where the case's contribution question stands
  (``bot.domain.case_record.contribution_answer``: a standing decline of the contribution);
- no response after escalation: the case stage (``case_record.case_stage``): ``no response``
  once the follow-up job escalated the case and nothing was logged since;
- market maker breached: the status of the token's latest assessment (market-maker status v2).

Only tokens with a ground (or a standing recommendation) are read further: one query for their
daily figures, whatever the size of the universe.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_cases, repo_review
from bot.domain.calendar import team_zone
from bot.domain.case_record import ContributionAnswer, case_stage, contribution_answer
from bot.domain.history import DailyLiquidity, days_under_floor
from bot.domain.review import (
    DecisionRecord,
    Grounds,
    ReviewRules,
    Standing,
    counted_from,
    grounds,
    latest_decision,
    meets_criteria,
    review_window,
    standing,
)
from bot.domain.timeline import CaseEvent
from bot.domain.vocabulary import CaseStage
from bot.settings import Settings
from bot.usecases.args import team_today
from bot.usecases.history import by_symbol, daily_figures
from bot.usecases.services import Services


def review_rules(settings: Settings) -> ReviewRules:
    """The review criteria from ``REVIEW_…`` and the floor ``RISK_MIN_DEPTH_2PCT_USD``."""
    review = settings.review
    return ReviewRules(
        floor_usd=settings.risk.min_depth_2pct_usd,
        min_days_under_floor=review.min_days_under_floor,
        window_days=review.window_days,
        snooze_days=review.snooze_days,
    )


@dataclass(frozen=True)
class ReviewRow:
    """One token's evidence. ``under_floor``: the days counted under the floor, within
    [``counted_from``, ``last_day``] (after a clear the count restarts); ``days_with_data``: the
    days of that span with a figure; ``latest``: the last day with a figure. ``contribution``
    is the latest answer to the contribution question and its reply; ``decision`` the latest
    review decision, ``decided_after`` its id (0 without one: the buttons carry it)."""

    symbol: str
    meets_criteria: bool
    standing: Standing
    under_floor: tuple[date, ...]
    days_with_data: int
    counted_from: date
    last_day: date
    latest: DailyLiquidity | None
    grounds: Grounds
    contribution: tuple[ContributionAnswer, CaseEvent] | None
    stage: CaseStage
    mm_status: str
    decision: DecisionRecord | None

    @property
    def decided_after(self) -> int:
        return self.decision.id if self.decision is not None else 0


@dataclass(frozen=True)
class ReviewList:
    """`/review`: ``open`` tokens meet the criteria and wait for a decision (most days under the
    floor first); ``recommended`` were recommended for the tag; ``not_now`` meet them but were
    put off (until their decision's ``until``)."""

    as_of: datetime
    today: date
    rules: ReviewRules
    open: tuple[ReviewRow, ...]
    recommended: tuple[ReviewRow, ...]
    not_now: tuple[ReviewRow, ...]


def _row(
    symbol: str,
    settings: Settings,
    now: datetime,
    days: Sequence[DailyLiquidity],
    records: tuple[list[CaseEvent], list[DecisionRecord]],
    mm_status: str,
) -> ReviewRow:
    rules = review_rules(settings)
    events, decisions = records
    first, last = review_window(team_today(settings, now), rules)
    start = counted_from(first, decisions, now, settings.timezone)
    counted = [d for d in days if start <= d.day <= last and d.home_depth_2pct_usd is not None]
    under = days_under_floor(days, rules.floor_usd, start, last)
    answer = contribution_answer(symbol, events, now)
    stage = case_stage(symbol, events, now)
    found = grounds(answer[0] if answer else None, stage, mm_status)
    return ReviewRow(
        symbol=symbol,
        meets_criteria=meets_criteria(len(under), rules, found),
        standing=standing(decisions, now),
        under_floor=under,
        days_with_data=len(counted),
        counted_from=start,
        last_day=last,
        latest=counted[-1] if counted else None,
        grounds=found,
        contribution=answer,
        stage=stage,
        mm_status=mm_status,
        decision=latest_decision(decisions, now),
    )


async def review_rows(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    symbols: Collection[str] | None = None,
) -> list[ReviewRow]:
    """The evidence of every token with a ground or a standing recommendation (of ``symbols``
    only, when given: then each of them, ground or not), read in the caller's transaction."""
    latest = {a.symbol: a.mm_status for a in await repo_assessment.latest_assessments(session)}
    timelines = repo_cases.by_symbol(await repo_cases.case_events(session, symbols))
    decisions = by_symbol(await repo_review.decisions(session, symbols))
    records = {
        s: (timelines.get(s, []), decisions.get(s, []))
        for s in (symbols or {*timelines, *decisions, *latest})
    }
    if symbols is None:
        records = {s: r for s, r in records.items() if _may_qualify(s, r, latest, now)}
    first, _ = review_window(team_today(settings, now), review_rules(settings))
    since = datetime.combine(first, time(0), tzinfo=team_zone(settings.timezone))
    figures = await daily_figures(session, settings, list(records), since, now)
    return [
        _row(
            symbol,
            settings,
            now,
            figures.get(symbol, ()),
            records[symbol],
            latest.get(symbol, "unknown"),
        )
        for symbol in sorted(records)
    ]


def _may_qualify(
    symbol: str,
    records: tuple[list[CaseEvent], list[DecisionRecord]],
    mm_status: dict[str, str],
    now: datetime,
) -> bool:
    """Whether a token has a ground or a standing recommendation, before its history is read."""
    events, decisions = records
    answer = contribution_answer(symbol, events, now)
    stage = case_stage(symbol, events, now)
    found = grounds(answer[0] if answer else None, stage, mm_status.get(symbol, "unknown"))
    return found.any or standing(decisions, now) == "recommended"


async def review_list(services: Services, now: datetime | None = None) -> ReviewList:
    """`/review`: the tokens meeting the criteria, and those recommended or put off."""
    settings = services.settings
    moment = now or services.clock()
    async with services.session() as session:
        rows = await review_rows(session, settings, moment)
    by_days = sorted(rows, key=lambda r: (-len(r.under_floor), r.symbol))
    return ReviewList(
        as_of=moment,
        today=team_today(settings, moment),
        rules=review_rules(settings),
        open=tuple(r for r in by_days if r.meets_criteria and r.standing == "open"),
        recommended=tuple(r for r in by_days if r.standing == "recommended"),
        not_now=tuple(r for r in by_days if r.meets_criteria and r.standing == "not_now"),
    )


async def review_row(services: Services, symbol: str, now: datetime | None = None) -> ReviewRow:
    """One token's evidence (``symbol`` already parsed), whether it meets the criteria or not."""
    async with services.session() as session:
        [row] = await review_rows(session, services.settings, now or services.clock(), [symbol])
    return row
