"""ccxt's exception hierarchy (and the odd parser crash) → liqbot's tree in ``errors.py``."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import ccxt

from bot.market.errors import (
    BadResponse,
    ExchangeError,
    ExchangeUnavailable,
    MarketDataError,
    RateLimited,
    UnknownSymbol,
    one_line,
)

# A parser choking on an unexpected payload (text where JSON was expected, a missing field)
# surfaces as one of these from ccxt's parse_* methods.
_PARSE_FAILURES = (
    json.JSONDecodeError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
)


def _reason(exc: BaseException, exchange: str) -> str:
    text = one_line(str(exc) or type(exc).__name__)
    # ccxt prefixes its messages with the exchange id; ours add it once, in front.
    return text.removeprefix(exchange).strip() or type(exc).__name__


def map_exception(
    exc: BaseException, exchange: str, retry_after: float | None = None
) -> MarketDataError:
    """Translate any exception raised while talking to ``exchange`` into a ``MarketDataError``."""
    if isinstance(exc, MarketDataError):
        return exc
    reason = _reason(exc, exchange)
    if isinstance(exc, ccxt.DDoSProtection | ccxt.RateLimitExceeded):
        wait = f", retry after {retry_after:g} s" if retry_after is not None else ""
        return RateLimited(exchange, f"{exchange}: rate limited{wait}: {reason}", retry_after)
    if isinstance(exc, ccxt.RequestTimeout | asyncio.TimeoutError):
        return ExchangeUnavailable(exchange, f"{exchange}: request timed out: {reason}")
    if isinstance(exc, ccxt.NetworkError | aiohttp.ClientError | ConnectionError):
        return ExchangeUnavailable(exchange, f"{exchange}: unavailable: {reason}")
    if isinstance(exc, ccxt.BadSymbol):
        return UnknownSymbol(exchange, f"{exchange}: unknown market: {reason}")
    if isinstance(exc, ccxt.BadResponse):
        return BadResponse(exchange, f"{exchange}: unparsable response: {reason}")
    if isinstance(exc, ccxt.BaseError):
        return ExchangeError(exchange, f"{exchange}: {type(exc).__name__}: {reason}")
    if isinstance(exc, _PARSE_FAILURES):
        return BadResponse(exchange, f"{exchange}: unparsable response: {reason}")
    return ExchangeError(exchange, f"{exchange}: {type(exc).__name__}: {reason}")
