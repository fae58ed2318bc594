"""Use case: one scan of every tracked venue → market metrics → token liquidity → risk, stored.

Plain data in, plain data out: the CLI table, ``scan --json``, the snapshot job and the digest all
format the same ``ScanResult``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_market, repo_supply
from bot.domain.aggregate import aggregate_token, group_by_token
from bot.domain.metrics import STABLE_QUOTES, compute_market_metrics, error_metrics, usd_per_quote
from bot.domain.models import (
    MarketMetrics,
    MarketRef,
    MMStatus,
    OrderBook,
    RiskAssessment,
    TokenLiquidity,
)
from bot.domain.risk import assess_risk, is_at_risk, risk_rank
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.market.session import RequestTally, count_requests
from bot.usecases.mm import mm_statuses
from bot.usecases.mm_checks import record_checks
from bot.usecases.services import Services


class ScanProgress(Protocol):
    def exchange_started(self, exchange: str, markets: int) -> None: ...
    def market_done(self, exchange: str) -> None: ...


@dataclass(frozen=True)
class ExchangeSummary:
    exchange: str
    markets: int
    ok: int
    errors: int
    requests: int
    error: str | None  # the venue could not be scanned at all (named in the digest)


@dataclass(frozen=True)
class TokenReport:
    """One token's liquidity and risk, the unit every surface shows."""

    liquidity: TokenLiquidity
    risk: RiskAssessment

    @property
    def symbol(self) -> str:
        return self.liquidity.symbol


@dataclass(frozen=True)
class ScanResult:
    source: str
    started_at: datetime
    finished_at: datetime
    exchanges: tuple[ExchangeSummary, ...]
    markets: tuple[MarketMetrics, ...]
    tokens: tuple[TokenReport, ...]  # rated ones ranked, highest score first; unrated last
    scan_id: int | None = None
    not_assessed: tuple[str, ...] = ()  # tokens seen on other venues only, not on the home one

    @property
    def at_risk(self) -> tuple[TokenReport, ...]:
        """Tokens of tier high and medium, riskiest first (never the unrated ones)."""
        return tuple(t for t in self.tokens if is_at_risk(t.risk.tier))

    @property
    def data_issues(self) -> tuple[TokenReport, ...]:
        """Unrated tokens: no usable home book for data reasons; listed apart, never ranked."""
        return tuple(t for t in self.tokens if t.risk.tier == "unrated")


def home_usd_rates(home: ExchangeSnapshot | None, quotes: Iterable[str]) -> dict[str, float]:
    """USD per unit of each non-stable quote asset: the mid of the home exchange's <QUOTE>/USDT
    book as SPEC 4.1 measures it, so a crossed, locked, empty or zero-priced book gives no rate
    (the markets quoted in that asset then have no USD figures)."""
    rates: dict[str, float] = {}
    if home is None:
        return rates
    for quote in set(quotes) - STABLE_QUOTES:
        symbol = f"{quote}/USDT"
        book = home.books.get(symbol)
        if not isinstance(book, OrderBook):
            continue
        ref = MarketRef(home.exchange, symbol, quote, "USDT")
        measured = compute_market_metrics(ref, book, None, 1.0)
        if measured.ok and measured.mid is not None:
            rates[quote] = measured.mid
    return rates


def measure(ref: MarketRef, snapshot: ExchangeSnapshot, rates: dict[str, float]) -> MarketMetrics:
    """SPEC 4.1 figures of one market of an exchange snapshot. A failed fetch becomes an error
    row that still carries the ticker's volume."""
    fetched = snapshot.books.get(ref.symbol)
    ticker = snapshot.tickers.get(ref.symbol)
    rate = usd_per_quote(ref.quote, rates)
    if isinstance(fetched, OrderBook):
        return compute_market_metrics(ref, fetched, ticker, rate)
    reason = str(fetched) if isinstance(fetched, MarketDataError) else "order book not fetched"
    return error_metrics(ref, reason, ticker, rate)


def market_metrics(snapshot: ExchangeSnapshot, rates: dict[str, float]) -> list[MarketMetrics]:
    """SPEC 4.1 figures of every market of one exchange snapshot."""
    return [measure(ref, snapshot, rates) for ref in snapshot.markets]


async def _deepen(
    services: Services, refs: Sequence[MarketRef], snapshots: dict[str, ExchangeSnapshot]
) -> None:
    """Re-fetch truncated books deeper, in place in the snapshots (best effort)."""

    async def one(ref: MarketRef) -> None:
        first = snapshots[ref.exchange].books.get(ref.symbol)
        current = first.limit if isinstance(first, OrderBook) else None
        deeper = services.gateway.deeper_limit(
            ref.exchange, current or services.settings.orderbook_limit
        )
        if deeper is None:
            return  # already at the exchange's maximum depth
        try:
            book = await services.gateway.fetch_order_book(ref, limit=deeper)
        except MarketDataError:
            return  # keep the lower bound from the first fetch
        snapshots[ref.exchange].books[ref.symbol] = book

    await asyncio.gather(*(one(ref) for ref in refs))


def assess_tokens(
    services: Services,
    metrics: Sequence[MarketMetrics],
    supply: dict[str, float | None],
    mm: dict[str, MMStatus],
) -> list[TokenReport]:
    """Aggregate and assess every token the home exchange lists: rated tokens by score, highest
    first, then the unrated ones. Tokens seen only on other venues are not assessed (SPEC 4.3;
    see :func:`not_listed_on_home`)."""
    home = services.settings.home_exchange
    reports = []
    for symbol, markets in group_by_token(metrics).items():
        if symbol in STABLE_QUOTES or not any(m.exchange == home for m in markets):
            continue
        liquidity = aggregate_token(symbol, markets, home, supply.get(symbol))
        risk = assess_risk(liquidity, mm.get(symbol, "unknown"), services.rules)
        reports.append(TokenReport(liquidity, risk))
    reports.sort(key=lambda r: risk_rank(r.risk))
    return reports


def not_listed_on_home(metrics: Sequence[MarketMetrics], home: str) -> tuple[str, ...]:
    """Tokens with markets on other venues only: not assessed, named apart (sorted)."""
    listed = {m.base for m in metrics if m.exchange == home}
    return tuple(sorted({m.base for m in metrics} - listed - STABLE_QUOTES))


async def _snapshots(
    services: Services, names: Sequence[str], progress: ScanProgress | None
) -> dict[str, ExchangeSnapshot]:
    """One snapshot per exchange, all at once, each reporting to ``progress``."""

    async def snap(exchange: str) -> ExchangeSnapshot:
        def on_market(_ref: object, _book: object) -> None:
            if progress:
                progress.market_done(exchange)

        if progress:
            try:  # markets are cached by the gateway, so the snapshot does not load them twice
                progress.exchange_started(exchange, len(await services.gateway.markets(exchange)))
            except MarketDataError:
                progress.exchange_started(exchange, 0)
        return await services.gateway.snapshot_exchange(exchange, on_market=on_market)

    return dict(zip(names, await asyncio.gather(*(snap(n) for n in names)), strict=True))


def _summaries(
    snapshots: dict[str, ExchangeSnapshot], metrics: Sequence[MarketMetrics], tally: RequestTally
) -> tuple[ExchangeSummary, ...]:
    return tuple(
        ExchangeSummary(
            exchange=name,
            markets=sum(1 for m in metrics if m.exchange == name),
            ok=sum(1 for m in metrics if m.exchange == name and m.ok),
            errors=sum(1 for m in metrics if m.exchange == name and not m.ok),
            requests=tally.get(name),
            error=str(snap_.error) if snap_.error else None,
        )
        for name, snap_ in snapshots.items()
    )


async def _measure_and_assess(
    services: Services, snapshots: dict[str, ExchangeSnapshot], started: datetime
) -> tuple[list[MarketMetrics], list[TokenReport]]:
    """Every market's figures and every home-listed token's assessment; truncated books of
    at-risk candidates are fetched deeper first."""
    settings = services.settings
    quotes = {m.quote for s in snapshots.values() for m in s.markets}
    rates = home_usd_rates(snapshots.get(settings.home_exchange), quotes)
    metrics = [m for s in snapshots.values() for m in market_metrics(s, rates)]
    async with services.session() as session:
        stored = await repo_supply.get_supply(session)
        supply = {s: row.circulating_supply for s, row in stored.items()}
    mm = await mm_statuses(services, {m.base for m in metrics}, started)
    reports = assess_tokens(services, metrics, supply, mm)

    # Candidates whose ±2% band was cut off by the first fetch: fetch deeper, then re-assess.
    truncated_refs = [
        MarketRef(m.exchange, m.symbol, m.base, m.quote)
        for r in reports
        if is_at_risk(r.risk.tier)
        for m in r.liquidity.markets
        if m.depth_truncated
    ]
    if truncated_refs:
        await _deepen(services, truncated_refs, snapshots)
        deeper = {(ref.exchange, ref.symbol): ref for ref in truncated_refs}
        metrics = [  # only the re-fetched markets are measured again
            measure(ref, snapshots[m.exchange], rates)
            if (ref := deeper.get((m.exchange, m.symbol)))
            else m
            for m in metrics
        ]
        reports = assess_tokens(services, metrics, supply, mm)
    return metrics, reports


async def run_scan(
    services: Services,
    exchanges: Sequence[str] | None = None,
    progress: ScanProgress | None = None,
    store: bool = True,
) -> ScanResult:
    """Scan all active spot markets, assess every home-listed token, store it all."""
    settings = services.settings
    started = services.clock()
    # Counted at the wire: every HTTP request this scan makes (market lists, tickers, books,
    # re-fetches, retries), and none that a command served meanwhile makes.
    with count_requests() as tally:
        snapshots = await _snapshots(services, list(exchanges or settings.exchanges), progress)
        metrics, reports = await _measure_and_assess(services, snapshots, started)
    result = ScanResult(
        source=settings.market_source,
        started_at=started,
        finished_at=services.clock(),
        exchanges=_summaries(snapshots, metrics, tally),
        markets=tuple(metrics),
        tokens=tuple(reports),
        not_assessed=not_listed_on_home(metrics, settings.home_exchange),
    )
    if store:
        result = dataclasses.replace(result, scan_id=await store_scan_result(services, result))
    return result


async def store_scan_result(services: Services, result: ScanResult) -> int:
    """Markets, snapshots, assessments and the market-maker checks of one scan, in one
    transaction; the scan's id."""
    async with services.session() as session:
        return await store_scan_in(session, services, result)


async def store_scan_in(session: AsyncSession, services: Services, result: ScanResult) -> int:
    """``store_scan_result`` in the caller's transaction (a batch of scans in one)."""
    summary = {
        s.exchange: {
            "markets": s.markets,
            "ok": s.ok,
            "errors": s.errors,
            "requests": s.requests,
            "error": s.error,
        }
        for s in result.exchanges
    }
    scan_id = await repo_market.store_scan(
        session,
        result.source,
        result.started_at,
        result.finished_at,
        summary,
        result.markets,
        result.finished_at,
    )
    await repo_assessment.store_assessments(
        session, scan_id, result.finished_at, [(t.liquidity, t.risk) for t in result.tokens]
    )
    await record_checks(session, services, result.finished_at, [t.liquidity for t in result.tokens])
    return scan_id
