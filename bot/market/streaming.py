"""A pass over one exchange's markets that keeps no order book (``MarketGateway.stream_exchange``):
markets and tickers first, then each market's book handed on as soon as it arrives, by a fixed
pool of workers, so a scan's memory does not grow with the number of markets."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.errors import MarketDataError
from bot.market.results import ExchangeSnapshot
from bot.market.session import count_requests

if TYPE_CHECKING:
    from bot.market.gateway import MarketGateway

StreamMarket = Callable[[MarketRef, OrderBook | MarketDataError, Ticker | None], Awaitable[None]]


async def stream_exchange(
    gateway: MarketGateway,
    exchange: str,
    on_market: StreamMarket,
    symbols: Collection[str] | None = None,
    tickers_max_age_s: float = 0.0,
) -> ExchangeSnapshot:
    """See ``MarketGateway.stream_exchange``."""
    name = exchange.lower()  # as the gateway keys its venues (an unknown one raises below)
    started_at = datetime.now(UTC)
    markets: list[MarketRef] = []
    tickers: dict[str, Ticker] = {}
    error: MarketDataError | None = None
    with count_requests() as tally:
        try:
            markets = await gateway.markets(exchange)
            if symbols is not None:
                markets = [ref for ref in markets if ref.symbol in symbols]
            tickers = (
                await gateway.shared_tickers(exchange, tickers_max_age_s)
                if tickers_max_age_s > 0
                else await gateway.fetch_tickers(exchange)
            )
        except MarketDataError as exc:
            error, markets = exc, []
        else:
            # A fixed pool of workers, not a task per market: memory flat in the markets.
            queue = iter(markets)

            async def one(ref: MarketRef) -> None:
                # Its own frame: the book is released once handed on, not kept by the worker
                # while it waits for its next book (64 workers per exchange, each holding one).
                try:
                    result: OrderBook | MarketDataError = await gateway.fetch_order_book(ref)
                except MarketDataError as exc:
                    result = exc
                await on_market(ref, result, tickers.get(ref.symbol))

            async def worker() -> None:
                for ref in queue:
                    await one(ref)

            await asyncio.gather(*(worker() for _ in range(min(gateway.concurrency, len(markets)))))
    return ExchangeSnapshot(
        exchange=name,
        markets=markets,
        tickers=tickers,
        books={},
        requests=tally.get(name),
        error=error,
        started_at=started_at,
        finished_at=datetime.now(UTC),
    )
