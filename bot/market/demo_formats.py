"""The demo universe in each exchange's native REST format, at the URLs ccxt 4.5.90 requests.

One function per (exchange, endpoint) returning ``(url, body)``; the payload shapes follow the
exchanges' public API docs (the same shapes ccxt's parse_* methods document in comments), with
numbers as strings where the venue sends strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from bot.domain.models import Level
from bot.market.demo_universe import QUOTE_USD, Listing, tick_size

BINANCE = "https://api.binance.com/api/v3"
OKX = "https://www.okx.com/api/v5"
BYBIT = "https://api.bybit.com/v5"
JSON_HEADERS = {
    "binance": {"Content-Type": "application/json;charset=UTF-8"},
    "okx": {"Content-Type": "application/json"},
    "bybit": {"Content-Type": "application/json; charset=utf-8"},
}


def dumps(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def num(value: float, step: float) -> str:
    """``value`` with as many decimals as ``step`` has (what the venue's tick/lot size allows)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{value:.{decimals}f}"


def market_id(exchange: str, listing: Listing) -> str:
    return f"{listing.base}-{listing.quote}" if exchange == "okx" else listing.base + listing.quote


def _levels(listing: Listing, side: Sequence[Level], okx: bool = False) -> list[list[str]]:
    tick, step = tick_size(listing.mid), listing.step
    rows = [[num(p, tick), num(a, step)] for p, a in side]
    if okx:  # okx appends the deprecated liquidated-orders field and the order count
        return [[*row, "0", str(1 + i % 7)] for i, row in enumerate(rows)]
    return rows


def _ticker_prices(listing: Listing) -> dict[str, str]:
    tick = tick_size(listing.mid)
    volume_quote = listing.volume_24h_usd / _quote_usd(listing)
    return {
        "last": num(listing.mid, tick),
        "open": num(listing.mid * 0.98, tick),
        "high": num(listing.mid * 1.04, tick),
        "low": num(listing.mid * 0.95, tick),
        "bid": num(listing.mid * (1 - listing.spread_bps / 20_000), tick),
        "ask": num(listing.mid * (1 + listing.spread_bps / 20_000), tick),
        "base_volume": num(volume_quote / listing.mid, listing.step),
        "quote_volume": f"{volume_quote:.4f}",
    }


def _quote_usd(listing: Listing) -> float:
    return QUOTE_USD[listing.quote]


# --- binance -------------------------------------------------------------------------------


def binance_markets(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    symbols = []
    for item in listings:
        tick, step = tick_size(item.mid), item.step
        symbols.append(
            {
                "symbol": market_id("binance", item),
                "status": "TRADING" if item.trading else "BREAK",
                "baseAsset": item.base,
                "baseAssetPrecision": 8,
                "quoteAsset": item.quote,
                "quotePrecision": 8,
                "quoteAssetPrecision": 8,
                "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT"],
                "icebergAllowed": True,
                "ocoAllowed": True,
                "isSpotTradingAllowed": True,
                "isMarginTradingAllowed": False,
                "filters": [
                    {
                        "filterType": "PRICE_FILTER",
                        "minPrice": num(tick, tick),
                        "maxPrice": num(item.mid * 1000, tick),
                        "tickSize": num(tick, tick),
                    },
                    {
                        "filterType": "LOT_SIZE",
                        "minQty": num(step, step),
                        "maxQty": "90000000000.00000000",
                        "stepSize": num(step, step),
                    },
                    {"filterType": "NOTIONAL", "minNotional": "5.00000000"},
                ],
                "permissions": [],
                "permissionSets": [["SPOT"]],
                "defaultSelfTradePreventionMode": "EXPIRE_MAKER",
            }
        )
    body = {
        "timezone": "UTC",
        "serverTime": now_ms,
        "rateLimits": [
            {
                "rateLimitType": "REQUEST_WEIGHT",
                "interval": "MINUTE",
                "intervalNum": 1,
                "limit": 6000,
            },
            {
                "rateLimitType": "RAW_REQUESTS",
                "interval": "MINUTE",
                "intervalNum": 5,
                "limit": 61000,
            },
        ],
        "exchangeFilters": [],
        "symbols": symbols,
    }
    return f"{BINANCE}/exchangeInfo", dumps(body)


def binance_tickers(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    rows = []
    for n, item in enumerate(listings):
        t = _ticker_prices(item)
        rows.append(
            {
                "symbol": market_id("binance", item),
                "priceChange": num(item.mid * 0.02, tick_size(item.mid)),
                "priceChangePercent": "2.041",
                "weightedAvgPrice": t["last"],
                "prevClosePrice": t["open"],
                "lastPrice": t["last"],
                "lastQty": num(item.step * 10, item.step),
                "bidPrice": t["bid"],
                "bidQty": "1.0",
                "askPrice": t["ask"],
                "askQty": "1.0",
                "openPrice": t["open"],
                "highPrice": t["high"],
                "lowPrice": t["low"],
                "volume": t["base_volume"] if item.trading else "0.00000000",
                "quoteVolume": t["quote_volume"] if item.trading else "0.00000000",
                "openTime": now_ms - 86_400_000,
                "closeTime": now_ms - 1,
                "firstId": 1_000_000 + n * 1000,
                "lastId": 1_000_999 + n * 1000,
                "count": 1000,
            }
        )
    return f"{BINANCE}/ticker/24hr", dumps(rows)


def binance_book(
    item: Listing, limit: int, bids: Sequence[Level], asks: Sequence[Level], update_id: int
) -> tuple[str, str]:
    body = {
        "lastUpdateId": update_id,
        "bids": _levels(item, bids[:limit]),
        "asks": _levels(item, asks[:limit]),
    }
    return f"{BINANCE}/depth?symbol={market_id('binance', item)}&limit={limit}", dumps(body)


# --- okx -----------------------------------------------------------------------------------


def okx_markets(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    data = []
    for item in listings:
        tick, step = tick_size(item.mid), item.step
        data.append(
            {
                "alias": "",
                "baseCcy": item.base,
                "category": "1",
                "ctMult": "",
                "ctType": "",
                "ctVal": "",
                "ctValCcy": "",
                "expTime": "",
                "instFamily": "",
                "instId": market_id("okx", item),
                "instType": "SPOT",
                "lever": "",
                "listTime": str(now_ms - 90 * 86_400_000),
                "lotSz": num(step, step),
                "maxLmtAmt": "20000000",
                "maxLmtSz": "9999999999",
                "maxMktAmt": "1000000",
                "maxMktSz": "1000000",
                "minSz": num(step, step),
                "optType": "",
                "quoteCcy": item.quote,
                "settleCcy": "",
                "state": "live" if item.trading else "suspend",
                "stk": "",
                "tickSz": num(tick, tick),
                "uly": "",
            }
        )
    return f"{OKX}/public/instruments?instType=SPOT", dumps({"code": "0", "msg": "", "data": data})


def okx_tickers(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    data = []
    for item in listings:
        t = _ticker_prices(item)
        data.append(
            {
                "instType": "SPOT",
                "instId": market_id("okx", item),
                "last": t["last"],
                "lastSz": "1",
                "askPx": t["ask"],
                "askSz": "1",
                "bidPx": t["bid"],
                "bidSz": "1",
                "open24h": t["open"],
                "high24h": t["high"],
                "low24h": t["low"],
                "volCcy24h": t["quote_volume"],
                "vol24h": t["base_volume"],
                "ts": str(now_ms),
                "sodUtc0": t["open"],
                "sodUtc8": t["open"],
            }
        )
    return f"{OKX}/market/tickers?instType=SPOT", dumps({"code": "0", "msg": "", "data": data})


def okx_book(
    item: Listing, limit: int, bids: Sequence[Level], asks: Sequence[Level], now_ms: int
) -> tuple[str, str]:
    book = {
        "asks": _levels(item, asks[:limit], okx=True),
        "bids": _levels(item, bids[:limit], okx=True),
        "ts": str(now_ms),
    }
    url = f"{OKX}/market/books?instId={market_id('okx', item)}&sz={limit}"
    return url, dumps({"code": "0", "msg": "", "data": [book]})


# --- bybit ---------------------------------------------------------------------------------


def _bybit(result: dict[str, Any], now_ms: int) -> str:
    return dumps({"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": now_ms})


def bybit_markets(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    rows = []
    for item in listings:
        tick, step = tick_size(item.mid), item.step
        rows.append(
            {
                "symbol": market_id("bybit", item),
                "baseCoin": item.base,
                "quoteCoin": item.quote,
                "innovation": "0",
                "status": "Trading" if item.trading else "PreLaunch",
                "marginTrading": "none",
                "stTag": "0",
                "lotSizeFilter": {
                    "basePrecision": num(step, step),
                    "quotePrecision": num(tick, tick),
                    "minOrderQty": num(step, step),
                    "maxOrderQty": "9999999999",
                    "minOrderAmt": "1",
                    "maxOrderAmt": "2000000",
                },
                "priceFilter": {"tickSize": num(tick, tick)},
                "riskParameters": {"priceLimitRatioX": "0.05", "priceLimitRatioY": "0.1"},
            }
        )
    url = f"{BYBIT}/market/instruments-info?category=spot"
    return url, _bybit({"category": "spot", "list": rows, "nextPageCursor": ""}, now_ms)


def bybit_tickers(listings: Sequence[Listing], now_ms: int) -> tuple[str, str]:
    rows = []
    for item in listings:
        t = _ticker_prices(item)
        rows.append(
            {
                "symbol": market_id("bybit", item),
                "bid1Price": t["bid"],
                "bid1Size": "1",
                "ask1Price": t["ask"],
                "ask1Size": "1",
                "lastPrice": t["last"],
                "prevPrice24h": t["open"],
                "price24hPcnt": "0.0204",
                "highPrice24h": t["high"],
                "lowPrice24h": t["low"],
                "turnover24h": t["quote_volume"],
                "volume24h": t["base_volume"],
                "usdIndexPrice": "",
            }
        )
    return f"{BYBIT}/market/tickers?category=spot", _bybit(
        {"category": "spot", "list": rows}, now_ms
    )


def bybit_book(
    item: Listing, limit: int, bids: Sequence[Level], asks: Sequence[Level], now_ms: int
) -> tuple[str, str]:
    symbol = market_id("bybit", item)
    result = {
        "s": symbol,
        "a": _levels(item, asks[:limit]),
        "b": _levels(item, bids[:limit]),
        "ts": now_ms,
        "u": 1_000_000 + now_ms % 1_000_000,
        "seq": 5_000_000 + now_ms % 1_000_000,
        "cts": now_ms - 3,
    }
    return f"{BYBIT}/market/orderbook?symbol={symbol}&category=spot&limit={limit}", _bybit(
        result, now_ms
    )
