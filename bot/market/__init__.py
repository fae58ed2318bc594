"""Market data: the ccxt gateway, cassette record/replay and the bundled demo (SPEC section 5).

The only package that imports ccxt. Import the gateway from ``bot.market.gateway``; this module
re-exports only what is free of ccxt (the error tree and the demo banner), so callers that merely
catch ``MarketDataError`` do not pull ccxt in.
"""

from bot.market.demo import DEMO_BANNER
from bot.market.errors import (
    BadResponse,
    ExchangeError,
    ExchangeUnavailable,
    MarketDataError,
    NotRecorded,
    RateLimited,
    UnknownSymbol,
)

__all__ = [
    "DEMO_BANNER",
    "BadResponse",
    "ExchangeError",
    "ExchangeUnavailable",
    "MarketDataError",
    "NotRecorded",
    "RateLimited",
    "UnknownSymbol",
]
