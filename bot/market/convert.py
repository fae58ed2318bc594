"""ccxt's unified structures (plain dicts) → liqbot's frozen domain dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.domain.models import Level, MarketRef, OrderBook, Ticker


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def to_market_ref(exchange: str, market: Mapping[str, Any]) -> MarketRef | None:
    """A MarketRef for an active spot market; None for derivatives and halted markets.

    ccxt reports ``active`` as None when the exchange does not say; that counts as active.
    """
    if not market.get("spot") or market.get("active") is False:
        return None
    return MarketRef(
        exchange=exchange,
        symbol=str(market["symbol"]),
        base=str(market["base"]),
        quote=str(market["quote"]),
        active=True,
    )


def to_ticker(exchange: str, symbol: str, ticker: Mapping[str, Any]) -> Ticker:
    """24h figures: ``quote_volume`` in quote currency, ``base_volume`` in base tokens."""
    return Ticker(
        exchange=exchange,
        symbol=symbol,
        last=_number(ticker.get("last")),
        base_volume=_number(ticker.get("baseVolume")),
        quote_volume=_number(ticker.get("quoteVolume")),
    )


def _levels(side: Iterable[Any]) -> tuple[Level, ...]:
    # ccxt levels are [price, amount] (okx adds order counts); keep the first two numbers.
    return tuple((float(level[0]), float(level[1])) for level in side)


def to_order_book(
    exchange: str, symbol: str, book: Mapping[str, Any], limit: int | None
) -> OrderBook:
    """Bids best-first, asks best-first, as ccxt sorts them; ``limit`` = depth requested."""
    timestamp = book.get("timestamp")
    return OrderBook(
        exchange=exchange,
        symbol=symbol,
        bids=_levels(book["bids"]),
        asks=_levels(book["asks"]),
        limit=limit,
        timestamp_ms=int(timestamp) if timestamp is not None else None,
    )
