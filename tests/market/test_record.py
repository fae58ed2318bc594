"""Recording: what ccxt saw is written in the cassette format and replays to the same snapshot."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.market.gateway import ExchangeSnapshot, MarketGateway
from bot.market.record import record_cassette
from bot.market.replay import ReplaySession, load_cassette_file, request_key
from tests.market.cassettes import (
    BINANCE,
    binance_book,
    binance_markets_and_tickers,
    entry,
    write_cassette,
)


def source_cassette(directory: Path) -> Path:
    entries = binance_markets_and_tickers([("ZORBLE", "USDT"), ("QUUX", "USDT"), ("WIBB", "USDT")])
    entries += [
        binance_book("ZORBLEUSDT", bid="0.9900"),
        binance_book("QUUXUSDT", ask="1.0200"),
        entry(f"{BINANCE}/depth?symbol=WIBBUSDT&limit=100", "<html>oops</html>", 500),
    ]
    return write_cassette(directory, "binance", entries)


async def snapshot_of(directory: Path) -> ExchangeSnapshot:
    gateway = MarketGateway(["binance"], f"replay:{directory}", ["USDT"], retry_backoff_s=0)
    try:
        return await gateway.snapshot_exchange("binance")
    finally:
        await gateway.close()


def comparable(snapshot: ExchangeSnapshot) -> tuple[Any, ...]:
    books = {s: b if not isinstance(b, Exception) else type(b) for s, b in snapshot.books.items()}
    return snapshot.markets, snapshot.tickers, books


async def test_recording_what_replay_serves_replays_identically(tmp_path: Path) -> None:
    source = source_cassette(tmp_path / "source")
    out = tmp_path / "recorded"
    recording = await record_cassette(
        "binance",
        None,
        out,
        ["USDT"],
        100,
        transport=lambda: ReplaySession("binance", load_cassette_file(source)),
        rate_limit=False,
        retry_backoff_s=0.01,
    )
    # exchangeInfo + ticker/24hr + two books + the failing book three times (two retries)
    assert (recording.requests, recording.answered) == (7, 4)
    recorded = [json.loads(line) for line in (out / "binance.jsonl").read_text().splitlines()]
    assert [r["status"] for r in recorded].count(500) == 3
    assert {r["url"] for r in recorded} == {e.url for e in load_cassette_file(source)}
    assert comparable(await snapshot_of(out)) == comparable(await snapshot_of(source.parent))


async def test_recording_only_the_given_symbols(tmp_path: Path) -> None:
    source = source_cassette(tmp_path / "source")
    recording = await record_cassette(
        "binance",
        ["QUUX/USDT"],
        tmp_path / "out",
        ["USDC"],
        100,
        transport=lambda: ReplaySession("binance", load_cassette_file(source)),
        rate_limit=False,
        retry_backoff_s=0.01,
    )
    recorded = load_cassette_file(tmp_path / "out" / "binance.jsonl")
    assert recording.requests == len(recorded) == 3
    assert recorded[-1].url == f"{BINANCE}/depth?symbol=QUUXUSDT&limit=100"


class LocalBinance:
    """A local HTTP stand-in for api.binance.com serving a cassette's bodies (slow for WIBB)."""

    def __init__(self, cassette: Path) -> None:
        self.bodies = {request_key(e.method, e.url): e for e in load_cassette_file(cassette)}

    async def handle(self, request: web.Request) -> web.Response:
        key = request_key("GET", f"{BINANCE}/{request.match_info['tail']}?{request.query_string}")
        if "WIBB" in request.query_string:
            await asyncio.sleep(0.5)
        recorded = self.bodies[key]
        response = web.Response(
            text=recorded.body, status=recorded.status, content_type="application/json"
        )
        response.set_cookie("session", "do-not-record")
        return response


class Redirecting:
    """A real aiohttp session whose requests for api.binance.com go to the local stand-in."""

    def __init__(self, base: str) -> None:
        self.session = aiohttp.ClientSession()
        self.headers = self.session.headers
        self.base = base

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        local = str(url).replace(BINANCE, self.base)
        kwargs["timeout"] = aiohttp.ClientTimeout(total=0.2)
        return self.session.request(method, local, **kwargs)

    async def close(self) -> None:
        await self.session.close()


async def test_recording_a_real_http_server(tmp_path: Path) -> None:
    source = source_cassette(tmp_path / "source")
    app = web.Application()
    app.router.add_get("/{tail:.*}", LocalBinance(source).handle)
    server = TestServer(app)
    await server.start_server()
    try:
        base = str(server.make_url("/")).rstrip("/")
        recording = await record_cassette(
            "binance",
            None,
            tmp_path / "out",
            ["USDT"],
            100,
            transport=lambda: Redirecting(base),
            rate_limit=False,
            retry_backoff_s=0.01,
        )
    finally:
        await server.close()
    recorded = load_cassette_file(tmp_path / "out" / "binance.jsonl")
    assert recording.requests == len(recorded) == 7
    assert [r.fault for r in recorded].count("timeout") == 3  # WIBB: first try + two retries
    ok = [r for r in recorded if r.fault is None]
    assert all(r.url.startswith(BINANCE) and r.status == 200 for r in ok)
    assert all(r.headers["Content-Type"].startswith("application/json") for r in ok)
    assert not any("do-not-record" in json.dumps(r.headers) for r in recorded)
    replayed = await snapshot_of(tmp_path / "out")
    assert type(replayed.books["WIBB/USDT"]).__name__ == "ExchangeUnavailable"
    assert replayed.books["ZORBLE/USDT"].bids == ((0.99, 10.0),)  # type: ignore[union-attr]
