"""One exchange's pass of a scan, streamed: each order book is measured the moment it arrives
and dropped, and the figures go to the database in batches while the pass runs.

A scan's memory therefore stays flat in the number of markets: what is held is one batch of
snapshot rows, the books in flight (at most the gateway's concurrency) and each market's figures
(``MarketMetrics``, a few hundred bytes, which the assessment and the scan document need), never
every book of every venue. The deeper re-fetch of truncated at-risk books (``bot.usecases.scan``)
fetches them again instead of keeping them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.db import repo_scan_store
from bot.domain.metrics import STABLE_QUOTES, compute_market_metrics, error_metrics, usd_per_quote
from bot.domain.models import MarketMetrics, MarketRef, OrderBook, Ticker
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.market.session import count_requests
from bot.usecases.services import Services

BATCH = 250
"""Snapshot rows per database write while a pass runs."""


class ScanProgress(Protocol):
    def exchange_started(self, exchange: str, markets: int) -> None: ...
    def market_done(self, exchange: str) -> None: ...


@dataclass(frozen=True)
class ExchangePass:
    """What one exchange's pass measured (its rows are stored already when a scan id was given)."""

    exchange: str
    markets: list[MarketMetrics]
    requests: int  # HTTP requests of this pass, the market list included
    error: str | None  # the venue could not be read at all (markets or tickers)


def rate_of(book: OrderBook, exchange: str, quote: str) -> float | None:
    """USD per unit of ``quote`` from the home exchange's ``<QUOTE>/USDT`` book: its mid as SPEC
    4.1 measures it, so a crossed, locked, empty or zero-priced book gives no rate."""
    ref = MarketRef(exchange, f"{quote}/USDT", quote, "USDT")
    measured = compute_market_metrics(ref, book, None, 1.0)
    return measured.mid if measured.ok and measured.mid is not None else None


def home_usd_rates(home: ExchangeSnapshot | None, quotes: set[str]) -> dict[str, float]:
    """USD per unit of each non-stable quote asset, from the home snapshot's ``<QUOTE>/USDT``
    books (the markets quoted in an asset without a rate then have no USD figures)."""
    rates: dict[str, float] = {}
    if home is None:
        return rates
    for quote in set(quotes) - STABLE_QUOTES:
        book = home.books.get(f"{quote}/USDT")
        if isinstance(book, OrderBook) and (rate := rate_of(book, home.exchange, quote)):
            rates[quote] = rate
    return rates


async def fetch_usd_rates(services: Services) -> dict[str, float]:
    """``home_usd_rates`` for the non-stable QUOTE_ASSETS, fetching just those books from the
    home exchange (no request at all with stablecoin quotes only, the default)."""
    home = services.settings.home_exchange
    wanted = {q.upper() for q in services.settings.quote_assets} - STABLE_QUOTES
    if not wanted:
        return {}
    try:
        listed = {ref.symbol: ref for ref in await services.gateway.markets(home)}
    except MarketDataError:
        return {}
    rates: dict[str, float] = {}
    for quote in sorted(wanted):
        ref = listed.get(f"{quote}/USDT")
        try:
            book = await services.gateway.fetch_order_book(ref) if ref else None
        except MarketDataError:
            continue
        if book is not None and (rate := rate_of(book, home, quote)):
            rates[quote] = rate
    return rates


def measure_book(
    ref: MarketRef,
    fetched: OrderBook | MarketDataError | None,
    ticker: Ticker | None,
    rates: dict[str, float],
) -> MarketMetrics:
    """SPEC 4.1 figures of one market; a failed fetch is an error row keeping the ticker's
    volume."""
    rate = usd_per_quote(ref.quote, rates)
    if isinstance(fetched, OrderBook):
        return compute_market_metrics(ref, fetched, ticker, rate)
    reason = str(fetched) if isinstance(fetched, MarketDataError) else "order book not fetched"
    return error_metrics(ref, reason, ticker, rate)


class SnapshotBatches:
    """Snapshot rows of scan ``scan_id`` written ``BATCH`` at a time, each batch committed on
    its own (``scan_id`` None: nothing is stored, e.g. ``liqbot scan --exchange``)."""

    def __init__(self, services: Services, scan_id: int | None, taken_at: datetime) -> None:
        self.services, self.scan_id, self.taken_at = services, scan_id, taken_at
        self._pending: list[MarketMetrics] = []
        self._lock = asyncio.Lock()

    async def add(self, market: MarketMetrics) -> None:
        self._pending.append(market)
        if len(self._pending) >= BATCH:
            await self.flush()

    async def flush(self) -> None:
        batch, self._pending = self._pending, []
        if self.scan_id is None or not batch:
            return
        async with self._lock, self.services.session() as session:
            await repo_scan_store.store_snapshots(session, self.scan_id, batch, self.taken_at)


async def scan_exchange(
    services: Services,
    exchange: str,
    rates: dict[str, float],
    rows: SnapshotBatches,
    progress: ScanProgress | None = None,
) -> ExchangePass:
    """Every market of ``exchange`` measured as its book arrives and handed to ``rows``."""
    measured: list[MarketMetrics] = []

    async def on_market(
        ref: MarketRef, fetched: OrderBook | MarketDataError, ticker: Ticker | None
    ) -> None:
        market = measure_book(ref, fetched, ticker, rates)
        measured.append(market)
        if progress:
            progress.market_done(exchange)
        await rows.add(market)

    with count_requests() as tally:
        if progress:
            try:  # markets are cached by the gateway, so the pass does not load them twice
                progress.exchange_started(exchange, len(await services.gateway.markets(exchange)))
            except MarketDataError:
                progress.exchange_started(exchange, 0)
        snapshot = await services.gateway.stream_exchange(exchange, on_market)
        await rows.flush()
    order = {ref.symbol: i for i, ref in enumerate(snapshot.markets)}
    measured.sort(key=lambda m: order.get(m.symbol, len(order)))
    error = str(snapshot.error) if snapshot.error else None
    return ExchangePass(exchange, measured, tally.get(exchange), error)
