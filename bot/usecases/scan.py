"""Use case: one scan of every tracked venue → market metrics → token liquidity → risk, stored.

Plain data in, plain data out: the CLI table, ``scan --json``, the snapshot job and the digest all
format the same ``ScanResult``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_market, repo_scan_store, repo_supply
from bot.domain.aggregate import aggregate_token, group_by_token
from bot.domain.metrics import STABLE_QUOTES, compute_market_metrics
from bot.domain.models import (
    MarketMetrics,
    MarketRef,
    MMStatus,
    RiskAssessment,
    Ticker,
    TokenLiquidity,
)
from bot.domain.risk import assess_risk, is_at_risk, risk_rank
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.market.session import count_requests
from bot.usecases.mm import mm_statuses
from bot.usecases.mm_checks import record_checks
from bot.usecases.scan_pass import (
    ExchangePass,
    ScanProgress,
    SnapshotBatches,
    fetch_usd_rates,
    home_usd_rates,
    measure_book,
    scan_exchange,
)
from bot.usecases.services import Services

__all__ = ["ScanProgress", "ScanResult", "TokenReport", "home_usd_rates", "run_scan"]


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


def measure(ref: MarketRef, snapshot: ExchangeSnapshot, rates: dict[str, float]) -> MarketMetrics:
    """SPEC 4.1 figures of one market of an exchange snapshot. A failed fetch becomes an error
    row that still carries the ticker's volume."""
    fetched = snapshot.books.get(ref.symbol)
    return measure_book(ref, fetched, snapshot.tickers.get(ref.symbol), rates)


def market_metrics(snapshot: ExchangeSnapshot, rates: dict[str, float]) -> list[MarketMetrics]:
    """SPEC 4.1 figures of every market of one exchange snapshot."""
    return [measure(ref, snapshot, rates) for ref in snapshot.markets]


async def _deepen(services: Services, candidates: Sequence[MarketMetrics]) -> list[MarketMetrics]:
    """Truncated books fetched deeper and measured again (best effort: a market whose deeper
    fetch fails, or that is at the exchange's maximum depth, keeps its lower bound). The book is
    measured with the ticker figures and USD rate its first measurement had, so only the book
    figures change."""

    async def one(first: MarketMetrics) -> MarketMetrics | None:
        gateway = services.gateway
        deeper = gateway.deeper_limit(first.exchange, gateway.book_depth(first.exchange))
        if deeper is None:
            return None  # already at the exchange's maximum depth
        ref = MarketRef(first.exchange, first.symbol, first.base, first.quote)
        try:
            book = await gateway.fetch_order_book(ref, limit=deeper)
        except MarketDataError:
            return None  # keep the lower bound from the first fetch
        ticker = Ticker(first.exchange, first.symbol, first.last_price, None, None)
        again = compute_market_metrics(ref, book, ticker, first.usd_per_quote)
        return dataclasses.replace(again, volume_24h_usd=first.volume_24h_usd)

    found = await asyncio.gather(*(one(m) for m in candidates))
    return [m for m in found if m is not None]


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


def _summaries(
    passes: Sequence[ExchangePass], metrics: Sequence[MarketMetrics], requests: dict[str, int]
) -> tuple[ExchangeSummary, ...]:
    return tuple(
        ExchangeSummary(
            exchange=p.exchange,
            markets=sum(1 for m in metrics if m.exchange == p.exchange),
            ok=sum(1 for m in metrics if m.exchange == p.exchange and m.ok),
            errors=sum(1 for m in metrics if m.exchange == p.exchange and not m.ok),
            requests=requests.get(p.exchange, p.requests),
            error=p.error,
        )
        for p in passes
    )


async def assess_markets(
    services: Services, metrics: list[MarketMetrics], started: datetime
) -> tuple[list[MarketMetrics], list[TokenReport], list[MarketMetrics]]:
    """Every home-listed token assessed; truncated books of at-risk candidates are fetched
    deeper and the tokens assessed again. Returns the figures, the reports and the markets
    measured again (whose stored snapshots must be replaced)."""
    async with services.session() as session:
        stored = await repo_supply.get_supply(session)
        supply = {s: row.circulating_supply for s, row in stored.items()}
    mm = await mm_statuses(services, {m.base for m in metrics}, started)
    reports = assess_tokens(services, metrics, supply, mm)
    # Candidates whose ±2% band was cut off by the first fetch: fetch deeper, then re-assess.
    truncated = {
        (m.exchange, m.symbol): m
        for r in reports
        if is_at_risk(r.risk.tier)
        for m in r.liquidity.markets
        if m.depth_truncated
    }
    if not truncated:
        return metrics, reports, []
    deeper = {(m.exchange, m.symbol): m for m in await _deepen(services, list(truncated.values()))}
    metrics = [deeper.get((m.exchange, m.symbol), m) for m in metrics]
    return metrics, assess_tokens(services, metrics, supply, mm), list(deeper.values())


async def run_scan(
    services: Services,
    exchanges: Sequence[str] | None = None,
    progress: ScanProgress | None = None,
    store: bool = True,
) -> ScanResult:
    """Scan all active spot markets, assess every home-listed token, store it all (the
    snapshots as they are measured, the rest when the scan is complete)."""
    settings = services.settings
    started = services.clock()
    names = list(exchanges or settings.exchanges)
    scan_id = None
    if store:
        async with services.session() as session:
            scan_id = await repo_scan_store.open_scan(session, settings.market_source, started)
    # Counted at the wire: every HTTP request this scan makes (market lists, tickers, books,
    # re-fetches, retries), and none that a command served meanwhile makes.
    with count_requests() as tally:
        rates = await fetch_usd_rates(services) if settings.home_exchange in names else {}
        rows = SnapshotBatches(services, scan_id, started)
        passes = await asyncio.gather(
            *(scan_exchange(services, n, rates, rows, progress) for n in names)
        )
        metrics = [m for p in passes for m in p.markets]
        metrics, reports, deepened = await assess_markets(services, metrics, started)
    result = ScanResult(
        source=settings.market_source,
        started_at=started,
        finished_at=services.clock(),
        exchanges=_summaries(passes, metrics, tally.by_exchange),
        markets=tuple(metrics),
        tokens=tuple(reports),
        not_assessed=not_listed_on_home(metrics, settings.home_exchange),
        scan_id=scan_id,
    )
    if scan_id is not None:
        async with services.session() as session:
            await finish_scan_in(session, services, result, deepened)
    return result


async def finish_scan_in(
    session: AsyncSession,
    services: Services,
    result: ScanResult,
    deepened: Sequence[MarketMetrics] = (),
) -> bool:
    """Complete the stored scan ``result.scan_id`` in the caller's transaction: the markets
    measured again replace their snapshots, every snapshot is stamped ``finished_at`` and
    becomes the latest of its market, then the assessments and market-maker checks.

    False, with nothing written, when the scan is finished already: its assessments and checks
    were committed with it, so a retry never stores them twice."""
    assert result.scan_id is not None
    finished = await repo_scan_store.finish_scan(
        session,
        result.scan_id,
        result.finished_at,
        _summary_json(result),
        len(result.markets),
        sum(1 for m in result.markets if m.ok),
        remeasured=deepened,
    )
    if finished:
        await _store_assessment(session, services, result, result.scan_id)
    return finished


async def store_scan_result(services: Services, result: ScanResult) -> int:
    """Markets, snapshots, assessments and the market-maker checks of one scan, in one
    transaction; the scan's id."""
    async with services.session() as session:
        return await store_scan_in(session, services, result)


def _summary_json(result: ScanResult) -> dict[str, dict[str, object]]:
    return {
        s.exchange: {
            "markets": s.markets,
            "ok": s.ok,
            "errors": s.errors,
            "requests": s.requests,
            "error": s.error,
        }
        for s in result.exchanges
    }


async def _store_assessment(
    session: AsyncSession, services: Services, result: ScanResult, scan_id: int
) -> None:
    await repo_assessment.store_assessments(
        session, scan_id, result.finished_at, [(t.liquidity, t.risk) for t in result.tokens]
    )
    await record_checks(session, services, result.finished_at, [t.liquidity for t in result.tokens])


async def store_scan_in(session: AsyncSession, services: Services, result: ScanResult) -> int:
    """``store_scan_result`` in the caller's transaction (a batch of scans in one): a scan
    made without storing (``run_scan(store=False)``, the demo history), stored whole."""
    scan_id = await repo_market.store_scan(
        session,
        result.source,
        result.started_at,
        result.finished_at,
        _summary_json(result),
        result.markets,
        result.finished_at,
    )
    await _store_assessment(session, services, result, scan_id)
    return scan_id
