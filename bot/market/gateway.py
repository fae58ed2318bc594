"""MarketGateway: liqbot's one door to exchange market data (SPEC section 5).

One long-lived ccxt async client per exchange, spot markets only, markets cached and refreshed
after ``markets_ttl_s``. Every request goes through ccxt's throttler (live, or replay with
latency), so an exchange is never driven beyond its own rate limit however many callers share the
gateway, and through ``GuardedSession`` underneath ccxt, which counts requests and holds all of
the exchange's traffic while it is paused after a 418/429. ccxt's exceptions come out as the
tree in ``errors.py``; temporary ones are retried a bounded number of times. Nothing here raises
for one market's failure: a snapshot reports it and goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.convert import to_market_ref, to_order_book, to_ticker
from bot.market.demo import DEMO_BANNER
from bot.market.error_map import map_exception
from bot.market.errors import MarketDataError, RateLimited
from bot.market.exchanges import (
    RequestKind,
    build_exchange,
    choose_order_book_limit,
    deeper_order_book_limit,
    request_cost,
    trim_market_lists,
)
from bot.market.results import ExchangeSnapshot, ExchangeStatus
from bot.market.scout import Scout, Scouting
from bot.market.session import ExchangeGuard, GuardedSession, SessionLike
from bot.market.sources import check_source, is_replay, transport_factory
from bot.market.streaming import StreamMarket, stream_exchange
from bot.market.throttle import BurstThrottle
from bot.market.token_flights import TokenFlights

T = TypeVar("T")
__all__ = ["ExchangeSnapshot", "ExchangeStatus", "MarketGateway", "OnMarket", "StreamMarket"]

OnMarket = Callable[[MarketRef, OrderBook | MarketDataError], None]


@dataclass
class _Venue:
    exchange: str
    client: Any  # ccxt.async_support.Exchange
    session: GuardedSession
    markets_lock: asyncio.Lock
    scout: Scout
    markets_loaded: bool = False
    markets_refresh_at: float = 0.0  # time.monotonic() when the market list is due a reload
    last_error: MarketDataError | None = None

    @property
    def guard(self) -> ExchangeGuard:
        return self.session.guard

    def listed_id(self, symbol: str) -> str | None:
        """The market id of ``symbol`` when it is an active spot market of the loaded list."""
        market = (self.client.markets or {}).get(symbol)
        if not market or not market.get("spot") or market.get("active") is False:
            return None
        return str(market["id"])


class MarketGateway:
    """Market data for the configured exchanges from ``source``: "live", "demo" or "replay:DIR"."""

    def __init__(
        self,
        exchanges: list[str],
        source: str,
        quote_assets: list[str],
        orderbook_limit: int = 100,
        replay_latency_ms: float = 0,
        *,
        markets_ttl_s: float = 3600,
        max_retries: int = 2,
        retry_backoff_s: float = 0.5,
        default_pause_s: float = 5.0,
        concurrency: int = 64,
        rate_limit: bool | None = None,
        transport: Callable[[str], SessionLike] | None = None,
        budget_share: int = 1,
    ) -> None:
        self.source = check_source(source)
        self.quote_assets = frozenset(q.upper() for q in quote_assets)
        self._quote_order = list(dict.fromkeys(q.upper() for q in quote_assets))
        self.orderbook_limit = orderbook_limit
        self.replay_latency_ms = replay_latency_ms
        self.markets_ttl_s = markets_ttl_s
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        self.concurrency = concurrency
        # Replay without latency runs unthrottled so tests and the demo are instant; with latency
        # the throttler is on so a replayed scan takes as long as the real budget allows.
        if rate_limit is None:
            rate_limit = not is_replay(source) or replay_latency_ms > 0
        self.rate_limited = rate_limit
        self._owns_network = transport is None and not is_replay(source)
        self._venues: dict[str, _Venue] = {}
        for exchange in dict.fromkeys(e.lower() for e in exchanges):
            guard = ExchangeGuard(exchange, default_pause_s)
            if transport is None:
                make = transport_factory(self.source, exchange, replay_latency_ms)
            else:
                make = functools.partial(transport, exchange)
            session = GuardedSession(guard, make)
            client = build_exchange(exchange, session, self.rate_limited, budget_share)
            client.timeout_on_exit = 0  # we close the transports ourselves, see close()
            trim_market_lists(client, self.quote_assets)
            scout = Scout(exchange, client, session, self.rate_limited)
            self._venues[exchange] = _Venue(exchange, client, session, asyncio.Lock(), scout)
        self._flights = TokenFlights(self)

    @classmethod
    def from_settings(cls, settings: Any) -> MarketGateway:
        """Build from ``bot.settings.Settings`` (EXCHANGES, MARKET_SOURCE, QUOTE_ASSETS, …)."""
        return cls(
            exchanges=list(settings.exchanges),
            source=settings.market_source,
            quote_assets=list(settings.quote_assets),
            orderbook_limit=int(settings.orderbook_limit),
            replay_latency_ms=float(settings.replay_latency_ms),
            budget_share=int(settings.replicas_per_ip),
        )

    @property
    def exchanges(self) -> list[str]:
        return list(self._venues)

    @property
    def banner(self) -> str | None:
        """The DEMO DATA banner every output must show when reading the bundled demo."""
        return DEMO_BANNER if self.source == "demo" else None

    def paused_for(self, exchange: str) -> float:
        """Seconds left in ``exchange``'s pause after a 418/429 (0 when it takes requests)."""
        return self._venue(exchange).guard.paused_for

    def _venue(self, exchange: str) -> _Venue:
        try:
            return self._venues[exchange.lower()]
        except KeyError:
            raise ValueError(f"exchange {exchange!r} is not configured") from None

    async def _call(self, venue: _Venue, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one exchange operation; retry temporary failures; raise MarketDataError only."""
        attempt = 0
        while True:
            try:
                return await operation()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                error = map_exception(exc, venue.exchange, venue.guard.last_retry_after)
                error.__cause__ = exc
            venue.last_error = error
            if not error.retryable or attempt >= self.max_retries:
                raise error
            if isinstance(error, RateLimited):
                # A 418/429 already paused the exchange at the wire; a DDoS code in a 200 body
                # did not, so pause here. The retry then waits at the guard with everyone else.
                if venue.guard.paused_for == 0:
                    venue.guard.pause(error.retry_after)
            else:
                await asyncio.sleep(self.retry_backoff_s * 2**attempt)
            attempt += 1

    async def _ensure_markets(self, venue: _Venue) -> None:
        async with venue.markets_lock:
            reload = venue.markets_loaded
            if reload and time.monotonic() < venue.markets_refresh_at:
                return
            try:
                await self._call(venue, lambda: venue.client.load_markets(reload))
            except MarketDataError:
                if not reload:
                    venue.scout.forget()  # the next cold answer scouts afresh
                    raise
                # Keep serving the previous market list. Try again in a minute, not on each of
                # the next thousand order-book calls that come through here.
                venue.markets_refresh_at = time.monotonic() + min(self.markets_ttl_s, 60.0)
                return
            venue.markets_loaded = True
            venue.scout.forget()
            venue.markets_refresh_at = time.monotonic() + self.markets_ttl_s

    async def markets(self, exchange: str) -> list[MarketRef]:
        """Active spot markets of ``exchange`` whose quote is one of QUOTE_ASSETS, by symbol."""
        venue = self._venue(exchange)
        await self._ensure_markets(venue)
        refs = (to_market_ref(venue.exchange, m) for m in venue.client.markets.values())
        return sorted(
            (r for r in refs if r is not None and r.quote in self.quote_assets),
            key=lambda r: r.symbol,
        )

    async def fetch_tickers(self, exchange: str) -> dict[str, Ticker]:
        """24h tickers of every spot market of ``exchange``, by symbol (one bulk request if
        the exchange has one)."""
        venue = self._venue(exchange)
        await self._ensure_markets(venue)
        client = venue.client
        if client.has.get("fetchTickers"):
            raw: dict[str, Any] = await self._call(venue, lambda: client.fetch_tickers())
        else:
            raw = await self._tickers_one_by_one(venue, await self.markets(exchange))
        spot = {s for s, m in client.markets.items() if m.get("spot")}
        return {s: to_ticker(venue.exchange, s, t) for s, t in raw.items() if s in spot}

    async def shared_tickers(self, exchange: str, max_age_s: float) -> dict[str, Ticker]:
        """``fetch_tickers`` shared by concurrent callers: a fetch in flight or younger than
        ``max_age_s`` is reused (a failed one is not). For `/liquidity` bursts; scans fetch
        fresh."""
        self._venue(exchange)  # an unknown exchange is refused here, not in a shared task
        return await self._flights.tickers(exchange.lower(), max_age_s)

    async def _tickers_one_by_one(self, venue: _Venue, refs: list[MarketRef]) -> dict[str, Any]:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(symbol: str) -> tuple[str, Any]:
            async with gate:
                try:
                    return symbol, await self._call(
                        venue, lambda: venue.client.fetch_ticker(symbol)
                    )
                except MarketDataError:
                    return symbol, None

        pairs = await asyncio.gather(*(one(r.symbol) for r in refs))
        return {s: t for s, t in pairs if t is not None}

    async def fetch_order_book(self, ref: MarketRef, limit: int | None = None) -> OrderBook:
        """The order book of ``ref`` with at least ``limit`` levels per side where the exchange
        allows it (default ORDERBOOK_LIMIT). ``OrderBook.limit`` is the depth sent to the
        exchange, so a side with that many levels may continue beyond what we see."""
        venue = self._venue(ref.exchange)
        await self._ensure_markets(venue)
        depth = choose_order_book_limit(venue.exchange, limit or self.orderbook_limit)

        async def fetch() -> OrderBook:
            raw = await venue.client.fetch_order_book(ref.symbol, depth)
            return to_order_book(venue.exchange, ref.symbol, raw, depth)

        return await self._call(venue, fetch)

    def book_depth(self, exchange: str, limit: int | None = None) -> int:
        """The depth a book of ``exchange`` is fetched with for ``limit`` (ORDERBOOK_LIMIT)."""
        return choose_order_book_limit(exchange.lower(), limit or self.orderbook_limit)

    def deeper_limit(self, exchange: str, limit: int) -> int | None:
        """The next depth worth re-fetching a truncated book with, or None at the exchange's max."""
        return deeper_order_book_limit(exchange.lower(), limit)

    async def snapshot_exchange(
        self,
        exchange: str,
        on_market: OnMarket | None = None,
        symbols: Collection[str] | None = None,
        tickers_max_age_s: float = 0.0,
    ) -> ExchangeSnapshot:
        """Markets + tickers, then every market's order book concurrently, paced by ccxt's
        throttler. ``symbols`` restricts the pass to those markets; ``tickers_max_age_s`` > 0
        lets it reuse a recent bulk ticker fetch (see ``shared_tickers``). Never raises for the
        exchange's or a market's failure."""
        books: dict[str, OrderBook | MarketDataError] = {}

        async def keep(ref: MarketRef, result: OrderBook | MarketDataError, _: Any) -> None:
            books[ref.symbol] = result
            if on_market is not None:
                on_market(ref, result)

        snapshot = await self.stream_exchange(exchange, keep, symbols, tickers_max_age_s)
        ordered = {ref.symbol: books[ref.symbol] for ref in snapshot.markets if ref.symbol in books}
        return dataclasses.replace(snapshot, books=ordered)

    async def stream_exchange(
        self,
        exchange: str,
        on_market: StreamMarket,
        symbols: Collection[str] | None = None,
        tickers_max_age_s: float = 0.0,
    ) -> ExchangeSnapshot:
        """``snapshot_exchange`` that keeps no book: each market's book (or error) is handed to
        ``on_market`` with the market's ticker as soon as it arrives, and the snapshot returned
        has markets and tickers but no books. What a scan uses, so its memory does not grow with
        the number of markets."""
        return await stream_exchange(self, exchange, on_market, symbols, tickers_max_age_s)

    def token_snapshot(
        self,
        exchange: str,
        base: str,
        also: frozenset[str] = frozenset(),
        tickers_max_age_s: float = 0,
    ) -> asyncio.Future[ExchangeSnapshot | None]:
        """Token ``base``'s markets on ``exchange`` (plus the ``also`` symbols, e.g. USD rate
        pairs) with books and tickers in one round trip once the market list is loaded, shared
        by every concurrent caller (``token_flights``); resolves to None when the exchange lists
        no market of ``base``. Await it through ``asyncio.shield`` (or ``wait_for`` of a shield):
        giving up leaves the fetch running."""
        self._venue(exchange)
        return self._flights.snapshot(exchange.lower(), base, also, tickers_max_age_s)

    def scout(self, exchange: str, base: str, also: frozenset[str]) -> Scouting | None:
        """While ``exchange``'s market list is not loaded: ask for token ``base``'s books (one
        per QUOTE_ASSETS pair, plus the ``also`` symbols) and the bulk tickers now, through the
        exchange's scout (``scout.py``), to be read once the list is there. None once it is."""
        venue = self._venue(exchange)
        if venue.markets_loaded:
            return None
        symbols = [f"{base}/{quote}" for quote in self._quote_order] + sorted(also)
        depth = choose_order_book_limit(venue.exchange, self.orderbook_limit)
        return venue.scout.start(symbols, depth, venue.listed_id)

    async def snapshot_all(self, on_market: OnMarket | None = None) -> list[ExchangeSnapshot]:
        """``snapshot_exchange`` for every configured exchange at once, each at its own pace."""
        return list(
            await asyncio.gather(*(self.snapshot_exchange(e, on_market) for e in self._venues))
        )

    def request_cost(self, exchange: str, kind: RequestKind, limit: int | None = None) -> float:
        """ccxt's throttler cost of one request, in units of ``rate_limit_ms(exchange)``."""
        venue = self._venue(exchange)
        depth = None
        if kind == "order_book":
            depth = choose_order_book_limit(venue.exchange, limit or self.orderbook_limit)
        return request_cost(venue.client, kind, depth)

    def rate_limit_ms(self, exchange: str) -> float:
        """Milliseconds the throttler spends per cost unit: ccxt's ``rateLimit``, or a little
        more where a burst must fit in the exchange's window (``throttle.BUDGETS``)."""
        client = self._venue(exchange).client
        if isinstance(client.throttler, BurstThrottle):
            return client.throttler.ms_per_unit
        return float(client.rateLimit)

    def burst_units(self, exchange: str) -> float:
        """Cost units the throttler lets go at once after a quiet spell (1 without throttling)."""
        throttler = self._venue(exchange).client.throttler
        return throttler.burst_units if isinstance(throttler, BurstThrottle) else 1.0

    def status(self) -> dict[str, ExchangeStatus]:
        """Per exchange: pause window, last error and request count since start."""
        now = datetime.now(UTC)
        result = {}
        for name, venue in self._venues.items():
            left = venue.guard.paused_for
            result[name] = ExchangeStatus(
                exchange=name,
                paused_until=now + timedelta(seconds=left) if left > 0 else None,
                last_error=str(venue.last_error) if venue.last_error else None,
                requests=venue.guard.requests,
                pauses=venue.guard.pauses,
            )
        return result

    async def close(self) -> None:
        """Close every ccxt client and transport; the gateway is unusable afterwards."""
        for venue in self._venues.values():
            await venue.scout.close()
            await venue.client.close()
            await venue.session.close()
        if self._owns_network:
            await asyncio.sleep(0.25)  # let aiohttp finish closing TLS connections (aiohttp docs)
