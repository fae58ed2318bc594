"""Use cases: a token's liquidity history day by day with its case's events
(`/liquidity TOKEN history [30|90]`, the review's evidence, the weekly report's before/after).

The figures of every scan are the headline ones as the scan assessed them (``risk_assessments``:
home and global ±2% depth, the smaller side, collisions left out) with the tightest home spread
of the same scan (``bot.db.repo_quoting``); ``bot.domain.history`` turns them into daily medians
per team's day. One definition for the chart, `/review` and the weekly report, so the days a
chart shows under the floor are the days the review counts. (The 30-day trend line of
`/liquidity` averages each UTC day's snapshots instead: a sparkline, not evidence.)

The case's events come from ``case_events_in``: the case timeline, through
``bot.domain.case_record``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_cases, repo_market, repo_quoting
from bot.domain.calendar import team_day_start
from bot.domain.case_record import CaseEvent, case_events
from bot.domain.history import DailyLiquidity, DepthSample, daily_liquidity
from bot.errors import UserFacingError
from bot.settings import Settings
from bot.usecases.args import team_today
from bot.usecases.services import Services

HISTORY_DAYS = (30, 90)
"""The spans `/liquidity TOKEN history` offers, in days; the first is the default."""


@dataclass(frozen=True)
class TokenHistory:
    """The last ``days_back`` team days of a token (today included): its daily figures (days
    without a scan are absent), its case's events in that span, and the depth floor (USD) the
    review compares with."""

    symbol: str
    home_exchange: str
    as_of: datetime
    days_back: int
    first_day: date
    last_day: date
    days: tuple[DailyLiquidity, ...]
    events: tuple[CaseEvent, ...]
    floor_usd: float


def span_start(settings: Settings, now: datetime, days_back: int) -> datetime:
    """Where the last ``days_back`` team days (today included) start: midnight in ``TIMEZONE``."""
    return team_day_start(now, settings.timezone) - timedelta(days=days_back - 1)


async def daily_figures(
    session: AsyncSession,
    settings: Settings,
    symbols: Collection[str],
    since: datetime,
    until: datetime,
) -> dict[str, tuple[DailyLiquidity, ...]]:
    """Per token of ``symbols``, its daily figures from the scans assessed in [since, until]
    (two grouped queries for all of them; tokens without any scan are left out)."""
    depth = await repo_assessment.depth_history(session, symbols, since, until)
    books = await repo_quoting.home_book_samples(
        session, settings.home_exchange, list(depth), since, until
    )
    figures = {}
    for symbol, assessed in depth.items():
        spreads = {b.taken_at: b.spread_bps for b in books.get(symbol, [])}
        samples = [
            DepthSample(
                a.assessed_at,
                a.home_depth_2pct_usd,
                a.global_depth_2pct_usd,
                spreads.get(a.assessed_at),
            )
            for a in assessed
        ]
        figures[symbol] = daily_liquidity(samples, settings.timezone)
    return figures


class _OfToken(Protocol):
    @property
    def symbol(self) -> str: ...


Record = TypeVar("Record", bound=_OfToken)


def by_symbol(records: Iterable[Record]) -> dict[str, list[Record]]:
    """``records`` grouped by token, each group in the order given."""
    grouped: dict[str, list[Record]] = {}
    for record in records:
        grouped.setdefault(record.symbol, []).append(record)
    return grouped


async def case_events_in(
    session: AsyncSession, settings: Settings, symbols: Collection[str] | None = None
) -> dict[str, tuple[CaseEvent, ...]]:
    """The dated events of the cases of ``symbols`` (all when None), oldest first; tokens with
    no event are left out. One query for all of them."""
    timelines = repo_cases.by_symbol(await repo_cases.case_events(session, symbols))
    found = {s: case_events(events, settings.timezone) for s, events in timelines.items()}
    return {symbol: events for symbol, events in sorted(found.items()) if events}


async def token_history(services: Services, symbol: str, days_back: int) -> TokenHistory:
    """The last ``days_back`` team days of ``symbol`` (already parsed) with its case's events.
    ``UserFacingError`` when no scan assessed it in that span (unknown token, or one the home
    exchange does not list): there is nothing to draw."""
    settings, now = services.settings, services.clock()
    since = span_start(settings, now, days_back)
    async with services.session() as session:
        figures = await daily_figures(session, settings, [symbol], since, now)
        events = (await case_events_in(session, settings, [symbol])).get(symbol, ())
        seen = await repo_market.latest_snapshot_time(session, symbol) if not figures else now
    days = figures.get(symbol, ())
    if not days:
        home = settings.home_exchange
        if seen is None:
            raise UserFacingError(f"Nothing stored about {symbol} yet: no history to draw.")
        raise UserFacingError(
            f"No assessed scan of {symbol} in the last {days_back} days: liqbot keeps the "
            f"history of the tokens {home} lists."
        )
    first, last = team_today(settings, since), team_today(settings, now)
    return TokenHistory(
        symbol=symbol,
        home_exchange=settings.home_exchange,
        as_of=now,
        days_back=days_back,
        first_day=first,
        last_day=last,
        days=days,
        events=tuple(e for e in events if first <= e.day <= last),
        floor_usd=settings.risk.min_depth_2pct_usd,
    )
