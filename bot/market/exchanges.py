"""Per-exchange knowledge: building a spot-only ccxt client, order-book limits, request costs.

Everything here reads ccxt 4.5.90's own figures (``rateLimit`` in ms per cost unit, endpoint
``cost`` in the ``api`` tree, ``calculate_rate_limiter_cost`` for limit-dependent weights), so the
benchmark's rate-limit bound is the one ccxt's throttler actually enforces.
"""

from __future__ import annotations

from typing import Any, Literal

import ccxt.async_support as ccxt_async

from bot.market.throttle import install as install_throttle

RequestKind = Literal["order_book", "tickers", "markets"]

# Order-book depths each exchange accepts on its spot REST endpoint. A tuple is the exact
# allowed set; a (low, high) range is written as ``range``. Sources: the exchanges' API docs and
# ccxt's fetch_order_book (kucoin only serves level2_20 / level2_100 without keys; gate defaults
# to 10 levels when no limit is passed and ccxt caps spot at 1000; okx "books" serves up to 400,
# deeper goes to the heavier "books-full"; bybit spot serves 1..200).
ORDER_BOOK_LIMITS: dict[str, tuple[int, ...] | range] = {
    "binance": (5, 10, 20, 50, 100, 500, 1000, 5000),
    "okx": range(1, 401),
    "bybit": range(1, 201),
    "kucoin": (20, 100),
    "gate": range(1, 1001),
}

# (api path in ccxt's ``api`` tree, HTTP method, endpoint path, base params) per request kind.
_Endpoint = tuple[tuple[str, ...], str, str, dict[str, Any]]
_ENDPOINTS: dict[str, dict[str, _Endpoint]] = {
    "binance": {
        "markets": (("public",), "GET", "exchangeInfo", {}),
        "tickers": (("public",), "GET", "ticker/24hr", {}),
        "order_book": (("public",), "GET", "depth", {"symbol": "BTCUSDT"}),
    },
    "okx": {
        "markets": (("public",), "GET", "public/instruments", {"instType": "SPOT"}),
        "tickers": (("public",), "GET", "market/tickers", {"instType": "SPOT"}),
        "order_book": (("public",), "GET", "market/books", {"instId": "BTC-USDT"}),
    },
    "bybit": {
        "markets": (("public",), "GET", "v5/market/instruments-info", {"category": "spot"}),
        "tickers": (("public",), "GET", "v5/market/tickers", {"category": "spot"}),
        "order_book": (("public",), "GET", "v5/market/orderbook", {"category": "spot"}),
    },
}


def choose_order_book_limit(exchange: str, requested: int) -> int:
    """The smallest depth the exchange accepts that is >= ``requested`` (its maximum if none is)."""
    allowed = ORDER_BOOK_LIMITS.get(exchange)
    if allowed is None:
        return requested
    if isinstance(allowed, range):
        return min(max(requested, allowed.start), allowed.stop - 1)
    return next((depth for depth in allowed if depth >= requested), allowed[-1])


def deeper_order_book_limit(exchange: str, limit: int) -> int | None:
    """The depth to re-fetch a truncated book with (about 5× deeper), or None at the maximum."""
    deeper = choose_order_book_limit(exchange, limit * 5)
    return deeper if deeper > limit else None


def build_exchange(
    exchange: str, session: Any, enable_rate_limit: bool, budget_share: int = 1
) -> Any:
    """A ccxt async client for public spot data only, talking through ``session``.

    No API keys: liqbot reads public books. ``defaultType``/``fetchMarkets.types`` are narrowed to
    spot so loading markets costs one request instead of one per derivatives family. With
    ``enable_rate_limit`` the requests are paced by a ``throttle.BurstThrottle`` (ccxt's costs and
    rate, a bounded burst within the exchange's window) instead of ccxt's one-unit bucket.
    ``budget_share`` (REPLICAS_PER_IP): how many processes send from the same IP address, whose
    request budget an exchange counts together; ccxt's ``rateLimit`` is multiplied by it and the
    throttle gives this process its share of the window and the burst, so all of them together
    never overshoot.
    """
    if exchange not in ccxt_async.exchanges:
        raise ValueError(f"unknown exchange id {exchange!r} (not a ccxt exchange)")
    client = getattr(ccxt_async, exchange)(
        {"session": session, "enableRateLimit": enable_rate_limit, "timeout": 10_000}
    )
    if budget_share > 1:
        client.rateLimit = client.rateLimit * budget_share
    client.options["defaultType"] = "spot"
    fetch_markets = client.options.get("fetchMarkets")
    if isinstance(fetch_markets, dict):
        fetch_markets["types"] = ["spot"]
    elif isinstance(fetch_markets, list):
        client.options["fetchMarkets"] = ["spot"]
    if enable_rate_limit:
        install_throttle(client, exchange, budget_share)
    return client


def trim_market_lists(client: Any, quote_assets: frozenset[str]) -> None:
    """Make ``client`` keep only what liqbot reads of each market list it loads.

    ccxt keeps every spot market of the exchange (BTC-, EUR-, TRY-quoted pairs too), and each one
    twice: ``markets`` holds it extended with the exchange's defaults, ``markets_by_id`` the parsed
    one before that extension (the same fields, with their own nested ``limits`` and
    ``precision``); and each copy keeps the exchange's own description of the market under
    ``info`` (binance's filters, permission sets and order types). Together that is most of a
    loaded exchange's memory. liqbot reads spot markets quoted in QUOTE_ASSETS only, through
    public books and tickers, which never read ``info`` (ccxt reads it to build order,
    derivatives and candle requests, which liqbot never sends).

    So ccxt's ``set_markets`` (which every load and reload ends with) is given only those markets,
    without ``info``, and its id index then points at the extended markets (the ones
    ``client.market(symbol)`` returns, a superset of the parsed ones). This happens inside the
    load, before any other task runs: three exchanges loading at once never hold their raw lists
    side by side. A ticker of a market not kept is still parsed by ccxt (as an unknown market),
    then ignored. The client also stops keeping a copy of each response's text and headers
    (liqbot reads neither: the session sees every response first); for a bulk tickers request
    that copy is most of a megabyte, held until the next request.
    """
    original = client.set_markets

    def set_markets(markets: Any, currencies: Any = None) -> Any:
        listed = markets.values() if isinstance(markets, dict) else markets
        kept = [
            market
            for market in listed
            if market.get("spot") and str(market.get("quote") or "").upper() in quote_assets
        ]
        for market in kept:
            market["info"] = _NO_INFO
        result = original(kept, currencies)
        by_id: dict[str, list[Any]] = {}
        for market in sorted(client.markets.values(), key=lambda m: str(m["symbol"])):
            by_id.setdefault(str(market["id"]), []).append(market)
        client.markets_by_id = by_id
        client.ids = sorted(by_id)
        # A currency per market side, kept only to pick each code's entry of ``currencies``
        # (which stays); nothing reads them afterwards (ccxt's own value before a load: None).
        client.baseCurrencies = client.quoteCurrencies = None
        shared: dict[Any, dict[str, Any]] = {}
        for entry in (*client.markets.values(), *(client.currencies or {}).values()):
            _share_equal_leaves(entry, shared)
        return result

    client.set_markets = set_markets
    client.enableLastHttpResponse = client.enableLastResponseHeaders = False


_NO_INFO: dict[str, Any] = {}  # one shared, empty ``info`` for every kept market


def _share_equal_leaves(entry: dict[str, Any], shared: dict[Any, dict[str, Any]]) -> None:
    """Replace each innermost dictionary of ``entry`` (``precision``, ``limits.amount``,
    ``marginModes``…: a handful per market and currency, nearly all alike across an exchange)
    by one shared dictionary of the same items and value types. ccxt builds these when it
    loads the list and only reads them afterwards. (It runs inside a market-list load, on the
    event loop: kept to C-level iteration.)"""
    for key, value in entry.items():
        if type(value) is not dict or not value:
            continue
        values = tuple(value.values())
        types = tuple(map(type, values))
        if dict in types or list in types:
            _share_equal_leaves(value, shared)
            continue
        try:
            entry[key] = shared.setdefault((tuple(value), types, values), value)
        except TypeError:  # an unhashable leaf value: keep this one as it is
            continue


def request_cost(client: Any, kind: RequestKind, limit: int | None = None) -> float:
    """ccxt's throttler cost (in units of ``rateLimit`` ms) of one request of ``kind``.

    Unknown exchanges count 1 unit per request, ccxt's own default.
    """
    endpoints = _ENDPOINTS.get(client.id)
    if endpoints is None:
        return 1.0
    api, method, path, params = endpoints[kind]
    params = dict(params)
    if kind == "order_book" and limit is not None:
        if client.id == "okx" and limit > 400:
            path = "market/books-full"  # what okx.fetch_order_book switches to past 400 levels
        params["limit" if client.id != "okx" else "sz"] = limit
    node: Any = client.api
    for part in api:
        node = node[part]
    config = node[method.lower()][path]
    if not isinstance(config, dict):
        config = {"cost": config}
    return float(client.calculate_rate_limiter_cost(list(api), method, path, params, config))
