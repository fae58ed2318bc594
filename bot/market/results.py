"""What one pass over an exchange returns, and how the gateway sees an exchange's health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.errors import MarketDataError


@dataclass(frozen=True)
class ExchangeSnapshot:
    """One pass over an exchange: its markets, 24h tickers and one order book per market.

    ``books`` maps each market's symbol to its book or to the error that market got. ``error`` is
    set (and ``books`` empty) when the exchange itself could not be read (markets or tickers).
    ``requests`` counts the HTTP requests this pass sent to the exchange (the market list when it
    had to be loaded, and retries, included; other callers' requests meanwhile excluded).
    """

    exchange: str
    markets: list[MarketRef]
    tickers: dict[str, Ticker]
    books: dict[str, OrderBook | MarketDataError]
    requests: int
    error: MarketDataError | None
    started_at: datetime
    finished_at: datetime

    @property
    def failed_markets(self) -> dict[str, MarketDataError]:
        return {s: b for s, b in self.books.items() if isinstance(b, MarketDataError)}


@dataclass(frozen=True)
class ExchangeStatus:
    """Health of one exchange as the gateway sees it (for /healthz and the scan report)."""

    exchange: str
    paused_until: datetime | None  # UTC; None when not paused
    last_error: str | None
    requests: int
    pauses: int
