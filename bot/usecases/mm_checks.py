"""Use case: the day-by-day market-maker checks, kept as snapshots are stored (SPEC 4.3).

Each stored scan of the home exchange checks every token's home book against the default
criteria (``RISK_MM_…``) and against the obligations of every engagement running that day, and
adds the snapshot to the day's rows (``bot.domain.mm.add_sample``) in the scan's transaction.
An engagement put on record later gets its days filled in from the raw snapshots still stored
(``fill_in_engagements``), so its first status is judged on the history since its start.
Statuses are then read from these rows only (``bot.usecases.mm``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.db import repo_mm_days, repo_outreach, repo_quoting
from bot.db.dialect import Executor
from bot.db.repo_mm_days import CheckedDay
from bot.domain.calendar import team_day, team_day_bounds
from bot.domain.engagements import Engagement, MarketMakerOnRecord, market_maker_on_record
from bot.domain.mm import (
    Obligations,
    add_sample,
    close_day,
    home_sample,
    quoting_days,
    quoting_sample,
)
from bot.domain.mm_status import window_start
from bot.domain.models import TokenLiquidity
from bot.domain.outreach import EngagementRecord
from bot.settings import Settings
from bot.usecases.services import Services

OPEN_DAYS_KEPT = 7
"""Days back whose open figures are cleared at each store (older ones were cleared before)."""


def default_obligations(services: Services) -> Obligations:
    """The default market-maker criteria from the ``RISK_MM_…`` settings."""
    rules = services.rules
    return Obligations(rules.mm_max_spread_bps, rules.mm_min_depth_2pct_usd, rules.mm_min_uptime)


async def records_on_file(
    session: Executor, symbols: Sequence[str], settings: Settings
) -> dict[str, MarketMakerOnRecord]:
    """What the engagement records of each of ``symbols`` put on record."""
    by_symbol: dict[str, list[EngagementRecord]] = {}
    for record in await repo_outreach.engagements(session, symbols):
        by_symbol.setdefault(record.symbol, []).append(record)
    nothing = market_maker_on_record([])
    return {
        symbol: market_maker_on_record(by_symbol[symbol], settings.timezone)
        if symbol in by_symbol
        else nothing
        for symbol in symbols
    }


async def record_checks(
    session: Executor, services: Services, taken_at: datetime, tokens: Sequence[TokenLiquidity]
) -> int:
    """Check the home book of each of ``tokens`` (one stored scan, taken at ``taken_at``) and add
    it to the day's rows; returns the rows written. Nothing when the scan has no home markets
    (a replica that scanned other venues only)."""
    settings = services.settings
    home = [
        t
        for t in tokens
        if t.home_exchange == settings.home_exchange
        and any(m.exchange == t.home_exchange for m in t.markets)
    ]
    if not home:
        return 0
    await repo_mm_days.serialize(session, repo_mm_days.MM_CHECKS_LOCK_ID)
    day = team_day(taken_at, settings.timezone)
    symbols = [t.symbol for t in home]
    on_record = await records_on_file(session, symbols, settings)
    stored = await repo_mm_days.day_rows(session, day, symbols)
    defaults = default_obligations(services)
    written: list[CheckedDay] = []
    for token in home:
        sample = quoting_sample(token, taken_at)
        checks: list[tuple[int | None, Obligations]] = [(None, defaults)]
        checks += [(e.id, e.obligations(defaults)) for e in on_record[token.symbol].active_on(day)]
        for engagement_id, obligations in checks:
            before = stored.get((token.symbol, engagement_id))
            result = add_sample(
                before.result if before else None,
                sample,
                obligations,
                settings.timezone,
                settings.snapshot_interval_minutes,
            )
            written.append(
                CheckedDay(token.symbol, engagement_id, result, before.id if before else None)
            )
    await repo_mm_days.save(session, written)
    await repo_mm_days.close_days(session, day, day - timedelta(days=OPEN_DAYS_KEPT))
    return len(written)


async def fill_in_engagements(
    session: Executor, services: Services, symbol: str, now: datetime
) -> int:
    """The days of the status window since each running engagement of ``symbol`` started that
    have no row for it yet, checked from the raw snapshots still stored (down-sampled days
    cannot be: they stay unjudged). Returns the rows written."""
    settings = services.settings
    today = team_day(now, settings.timezone)
    on_record = (await records_on_file(session, [symbol], settings))[symbol]
    first = window_start(today)
    window = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    written: list[CheckedDay] = []
    for engagement in on_record.active_on(today):
        have = await repo_mm_days.engagement_days(session, [engagement.id])
        wanted = [day for day in window if day >= engagement.start and day not in have]
        if wanted:
            written += await _checked_days(session, services, engagement, wanted, now)
    await repo_mm_days.insert_missing(session, written)
    return len(written)


async def _checked_days(
    session: Executor,
    services: Services,
    engagement: Engagement,
    days: Sequence[date],
    now: datetime,
) -> list[CheckedDay]:
    settings = services.settings
    since, _ = team_day_bounds(min(days), settings.timezone)
    history = await repo_quoting.home_book_samples(
        session, settings.home_exchange, [engagement.record.symbol], since, now, raw_only=True
    )
    samples = [
        home_sample(
            s.taken_at, s.spread_bps, s.depth_bid_2pct_usd, s.depth_ask_2pct_usd, s.empty_side
        )
        for s in history.get(engagement.record.symbol, [])
    ]
    obligations = engagement.obligations(default_obligations(services))
    today = team_day(now, settings.timezone)
    results = quoting_days(
        samples, obligations, settings.timezone, settings.snapshot_interval_minutes
    )
    return [
        CheckedDay(
            engagement.record.symbol,
            engagement.id,
            result if result.day == today else close_day(result),
        )
        for result in results
        if result.day in days
    ]
