"""One token's markets on one exchange for `/liquidity`, in one round trip, shared by every answer.

A token needs its order books and the exchange's 24h tickers. Both go out together: a book does
not wait for the bulk ticker request, nor the ticker request for the books. While the market list
is not loaded yet (``liqbot serve`` starts loading it at start) they go out with it, through the
exchange's scout (``scout.py``): a cold answer costs one round trip too, and what the scout got
under a market id that turns out wrong is fetched again once the list is there. Concurrent
answers share:

- one snapshot per (exchange, token, extra symbols) while it is in flight;
- one order book per (exchange, symbol, depth) while it is in flight, so two tokens that need the
  same USD-rate pair, or `/liquidity PEPE` next to `/liquidity PEPE okx`, fetch it once;
- one bulk ticker request per exchange, in flight or younger than the caller's ``max_age_s``
  (a failed one is not reused).

Scans do not come through here: they fetch every book themselves, with fresh tickers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.market.scout import Scouting
from bot.market.session import count_requests
from bot.single_flight import SingleFlight

TokenKey = tuple[str, str, frozenset[str]]


class Source(Protocol):
    """What the flights need from the gateway."""

    async def markets(self, exchange: str) -> list[MarketRef]: ...

    async def fetch_tickers(self, exchange: str) -> dict[str, Ticker]: ...

    async def fetch_order_book(self, ref: MarketRef, limit: int | None = None) -> OrderBook: ...

    def scout(self, exchange: str, base: str, also: frozenset[str]) -> Scouting | None: ...


class TokenFlights:
    """The shared fetches of one gateway (see the module docstring)."""

    def __init__(self, source: Source, clock: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._clock = clock
        self._snapshots: SingleFlight[TokenKey, ExchangeSnapshot | None] = SingleFlight()
        self._books: SingleFlight[tuple[str, str], OrderBook] = SingleFlight()
        self._tickers: dict[str, tuple[float, asyncio.Future[dict[str, Ticker]]]] = {}

    def tickers(self, exchange: str, max_age_s: float) -> Awaitable[dict[str, Ticker]]:
        """The exchange's bulk tickers: the fetch in flight or younger than ``max_age_s`` (and
        not failed), else a new one. Shielded: a caller that gives up leaves it running."""
        now = self._clock()
        shared = self._tickers.get(exchange)
        if shared is not None:
            started, task = shared
            failed = task.done() and (task.cancelled() or task.exception() is not None)
            if now - started <= max_age_s and not failed:
                return asyncio.shield(task)
        task = asyncio.ensure_future(self._source.fetch_tickers(exchange))
        self._tickers[exchange] = (now, task)
        return asyncio.shield(task)

    async def book(
        self, ref: MarketRef, scouting: Scouting | None = None
    ) -> OrderBook | MarketDataError:
        """``ref``'s order book at ORDERBOOK_LIMIT: the one ``scouting`` got under its real
        market id, else the fetch in flight or a new one; the error instead of raising."""
        if scouting is not None and (scouted := await scouting.book(ref)) is not None:
            return scouted
        task = self._books.run(
            (ref.exchange, ref.symbol), lambda: self._source.fetch_order_book(ref)
        )
        try:
            return await asyncio.shield(task)
        except MarketDataError as error:
            return error

    def snapshot(
        self, exchange: str, base: str, also: frozenset[str], tickers_max_age_s: float
    ) -> asyncio.Future[ExchangeSnapshot | None]:
        """Token ``base``'s markets on ``exchange`` plus the ``also`` symbols, with their books
        and the tickers; None when the exchange lists no market of ``base``. Raises the
        ``MarketDataError`` of the market list; a failed ticker request is the snapshot's
        ``error``, a failed book that market's entry. Await it through ``asyncio.shield``."""
        return self._snapshots.run(
            (exchange, base, also), lambda: self._fetch(exchange, base, also, tickers_max_age_s)
        )

    async def _fetch(
        self, exchange: str, base: str, also: frozenset[str], tickers_max_age_s: float
    ) -> ExchangeSnapshot | None:
        started_at = datetime.now(UTC)
        with count_requests() as tally:
            scouting = self._source.scout(exchange, base, also)  # None once the list is loaded
            listed = await self._source.markets(exchange)
            if not any(ref.base == base for ref in listed):
                return None
            refs = [ref for ref in listed if ref.base == base or ref.symbol in also]
            # Books first: they are what the answer waits on; the ticker request may be shared.
            books = [asyncio.ensure_future(self.book(ref, scouting)) for ref in refs]
            try:
                tickers = await scouting.tickers(refs) if scouting is not None else None
                if tickers is None:  # not scouted, or not under the real market ids
                    tickers = await self.tickers(exchange, tickers_max_age_s)
            except MarketDataError as error:
                for pending in books:
                    pending.cancel()  # this answer's wait only: the shared fetches go on
                return _snapshot(exchange, [], {}, [], tally.get(exchange), error, started_at)
            fetched = await asyncio.gather(*books)
        return _snapshot(exchange, refs, tickers, fetched, tally.get(exchange), None, started_at)


def _snapshot(
    exchange: str,
    refs: list[MarketRef],
    tickers: dict[str, Ticker],
    books: list[OrderBook | MarketDataError],
    requests: int,
    error: MarketDataError | None,
    started_at: datetime,
) -> ExchangeSnapshot:
    return ExchangeSnapshot(
        exchange=exchange,
        markets=refs,
        tickers={ref.symbol: tickers[ref.symbol] for ref in refs if ref.symbol in tickers},
        books={ref.symbol: book for ref, book in zip(refs, books, strict=True)},
        requests=requests,
        error=error,
        started_at=started_at,
        finished_at=datetime.now(UTC),
    )
