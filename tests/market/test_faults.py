"""Fault injection through cassette entries: the snapshot finishes and names every failure."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.domain.models import MarketRef, OrderBook
from bot.market.errors import (
    BadResponse,
    ExchangeUnavailable,
    MarketDataError,
    NotRecorded,
    RateLimited,
    UnknownSymbol,
)
from bot.market.gateway import MarketGateway
from bot.market.replay import ReplayResponse, ReplaySession, load_cassette_file
from tests.market.cassettes import (
    BINANCE,
    binance_book,
    binance_markets_and_tickers,
    entry,
    write_cassette,
)

BOOK = f"{BINANCE}/depth?symbol={{}}USDT&limit=100"
RATE_LIMITED_BODY = {"code": -1003, "msg": "Too many requests; IP banned until later."}


def pairs(*bases: str) -> list[tuple[str, str]]:
    return [(base, "USDT") for base in bases]


class TimedReplay(ReplaySession):
    """A ReplaySession that logs when each request reached the wire (time.monotonic())."""

    def __init__(self, path: Path, log: list[tuple[float, str, int]]) -> None:
        super().__init__("binance", load_cassette_file(path))
        self.log = log

    async def respond(self, method: str, url: str) -> ReplayResponse:
        at = time.monotonic()
        response = await super().respond(method, url)
        self.log.append((at, url, response.status))
        return response


def gateway_for(tmp_path: Path, **options: Any) -> MarketGateway:
    options = {"retry_backoff_s": 0.01, "default_pause_s": 0.05, **options}
    return MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"], **options)


async def test_snapshot_finishes_and_reports_each_fault(tmp_path: Path) -> None:
    retry_after = {"Retry-After": "0.2", "Content-Type": "application/json"}
    entries = binance_markets_and_tickers(pairs(*"ABCDEFGHIJ"))
    entries += [
        entry(BOOK.format("A"), RATE_LIMITED_BODY, 429, headers=retry_after),  # then ok
        binance_book("AUSDT", bid="0.9000"),
        entry(BOOK.format("B"), "", 418),  # banned, no Retry-After, every time
        entry(BOOK.format("C"), "<html>Internal Server Error</html>", 500),
        entry(BOOK.format("D"), "", fault="timeout"),
        entry(BOOK.format("E"), '{"lastUpdateId": 1, "bids": [["0.99", '),  # malformed JSON
        entry(BOOK.format("F"), {"code": -1121, "msg": "Invalid symbol."}, 400),
        # G: not in the cassette at all
        binance_book("HUSDT", bid="0.9500", ask="1.0500"),
        binance_book("IUSDT"),
        entry(BOOK.format("J"), RATE_LIMITED_BODY, 429, headers={"Retry-After": "0.05"}),
    ]
    write_cassette(tmp_path, "binance", entries)
    gateway = gateway_for(tmp_path)
    seen: list[str] = []
    try:
        snapshot = await gateway.snapshot_exchange(
            "binance", lambda ref, _: seen.append(ref.symbol)
        )
        status = gateway.status()["binance"]
    finally:
        await gateway.close()

    assert snapshot.error is None and len(snapshot.markets) == 10
    assert sorted(seen) == [f"{c}/USDT" for c in "ABCDEFGHIJ"]
    kinds = {s: type(b).__name__ for s, b in snapshot.books.items()}
    assert kinds == {
        "A/USDT": "OrderBook",
        "B/USDT": "RateLimited",
        "C/USDT": "ExchangeUnavailable",
        "D/USDT": "ExchangeUnavailable",
        "E/USDT": "BadResponse",
        "F/USDT": "UnknownSymbol",
        "G/USDT": "NotRecorded",
        "H/USDT": "OrderBook",
        "I/USDT": "OrderBook",
        "J/USDT": "RateLimited",
    }
    books = snapshot.books
    assert books["A/USDT"] == OrderBook("binance", "A/USDT", ((0.9, 10.0),), ((1.001, 20.0),), 100)
    assert books["H/USDT"].bids == ((0.95, 10.0),)  # type: ignore[union-attr]
    assert books["H/USDT"].asks == ((1.05, 20.0),)  # type: ignore[union-attr]
    assert isinstance(books["J/USDT"], RateLimited) and books["J/USDT"].retry_after == 0.05
    assert isinstance(books["B/USDT"], RateLimited) and books["B/USDT"].retry_after is None
    assert "timed out" in str(books["D/USDT"])
    assert "https://api.binance.com/api/v3/depth?symbol=GUSDT&limit=100" in str(books["G/USDT"])
    assert all(b.exchange == "binance" for b in snapshot.failed_markets.values())
    # markets 1 + tickers 1; A: 429 then 200 = 2; B, C, D, J: 1 + 2 retries = 3 each;
    # E, F, G (permanent) and H, I: 1 each
    assert snapshot.requests == 2 + 2 + 4 * 3 + 5 == status.requests
    assert status.pauses >= 1 + 3  # A's 429 and B's three 418s at least
    assert snapshot.started_at <= snapshot.finished_at <= datetime.now(UTC)


async def test_rate_limit_pauses_the_whole_exchange_for_retry_after(tmp_path: Path) -> None:
    entries = binance_markets_and_tickers(pairs("A", "B", "C", "D"))
    entries += [
        entry(BOOK.format("A"), RATE_LIMITED_BODY, 429, headers={"Retry-After": "0.3"}),
        binance_book("AUSDT"),
        binance_book("BUSDT"),
        binance_book("CUSDT"),
        binance_book("DUSDT"),
    ]
    path = write_cassette(tmp_path, "binance", entries)
    log: list[tuple[float, str, int]] = []
    gateway = MarketGateway(
        ["binance"], "live", ["USDT"], rate_limit=False, transport=lambda _: TimedReplay(path, log)
    )
    try:
        await gateway.markets("binance")
        task = asyncio.create_task(gateway.snapshot_exchange("binance"))
        await asyncio.sleep(0.1)
        during, during_at = gateway.status()["binance"], datetime.now(UTC)
        snapshot = await task
        after = gateway.status()["binance"]
    finally:
        await gateway.close()

    assert not snapshot.failed_markets
    assert during.paused_until is not None and during.paused_until > during_at
    assert after.paused_until is None and "rate limited" in str(after.last_error)
    limited_at = next(at for at, _, status in log if status == 429)
    later = [at for at, _, status in log if at > limited_at]
    assert len(later) == 4  # A's retry and the books of B, C and D all waited
    assert min(later) - limited_at >= 0.3 - 0.01


async def test_418_without_retry_after_pauses_for_the_default(tmp_path: Path) -> None:
    entries = binance_markets_and_tickers(pairs("A"))
    entries += [entry(BOOK.format("A"), "", 418), binance_book("AUSDT")]
    path = write_cassette(tmp_path, "binance", entries)
    log: list[tuple[float, str, int]] = []
    gateway = MarketGateway(
        ["binance"],
        "live",
        ["USDT"],
        rate_limit=False,
        default_pause_s=0.15,
        transport=lambda _: TimedReplay(path, log),
    )
    try:
        book = await gateway.fetch_order_book(MarketRef("binance", "A/USDT", "A", "USDT"))
    finally:
        await gateway.close()
    assert book.bids == ((0.999, 10.0),)
    (banned_at,) = [at for at, _, status in log if status == 418]
    assert log[-1][0] - banned_at >= 0.15 - 0.01


async def test_exchange_down_is_reported_on_the_snapshot(tmp_path: Path) -> None:
    maintenance = {"code": -1, "msg": "System is under maintenance."}
    write_cassette(tmp_path, "binance", [entry(f"{BINANCE}/exchangeInfo", maintenance, 503)])
    gateway = gateway_for(tmp_path)
    try:
        snapshot = await gateway.snapshot_exchange("binance")
    finally:
        await gateway.close()
    assert isinstance(snapshot.error, ExchangeUnavailable)
    assert (snapshot.markets, snapshot.books, snapshot.requests) == ([], {}, 3)


async def test_markets_refresh_after_ttl_and_survive_a_failed_refresh(tmp_path: Path) -> None:
    first = binance_markets_and_tickers(pairs("A"))[0]
    second = binance_markets_and_tickers(pairs("A", "B"))[0]
    broken = entry(f"{BINANCE}/exchangeInfo", "", 502)
    write_cassette(tmp_path, "binance", [first, second, broken])
    gateway = gateway_for(tmp_path, markets_ttl_s=0, max_retries=0)
    try:
        assert [m.symbol for m in await gateway.markets("binance")] == ["A/USDT"]
        assert [m.symbol for m in await gateway.markets("binance")] == ["A/USDT", "B/USDT"]
        # the refresh fails: the last good market list is still served
        assert [m.symbol for m in await gateway.markets("binance")] == ["A/USDT", "B/USDT"]
        status = gateway.status()["binance"]
    finally:
        await gateway.close()
    assert status.requests == 3
    assert status.last_error is not None and "502" in status.last_error


async def test_a_failed_refresh_is_not_retried_on_every_call(tmp_path: Path) -> None:
    first = binance_markets_and_tickers(pairs("A"))[0]
    write_cassette(tmp_path, "binance", [first, entry(f"{BINANCE}/exchangeInfo", "", 502)])
    gateway = gateway_for(tmp_path, markets_ttl_s=0.2, max_retries=0)
    try:
        await gateway.markets("binance")
        await asyncio.sleep(0.25)
        for _ in range(5):  # the first of these refreshes and fails; the others wait 0.2 s
            assert [m.symbol for m in await gateway.markets("binance")] == ["A/USDT"]
        assert gateway.status()["binance"].requests == 2
    finally:
        await gateway.close()


async def test_markets_are_cached_within_the_ttl(tmp_path: Path) -> None:
    write_cassette(tmp_path, "binance", binance_markets_and_tickers(pairs("A")))
    gateway = gateway_for(tmp_path)
    try:
        for _ in range(3):
            await gateway.markets("binance")
        assert gateway.status()["binance"].requests == 1
    finally:
        await gateway.close()


async def test_unknown_symbol_fails_without_a_request(tmp_path: Path) -> None:
    write_cassette(tmp_path, "binance", binance_markets_and_tickers(pairs("A")))
    gateway = gateway_for(tmp_path)
    try:
        error: MarketDataError | None = None
        try:
            await gateway.fetch_order_book(MarketRef("binance", "NOPE/USDT", "NOPE", "USDT"))
        except UnknownSymbol as exc:
            error = exc
        assert error is not None and error.exchange == "binance"
        assert gateway.status()["binance"].requests == 1  # the market list only
    finally:
        await gateway.close()


async def test_error_classes_form_the_documented_tree() -> None:
    assert issubclass(RateLimited, ExchangeUnavailable)
    assert RateLimited.retryable and ExchangeUnavailable.retryable
    for permanent in (UnknownSymbol, BadResponse, NotRecorded):
        assert issubclass(permanent, MarketDataError) and not permanent.retryable
