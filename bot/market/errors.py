"""liqbot's own market-data errors: what the rest of the bot catches instead of ccxt's classes.

::

    MarketDataError
     ├── ExchangeUnavailable    temporary: network error, timeout, 5xx, maintenance (retryable)
     │    └── RateLimited        418/429/DDoS; .retry_after seconds | None
     │                           (retryable; pauses the whole exchange)
     ├── UnknownSymbol           the exchange does not list the market / bad symbol
     ├── BadResponse             malformed JSON / unparsable payload
     ├── NotRecorded             replay: the request is not in the cassette (message has the URL)
     └── ExchangeError           any other permanent error

Every error carries ``.exchange`` (the ccxt id) and a one-line message that never contains a
secret: messages are built from the exchange id, the public URL and a shortened reason. This
module imports nothing from ccxt, so Slack commands and jobs may catch these classes freely.
"""

from __future__ import annotations

from bot.errors import redact

_MAX_MESSAGE = 240


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Collapse whitespace, blank out secrets (``bot.errors.redact``: credential-looking values,
    URL passwords, Slack tokens) and cut to ``limit`` characters."""
    flat = redact(" ".join(str(text).split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MarketDataError(Exception):
    """Base class: one exchange could not give us the market data we asked for."""

    retryable = False

    def __init__(self, exchange: str, message: str) -> None:
        self.exchange = exchange
        self.message = one_line(message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.exchange!r}, {self.message!r})"


class ExchangeUnavailable(MarketDataError):
    """Temporary: network error, timeout, HTTP 5xx or maintenance. Worth retrying."""

    retryable = True


class RateLimited(ExchangeUnavailable):
    """The exchange answered 418/429 or its DDoS protection fired; ``retry_after`` is in seconds."""

    def __init__(self, exchange: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(exchange, message)
        self.retry_after = retry_after


class UnknownSymbol(MarketDataError):
    """The exchange does not list this market (delisted, mistyped or not a spot market)."""


class BadResponse(MarketDataError):
    """The exchange answered, but the payload could not be parsed (malformed JSON, odd shape)."""


class NotRecorded(MarketDataError):
    """Replay only: the cassette holds no response for this request; the message names the URL."""

    def __init__(self, exchange: str, method: str, url: str) -> None:
        super().__init__(exchange, f"{exchange}: not in the cassette: {method.upper()} {url}")
        self.url = url


class ExchangeError(MarketDataError):
    """Any other permanent error reported by the exchange or by ccxt."""
