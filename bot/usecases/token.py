"""Use case: `/liquidity TOKEN [EXCHANGE]` — one token's liquidity on every tracked venue.

A snapshot of the token's markets younger than ``SNAPSHOT_INTERVAL_MINUTES`` + 5 minutes answers
at once from the database. Otherwise every configured exchange is asked concurrently through the
gateway (the token's markets quoted in ``QUOTE_ASSETS``, their books and the 24h tickers): an
exchange that is down is named in ``unavailable`` and the others still answer. Nothing fetched
here is stored: the snapshot job owns the history.

Figures: SPEC 4.1 per market, 4.2 aggregates (home vs global), 4.3 risk with the market-maker
status as it stands now (a reply logged a minute ago counts), the market cap from the stored
circulating supply, and what 1%, 3% and 5% of circulating supply are worth at the home mid next
to today's home ±2% depth. An ``EXCHANGE`` argument narrows the per-venue rows to that venue;
aggregates and risk always cover every venue, because the risk rules compare home and global.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db import repo_history, repo_market, repo_supply
from bot.db.records import DailyPoint
from bot.domain.aggregate import aggregate_token, min_side
from bot.domain.contribution import Contribution, contribution
from bot.domain.metrics import STABLE_QUOTES
from bot.domain.models import MarketMetrics, MMStatus, RiskAssessment, TokenLiquidity
from bot.domain.risk import assess_risk
from bot.domain.vocabulary import CONTRIBUTION_SCENARIOS_PCT
from bot.errors import UserFacingError
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.usecases.depth_chart import DepthChart, depth_chart_from_book
from bot.usecases.mm import build_mm_report
from bot.usecases.outreach.case import OutreachState, outreach_state
from bot.usecases.scan import home_usd_rates, market_metrics
from bot.usecases.services import Services

RECENT_MARGIN = timedelta(minutes=5)
LIVE_BUDGET_S = 3.5
"""How long an answer waits for the exchanges (from when the command arrived): Slack shows the
answer within 5 s even when a venue is slow or paused; the rest goes to the database and Slack."""
TICKERS_SHARED_S = 30.0
"""A burst of live `/liquidity` answers shares one bulk 24h-ticker fetch per exchange this long."""
TREND_DAYS = 30


@dataclass(frozen=True)
class TrendPoint:
    """One UTC day of the token's home book: ±2% depth in USD, the smaller of the two side sums
    over the home pairs (each side the day's average), as the headline defines it; and the
    tightest average spread of those pairs (bps)."""

    day: date
    depth_2pct_usd: float | None
    spread_bps: float | None


def home_trend(points: Sequence[DailyPoint]) -> tuple[TrendPoint, ...]:
    """Daily home-book trend from per-market daily points (oldest day first)."""
    by_day: dict[date, list[DailyPoint]] = {}
    for point in points:
        by_day.setdefault(point.day, []).append(point)
    trend = []
    for day in sorted(by_day):
        pairs = by_day[day]
        bids = [p.avg_depth_bid_2pct_usd for p in pairs if p.avg_depth_bid_2pct_usd is not None]
        asks = [p.avg_depth_ask_2pct_usd for p in pairs if p.avg_depth_ask_2pct_usd is not None]
        spreads = [p.avg_spread_bps for p in pairs if p.avg_spread_bps is not None]
        depth = min_side(sum(bids), sum(asks)) if bids and asks else None
        trend.append(TrendPoint(day, depth, min(spreads) if spreads else None))
    return tuple(trend)


@dataclass(frozen=True)
class UnavailableVenue:
    """An exchange that could not be read live for this answer, with the reason. When
    ``snapshot_at`` is set, its rows in the answer come from its latest stored snapshot, taken
    then (any age: the answer says how old)."""

    exchange: str
    reason: str
    snapshot_at: datetime | None = None


@dataclass(frozen=True)
class TokenView:
    """Everything `/liquidity TOKEN` shows. ``markets``: per-venue rows (home exchange first,
    only ``exchange_filter``'s when one was given); ``liquidity`` and ``risk`` cover every venue.
    ``risk``: None when the home exchange does not list the token (not assessed, SPEC 4.3; the
    other venues are still shown); an ``unrated`` assessment when no home book is usable.
    ``contributions``: 1%, 3%, 5% of circulating supply (None when supply is unknown).
    ``depth_chart``: cumulative depth of the home book, only when fetched live."""

    symbol: str
    as_of: datetime
    from_snapshot: bool
    source: str  # MARKET_SOURCE: demo | live | replay:DIR
    exchange_filter: str | None
    markets: tuple[MarketMetrics, ...]
    liquidity: TokenLiquidity
    risk: RiskAssessment | None
    mm_status: MMStatus
    mm_summary: str
    name: str | None
    circulating_supply: float | None
    market_cap_usd: float | None
    contributions: tuple[Contribution, ...] | None
    outreach: OutreachState
    unavailable: tuple[UnavailableVenue, ...]
    depth_chart: DepthChart | None
    trend: tuple[TrendPoint, ...] = ()  # last 30 days of the home book, one point per UTC day
    timezone: str = "UTC"  # TIMEZONE: the zone every time shown is in


class VenueSlow(MarketDataError):
    """An exchange this answer did not wait for: paused after a rate limit, or too slow."""


@dataclass(frozen=True)
class _Fetched:
    metrics: list[MarketMetrics]
    as_of: datetime
    from_snapshot: bool
    unavailable: list[UnavailableVenue]
    depth_chart: DepthChart | None = None


def _venue(
    services: Services, exchange: str, symbol: str
) -> asyncio.Future[ExchangeSnapshot | None]:
    """The token's markets of one exchange with books and tickers (None when it lists none),
    shared with every concurrent answer about the same token (single flight)."""
    also: frozenset[str] = frozenset()
    if exchange == services.settings.home_exchange:
        # Non-stablecoin quotes convert to USD through the home <QUOTE>/USDT mid.
        also = frozenset(
            f"{q}/USDT" for q in services.settings.quote_assets if q not in STABLE_QUOTES
        )
    return services.gateway.token_snapshot(exchange, symbol, also, TICKERS_SHARED_S)


async def _venue_by(
    services: Services, exchange: str, symbol: str, answer_by: float
) -> ExchangeSnapshot | MarketDataError | None:
    """``_venue`` within the answer's deadline: a paused exchange is not asked at all (its pause
    can last minutes), one that has not answered by ``answer_by`` (monotonic) is given up on; the
    shared fetch goes on for the next answer."""
    paused = services.gateway.paused_for(exchange)
    if paused > 0:
        return VenueSlow(exchange, f"paused after a rate limit, resumes in {fmt_wait(paused)}")
    budget = answer_by - time.monotonic()
    try:
        return await asyncio.wait_for(asyncio.shield(_venue(services, exchange, symbol)), budget)
    except MarketDataError as error:
        return error
    except TimeoutError:
        return VenueSlow(exchange, f"no answer within {max(budget, 0):.1f} s")


def fmt_wait(seconds: float) -> str:
    """``95`` → ``"1 min 35 s"``: how long a paused exchange stays paused."""
    minutes, secs = divmod(math.ceil(seconds), 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


async def _fetch_live(services: Services, symbol: str, answer_by: float) -> _Fetched:
    exchanges = list(services.settings.exchanges)
    fetched = await asyncio.gather(*(_venue_by(services, e, symbol, answer_by) for e in exchanges))
    results = dict(zip(exchanges, fetched, strict=True))
    unavailable = [
        UnavailableVenue(e, _reason(e, r.error if isinstance(r, ExchangeSnapshot) else r))
        for e, r in results.items()
        if isinstance(r, MarketDataError) or (isinstance(r, ExchangeSnapshot) and r.error)
    ]
    snapshots = [r for r in results.values() if isinstance(r, ExchangeSnapshot) and not r.error]
    home_snapshot = results.get(services.settings.home_exchange)
    home = home_snapshot if isinstance(home_snapshot, ExchangeSnapshot) else None
    rates = home_usd_rates(home, {m.quote for s in snapshots for m in s.markets})
    metrics = [m for s in snapshots for m in market_metrics(s, rates) if m.base == symbol]
    chart = depth_chart_from_book(home, metrics) if home is not None else None
    live = _Fetched(metrics, services.clock(), False, unavailable, chart)
    return await _with_stored_rows(services, symbol, live)


def _reason(exchange: str, error: object) -> str:
    """The error's message without the exchange name it starts with (the answer names it)."""
    message = str(error)
    return message.removeprefix(f"{exchange}: ").removeprefix(f"{exchange} ")


async def _with_stored_rows(services: Services, symbol: str, live: _Fetched) -> _Fetched:
    """``live`` with the latest stored rows of every venue that could not be read live, each
    unavailable venue saying when its rows were taken."""
    if not live.unavailable:
        return live
    down = {u.exchange for u in live.unavailable}
    async with services.session() as session:
        stored = await repo_market.latest_metrics_taken(session, symbol)
    rows = [m for m, _ in stored if m.exchange in down]
    taken: dict[str, datetime] = {}
    for row, at in stored:
        if row.exchange in down:
            taken[row.exchange] = min(at, taken.get(row.exchange, at))
    unavailable = [
        UnavailableVenue(u.exchange, u.reason, taken.get(u.exchange)) for u in live.unavailable
    ]
    return dataclasses.replace(live, metrics=live.metrics + rows, unavailable=unavailable)


async def _from_snapshot(services: Services, symbol: str, now: datetime) -> _Fetched | None:
    """The token's latest stored figures when they are recent enough, else None."""
    recent = timedelta(minutes=services.settings.snapshot_interval_minutes) + RECENT_MARGIN
    async with services.session() as session:
        taken = await repo_market.latest_snapshot_time(session, symbol)
        if taken is None or now - taken > recent:
            return None
        stored = await repo_market.latest_metrics(session, base=symbol, max_age=recent, now=now)
        scan = await repo_market.latest_scan(session)
    configured = set(services.settings.exchanges)
    metrics = [m for m in stored if m.exchange in configured]
    unavailable = [
        UnavailableVenue(exchange, str(summary["error"]))
        for exchange, summary in (scan.exchanges.items() if scan else ())
        if exchange in configured and isinstance(summary, dict) and summary.get("error")
    ]
    return _Fetched(metrics, taken, True, unavailable) if metrics else None


def _ordered(metrics: Sequence[MarketMetrics], services: Services) -> list[MarketMetrics]:
    rank = {e: i for i, e in enumerate(services.settings.exchanges)}
    home = services.settings.home_exchange
    return sorted(
        metrics, key=lambda m: (m.exchange != home, rank.get(m.exchange, len(rank)), m.symbol)
    )


def _no_market(symbol: str, services: Services, where: Sequence[str], down: Sequence[str]) -> str:
    quotes = ", ".join(services.settings.quote_assets)
    message = f"No market for {symbol} on {', '.join(where)} (QUOTE_ASSETS: {quotes})."
    if down:
        message += f" Unavailable right now: {', '.join(down)}."
    return message


async def token_report(
    services: Services, symbol: str, exchange: str | None = None, answer_by: float | None = None
) -> TokenView:
    """`/liquidity TOKEN [EXCHANGE]`: the token's per-venue figures, home and global aggregates,
    risk tier with reasons, market-maker status, market cap, contribution scenarios and outreach
    state. ``symbol`` and ``exchange`` come parsed (``parse_symbol``, one of ``EXCHANGES``).
    Raises ``UserFacingError`` for a token with no market (on ``exchange``, when given).

    ``answer_by`` (``time.monotonic()``; default ``LIVE_BUDGET_S`` from now) bounds the wait for
    the exchanges: a venue paused or slower than that shows its latest stored rows instead."""
    now = services.clock()
    if answer_by is None:
        answer_by = time.monotonic() + LIVE_BUDGET_S
    fetched = await _from_snapshot(services, symbol, now) or await _fetch_live(
        services, symbol, answer_by
    )
    down = [u.exchange for u in fetched.unavailable]
    if not fetched.metrics:
        searched = [e for e in services.settings.exchanges if e not in down]
        if not searched:
            why = "; ".join(f"{u.exchange}: {u.reason}" for u in fetched.unavailable)
            raise UserFacingError(
                f"Cannot reach the exchanges right now ({why}) and no snapshot of {symbol} is "
                "stored yet. Try again in a minute."
            )
        raise UserFacingError(_no_market(symbol, services, searched, down))
    shown = [m for m in fetched.metrics if exchange is None or m.exchange == exchange]
    if not shown:
        raise UserFacingError(_no_market(symbol, services, [exchange or ""], []))

    async with services.session() as session:
        supply_row = (await repo_supply.get_supply(session)).get(symbol)
        daily = await repo_history.daily_history(
            session,
            symbol,
            now - timedelta(days=TREND_DAYS),
            now,
            exchange=services.settings.home_exchange,
        )
    supply = supply_row.circulating_supply if supply_row else None
    liquidity = aggregate_token(symbol, fetched.metrics, services.settings.home_exchange, supply)
    mm = await build_mm_report(services, symbol, now)
    states = await outreach_state(services, [symbol], now)
    scenarios = None
    if supply is not None and supply > 0:
        scenarios = tuple(
            contribution(pct, supply, liquidity.home_mid_usd, liquidity.home_depth_2pct_usd)
            for pct in CONTRIBUTION_SCENARIOS_PCT
        )
    return TokenView(
        symbol=symbol,
        as_of=fetched.as_of,
        from_snapshot=fetched.from_snapshot,
        source=services.settings.market_source,
        exchange_filter=exchange,
        markets=tuple(_ordered(shown, services)),
        liquidity=liquidity,
        risk=assess_risk(liquidity, mm.status, services.rules) if liquidity.home_listed else None,
        mm_status=mm.status,
        mm_summary=mm.explanation,
        name=supply_row.name if supply_row else None,
        circulating_supply=supply,
        market_cap_usd=liquidity.market_cap_usd
        if liquidity.market_cap_usd is not None
        else (supply_row.market_cap_usd if supply_row else None),
        contributions=scenarios,
        outreach=states[symbol],
        unavailable=tuple(fetched.unavailable),
        depth_chart=fetched.depth_chart,
        trend=home_trend(daily),
        timezone=services.settings.timezone,
    )


async def depth_chart(services: Services, symbol: str) -> DepthChart:
    """`/liquidity TOKEN chart`: fetch the token's home markets live and chart the deepest one.
    ``symbol`` comes parsed (``parse_symbol``). ``UserFacingError`` when the home exchange does
    not list the token or cannot be read now."""
    home = services.settings.home_exchange
    snapshot = await _venue_by(services, home, symbol, time.monotonic() + LIVE_BUDGET_S)
    if isinstance(snapshot, MarketDataError):
        raise UserFacingError(f"{home} is unavailable right now: {snapshot}")
    if snapshot is None:
        raise UserFacingError(f"No market for {symbol} on {home}: nothing to chart.")
    if snapshot.error is not None:
        raise UserFacingError(f"{home} is unavailable right now: {snapshot.error}")
    rates = home_usd_rates(snapshot, {m.quote for m in snapshot.markets})
    metrics = [m for m in market_metrics(snapshot, rates) if m.base == symbol]
    chart = depth_chart_from_book(snapshot, metrics)
    if chart is None:
        raise UserFacingError(f"{symbol}'s order book on {home} cannot be charted right now.")
    return chart
