"""ccxt exceptions → liqbot's tree; messages stay one line and free of secrets."""

from __future__ import annotations

import email.utils

import aiohttp
import ccxt
import pytest

from bot.market.error_map import map_exception
from bot.market.errors import (
    BadResponse,
    ExchangeError,
    ExchangeUnavailable,
    MarketDataError,
    RateLimited,
    UnknownSymbol,
    one_line,
)
from bot.market.session import parse_retry_after


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (ccxt.RateLimitExceeded("binance 429"), RateLimited),
        (ccxt.DDoSProtection("binance 418"), RateLimited),
        (ccxt.RequestTimeout("okx GET url"), ExchangeUnavailable),
        (ccxt.OnMaintenance("bybit system maintenance"), ExchangeUnavailable),
        (ccxt.ExchangeNotAvailable("okx 503"), ExchangeUnavailable),
        (ccxt.NetworkError("reset"), ExchangeUnavailable),
        (aiohttp.ServerDisconnectedError(), ExchangeUnavailable),
        (TimeoutError(), ExchangeUnavailable),
        (ccxt.BadSymbol("binance does not have market symbol X/Y"), UnknownSymbol),
        (ccxt.BadResponse("garbage"), BadResponse),
        (ccxt.NullResponse("empty"), BadResponse),
        (KeyError("bids"), BadResponse),
        (ccxt.AuthenticationError("binance 401"), ExchangeError),
        (ccxt.NotSupported("fetchTickers"), ExchangeError),
        (ccxt.BadRequest("binance 400"), ExchangeError),
        (RuntimeError("surprise"), ExchangeError),
    ],
)
def test_ccxt_errors_map_to_the_tree(raised: BaseException, expected: type) -> None:
    error = map_exception(raised, "binance")
    assert type(error) is expected
    assert error.exchange == "binance" and str(error).startswith("binance: ")
    assert "\n" not in str(error)


def test_rate_limited_carries_retry_after_and_own_errors_pass_through() -> None:
    error = map_exception(ccxt.RateLimitExceeded("binance GET u 429"), "binance", 1.5)
    assert isinstance(error, RateLimited) and error.retry_after == 1.5
    assert "retry after 1.5 s" in str(error)
    own = UnknownSymbol("okx", "okx: unknown market")
    assert map_exception(own, "okx") is own


def test_messages_are_one_line_short_and_without_secrets() -> None:
    raw = (
        "binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=0123abcdef\n"
        '401 Unauthorized {"X-MBX-APIKEY": "s3cr3tkey", "msg": "Invalid API-key"}' + "x" * 500
    )
    error = map_exception(ccxt.AuthenticationError(raw), "binance")
    text = str(error)
    assert "0123abcdef" not in text and "s3cr3tkey" not in text
    assert "signature=***" in text and len(text) <= 240 and "\n" not in text
    assert isinstance(error, MarketDataError)
    assert one_line("a\n  b\tc") == "a b c"


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert parse_retry_after("0.2") == 0.2
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    now = 1_767_268_800.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30.0)
