"""Hand-written cassettes in the exchanges' native formats, small enough to check by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BINANCE = "https://api.binance.com/api/v3"
OKX = "https://www.okx.com/api/v5"
BYBIT = "https://api.bybit.com/v5"
JSON = {"Content-Type": "application/json"}


def entry(url: str, body: Any, status: int = 200, **extra: Any) -> dict[str, Any]:
    """One cassette line; ``body`` is dumped to JSON unless it is already raw text."""
    text = body if isinstance(body, str) else json.dumps(body)
    line: dict[str, Any] = {"method": "GET", "url": url, "status": status, "headers": JSON}
    line["body"] = text
    for key, value in extra.items():
        line[key] = value
    return line


def write_cassette(directory: Path, exchange: str, entries: list[dict[str, Any]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{exchange}.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return path


def binance_symbol(base: str, quote: str, status: str = "TRADING") -> dict[str, Any]:
    return {
        "symbol": base + quote,
        "status": status,
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": "0.0001",
                "maxPrice": "1000",
                "tickSize": "0.0001",
            },
            {"filterType": "LOT_SIZE", "minQty": "0.01", "maxQty": "1000000", "stepSize": "0.01"},
        ],
        "permissions": [],
        "permissionSets": [["SPOT"]],
    }


def binance_ticker(symbol: str, last: str, volume: str, quote_volume: str) -> dict[str, Any]:
    return {
        "symbol": symbol,
        "lastPrice": last,
        "openPrice": last,
        "highPrice": last,
        "lowPrice": last,
        "bidPrice": last,
        "askPrice": last,
        "volume": volume,
        "quoteVolume": quote_volume,
        "openTime": 1767182400000,
        "closeTime": 1767268799999,
        "count": 10,
    }


def binance_markets_and_tickers(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """exchangeInfo + ticker/24hr for ``pairs`` (base, quote), each priced 1.0 with volume 1000."""
    info = {"timezone": "UTC", "serverTime": 1767268800000, "symbols": []}
    info["symbols"] = [binance_symbol(b, q) for b, q in pairs]
    tickers = [binance_ticker(b + q, "1.0000", "1000.00", "1000.00") for b, q in pairs]
    return [entry(f"{BINANCE}/exchangeInfo", info), entry(f"{BINANCE}/ticker/24hr", tickers)]


def binance_book(
    symbol: str, bid: str = "0.9990", ask: str = "1.0010", limit: int = 100
) -> dict[str, Any]:
    body = {"lastUpdateId": 7, "bids": [[bid, "10.00"]], "asks": [[ask, "20.00"]]}
    return entry(f"{BINANCE}/depth?symbol={symbol}&limit={limit}", body)


def binance_listing(directory: Path, bases: list[str]) -> Path:
    """A binance cassette listing ``base``/USDT for each base (a 1-level book each side)."""
    pairs = [(base, "USDT") for base in bases]
    books = [binance_book(base + "USDT") for base in bases]
    return write_cassette(directory, "binance", binance_markets_and_tickers(pairs) + books)
