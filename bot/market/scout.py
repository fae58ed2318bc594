"""Scouting: a cold `/liquidity` answer's books and tickers go out with the market list.

An answer needs the token's order books and the exchange's 24h tickers, and ccxt needs the
exchange's market list before it can name the market ids those requests carry. Right after a
(re)start the list is one round trip away, and asking for the books only once it has arrived
made a cold answer cost two round trips.

So while an exchange's market list is not loaded yet, a second ccxt client of that exchange, the
scout, asks for them at once. It knows only minimal market entries for the symbols an answer
needs (the token against each of QUOTE_ASSETS, plus the answer's extra symbols), with the
market id derived the way the exchange spells spot ids in its ``parse_market`` (binance and
bybit ``ZORBUSDT``: ``symbol`` = base + quote; okx ``ZORB-USDT``: ``instId``). ccxt builds the
requests, prices them and parses the answers exactly as for the main client; the scout talks
through the same ``GuardedSession`` (counted, held while the exchange is paused, books trimmed)
and spends from the same throttle.

When the list has arrived, a scouted result is used only where the id the scout asked for is
the real market's id (``markets()`` lists active spot markets only); anything else is dropped
and fetched the normal way, as is whatever the scout failed to get. The cost: one book request
per QUOTE_ASSETS pair of the token, so a pair the exchange does not list is one wasted request,
in the cold window only (once the list has arrived nothing is scouted).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.domain.models import MarketRef, OrderBook, Ticker
from bot.market.convert import to_order_book, to_ticker
from bot.market.exchanges import build_exchange

logger = logging.getLogger(__name__)

# How each exchange spells a spot market id from its base and quote currency ids.
SPOT_MARKET_IDS: dict[str, str] = {
    "binance": "{base}{quote}",
    "bybit": "{base}{quote}",
    "okx": "{base}-{quote}",
}

ListedId = Callable[[str], str | None]
"""The real market id of an active spot symbol once the market list is loaded, else None."""


@dataclass(frozen=True)
class ScoutedTickers:
    """The bulk tickers as the scout parsed them, and the market id it knew per symbol then."""

    tickers: dict[str, Ticker]
    ids: dict[str, str]


@dataclass(frozen=True)
class _Asked:
    market_id: str
    book: asyncio.Future[OrderBook | None]


class Scouting:
    """What one cold answer scouted on one exchange; read it once the market list is loaded."""

    def __init__(
        self,
        asked: dict[str, _Asked],
        tickers: asyncio.Future[ScoutedTickers | None] | None,
        listed_id: ListedId,
    ) -> None:
        self._asked = asked
        self._tickers = tickers
        self._listed_id = listed_id

    async def book(self, ref: MarketRef) -> OrderBook | None:
        """The scouted book of ``ref``; None when it was not scouted under its real id or the
        scouted request failed (fetch it the normal way)."""
        asked = self._asked.get(ref.symbol)
        if asked is None or asked.market_id != self._listed_id(ref.symbol):
            return None
        return await asyncio.shield(asked.book)

    async def tickers(self, refs: Iterable[MarketRef]) -> dict[str, Ticker] | None:
        """The scouted tickers of ``refs``; None unless every one of them was parsed under its
        real market id (fetch the tickers the normal way)."""
        if self._tickers is None:
            return None
        scouted = await asyncio.shield(self._tickers)
        if scouted is None:
            return None
        refs = list(refs)
        for ref in refs:
            listed = self._listed_id(ref.symbol)
            if listed is None or scouted.ids.get(ref.symbol) != listed:
                return None
        return {r.symbol: scouted.tickers[r.symbol] for r in refs if r.symbol in scouted.tickers}


class Scout:
    """The scout of one exchange (see the module docstring)."""

    def __init__(self, exchange: str, main_client: Any, session: Any, rate_limited: bool) -> None:
        self.exchange = exchange
        self._main_client, self._session, self._rate_limited = main_client, session, rate_limited
        self._client: Any = None  # built at first use: most processes (a scan) never scout
        self._entries: dict[str, dict[str, Any]] = {}
        self._books: dict[tuple[str, int], _Asked] = {}
        self._tickers: asyncio.Future[ScoutedTickers | None] | None = None
        self._tasks: set[asyncio.Future[Any]] = set()

    @property
    def client(self) -> Any:
        """The scout's own ccxt client of the exchange, built when first needed."""
        if self._client is None:
            client = build_exchange(self.exchange, self._session, self._rate_limited)
            client.throttler = self._main_client.throttler  # one request budget for both
            client.timeout_on_exit = 0  # the gateway closes the shared transport
            self._client = client
        return self._client

    def market_id(self, symbol: str) -> str | None:
        """``symbol``'s spot market id as the exchange spells it, or None where it cannot be
        derived (an exchange not in SPOT_MARKET_IDS, a code ccxt renames on this exchange)."""
        spelling = SPOT_MARKET_IDS.get(self.exchange)
        base, _, quote = symbol.partition("/")
        if spelling is None or not base or not quote or base == quote:
            return None
        if any(self.client.safe_currency_code(code) != code for code in (base, quote)):
            return None  # the exchange's id for this code is another word (commonCurrencies)
        return spelling.format(base=base, quote=quote)

    def start(self, symbols: Iterable[str], depth: int, listed_id: ListedId) -> Scouting:
        """Ask for the bulk tickers and the books of ``symbols`` at ``depth`` now, sharing what
        an earlier answer of this cold window already asked for."""
        wanted = {s: i for s in dict.fromkeys(symbols) if (i := self.market_id(s)) is not None}
        if any(self._entries.get(s, {}).get("id") != i for s, i in wanted.items()):
            self._entries.update({s: _market_entry(s, i) for s, i in wanted.items()})
            self.client.set_markets(list(self._entries.values()))
        tickers = self._shared_tickers(wanted)  # first in the throttle's queue: every answer
        asked = {s: self._shared_book(s, i, depth) for s, i in wanted.items()}
        return Scouting(asked, tickers, listed_id)

    def forget(self) -> None:
        """The market list arrived (or failed): answers from now on do not join what was
        scouted; the answers holding a ``Scouting`` still read theirs."""
        self._books.clear()
        self._tickers = None

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.close()

    def _track(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _shared_book(self, symbol: str, market_id: str, depth: int) -> _Asked:
        asked = self._books.get((symbol, depth))
        if asked is None:
            task = asyncio.ensure_future(self._fetch_book(symbol, depth))
            self._track(task)
            asked = self._books[(symbol, depth)] = _Asked(market_id, task)
        return asked

    def _shared_tickers(
        self, wanted: dict[str, str]
    ) -> asyncio.Future[ScoutedTickers | None] | None:
        if not wanted or not self.client.has.get("fetchTickers"):
            return None
        task = self._tickers
        if task is not None and task.done():
            scouted = None if task.cancelled() else task.result()
            if scouted is None or any(scouted.ids.get(s) != i for s, i in wanted.items()):
                task = None  # parsed before these symbols were scouted (or failed): ask again
        if task is None:
            task = self._tickers = asyncio.ensure_future(self._fetch_tickers())
            self._track(task)
        return task

    async def _fetch_book(self, symbol: str, depth: int) -> OrderBook | None:
        try:
            raw = await self.client.fetch_order_book(symbol, depth)
        except Exception as exc:  # a pair not listed, or any failure: the normal path decides
            logger.debug("%s: scouted book of %s dropped: %s", self.exchange, symbol, exc)
            return None
        return to_order_book(self.exchange, symbol, raw, depth)

    async def _fetch_tickers(self) -> ScoutedTickers | None:
        try:
            raw = await self.client.fetch_tickers()
        except Exception as exc:  # the normal path fetches them again and reports the error
            logger.debug("%s: scouted tickers dropped: %s", self.exchange, exc)
            return None
        # Read in the same step as ccxt's parse: the ids the tickers were parsed with.
        ids = {symbol: str(market["id"]) for symbol, market in self.client.markets.items()}
        tickers = {s: to_ticker(self.exchange, s, t) for s, t in raw.items() if s in ids}
        return ScoutedTickers(tickers, ids)


def _market_entry(symbol: str, market_id: str) -> dict[str, Any]:
    """The least ccxt needs to request and parse a spot market's book and ticker."""
    base, quote = symbol.split("/")
    return {
        "id": market_id,
        "symbol": symbol,
        "base": base,
        "quote": quote,
        "baseId": base,
        "quoteId": quote,
        "type": "spot",
        "spot": True,
        "margin": False,
        "swap": False,
        "future": False,
        "option": False,
        "contract": False,
        "active": True,
    }
