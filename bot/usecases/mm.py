"""Use cases: every token's market-maker status (SPEC 4.3) for a scan, and `/mm TOKEN`.

Statuses are judged by ``bot.domain.mm_status`` from the engagement records and the stored
day-by-day checks of the last 14 days (``mm_daily_checks``, kept as snapshots are stored by
``bot.usecases.mm_checks``), never from the raw snapshots: three queries for any number of
tokens, and down-sampling the snapshots never changes a status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db import repo_market, repo_mm_days, repo_outreach
from bot.db.dialect import Executor
from bot.domain.calendar import team_day
from bot.domain.engagements import Engagement, MarketMakerOnRecord
from bot.domain.mm import Obligations, QuotingDay
from bot.domain.mm_status import (
    DayTally,
    MMJudgement,
    TrackRecord,
    engagement_judgements,
    judge,
    track_record,
    window_start,
)
from bot.domain.models import MMStatus
from bot.domain.outreach import EngagementRecord
from bot.errors import UserFacingError
from bot.usecases.args import parse_symbol
from bot.usecases.mm_checks import default_obligations, records_on_file
from bot.usecases.mm_scorecard import FirmScorecard, firm_scorecards
from bot.usecases.services import Services

Rows = dict[int | None, list[QuotingDay]]
COUNT_IN_SQL_FROM = 50
"""From this many tokens on (a scan), the default criteria's days are counted in SQL."""


@dataclass(frozen=True)
class MMCriteria:
    """The default market-maker criteria (``RISK_MM_…``) and the whole days a status needs."""

    obligations: Obligations
    min_days: int


@dataclass(frozen=True)
class Track:
    """A track record shown by `/mm`: ``label`` names whose obligations it checks."""

    label: str
    status: MMStatus | None
    track: TrackRecord


@dataclass(frozen=True)
class MMReport:
    """`/mm TOKEN`: the status and its reason, the records on file (oldest first), the
    engagements running today, each one's track record over the window (``days``, oldest first)
    and the default criteria's, and the scorecard of each firm running here across tokens."""

    symbol: str
    as_of: datetime
    home_exchange: str
    status: MMStatus
    explanation: str
    judgement: MMJudgement
    engagements: tuple[EngagementRecord, ...]
    active: tuple[Engagement, ...]
    days: tuple[date, ...]
    tracks: tuple[Track, ...]
    scorecards: tuple[FirmScorecard, ...]
    criteria: MMCriteria
    timezone: str = "UTC"  # TIMEZONE: the zone ``as_of`` is shown in


def criteria(services: Services) -> MMCriteria:
    return MMCriteria(default_obligations(services), services.rules.mm_min_days)


async def window_rows_by_symbol(
    session: Executor,
    on_record: dict[str, MarketMakerOnRecord],
    today: date,
    default_symbols: Sequence[str] | None,
) -> dict[str, Rows]:
    """The window's stored day results of the tokens of ``on_record``, by symbol and
    engagement record id (None: the default criteria, for ``default_symbols``)."""
    ids = [i for r in on_record.values() for e in r.active_on(today) for i in e.ids]
    rows = await repo_mm_days.window_rows(
        session, window_start(today), today, default_symbols, engagement_ids=ids
    )
    by_symbol: dict[str, Rows] = {}
    for row in rows:
        by_symbol.setdefault(row.symbol, {}).setdefault(row.engagement_id, []).append(row.result)
    return by_symbol


async def judgements_in(
    session: Executor, services: Services, symbols: Iterable[str], now: datetime
) -> dict[str, MMJudgement]:
    """The market-maker judgement of every token of ``symbols`` at ``now``, read in
    ``session`` (the caller's transaction): the running engagements' day rows, and the default
    criteria's rows of a few tokens, or for many (a scan) their days judged and kept counted per
    token in SQL."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    today = team_day(now, services.settings.timezone)
    rules = criteria(services)
    on_record = await records_on_file(session, wanted, services.settings)
    few = len(wanted) <= COUNT_IN_SQL_FROM
    rows = await window_rows_by_symbol(session, on_record, today, wanted if few else [])
    tallies: dict[str, DayTally] = {}
    if not few:
        first, uptime = window_start(today), rules.obligations.min_uptime
        tallies = await repo_mm_days.window_tallies(session, first, today, uptime)
    return {
        symbol: judge(
            on_record[symbol],
            rows.get(symbol, {}),
            rules.obligations,
            today,
            rules.min_days,
            default_tally=None if few else tallies.get(symbol, DayTally(0, 0)),
        )
        for symbol in wanted
    }


async def mm_judgements(
    services: Services, symbols: Iterable[str], now: datetime
) -> dict[str, MMJudgement]:
    """The market-maker judgement of every token of ``symbols`` at ``now``."""
    async with services.session() as session:
        return await judgements_in(session, services, symbols, now)


async def mm_statuses(
    services: Services, symbols: Iterable[str], now: datetime
) -> dict[str, MMStatus]:
    """The market-maker status of every token in ``symbols`` at ``now``."""
    return {s: j.status for s, j in (await mm_judgements(services, symbols, now)).items()}


async def mm_report(services: Services, symbol: str) -> MMReport:
    """`/mm TOKEN` at the services' clock. ``UserFacingError`` for a token liqbot knows nothing
    about (no snapshot, no record)."""
    symbol = parse_symbol(symbol)
    report = await build_mm_report(services, symbol, services.clock())
    if not report.engagements and not any(t.track.days for t in report.tracks):
        async with services.session() as session:
            seen = await repo_market.latest_snapshot_time(session, symbol)
        if seen is None:
            raise UserFacingError(
                f"Nothing known about {symbol}: no snapshot of its markets and no market maker "
                f"on record. Try /liquidity {symbol}."
            )
    return report


async def build_mm_report(services: Services, symbol: str, now: datetime) -> MMReport:
    """The market-maker report of an already validated ``symbol`` at ``now`` (also behind the
    status line of `/liquidity`)."""
    today = team_day(now, services.settings.timezone)
    rules = criteria(services)
    async with services.session() as session:
        records = await repo_outreach.engagements(session, [symbol])
        on_record = await records_on_file(session, [symbol], services.settings)
        rows = (await window_rows_by_symbol(session, on_record, today, [symbol])).get(symbol, {})
        active = on_record[symbol].active_on(today)
        scorecards = await firm_scorecards(session, services, active, today)
    judgement = judge(on_record[symbol], rows, rules.obligations, today, rules.min_days)
    each = engagement_judgements(on_record[symbol], rows, rules.obligations, today, rules.min_days)
    first = window_start(today)
    default = track_record(rows.get(None, ()), rules.obligations, first, today)
    tracks = [
        Track(j.engagement.mm_name or "a market maker", j.status, j.track)
        for j in each
        if j.engagement is not None and j.track is not None  # always, for an engagement
    ]
    tracks.append(Track("market-maker-like quoting (default criteria)", None, default))
    return MMReport(
        symbol=symbol,
        as_of=now,
        home_exchange=services.settings.home_exchange,
        status=judgement.status,
        explanation=judgement.reason,
        judgement=judgement,
        engagements=tuple(records),
        active=active,
        days=tuple(first + timedelta(days=n) for n in range((today - first).days + 1)),
        tracks=tuple(tracks),
        scorecards=scorecards,
        criteria=rules,
        timezone=services.settings.timezone,
    )
