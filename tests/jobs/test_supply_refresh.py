"""The CoinGecko supply refresh against a local aiohttp stand-in of `/coins/markets`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.db import repo_ledger, repo_supply
from bot.usecases.supply_refresh import SupplyRefreshError, refresh_supply
from jobs.supply_refresh import supply_refresh_job
from tests.builders import Clock, Token, store_batch
from tests.conftest import MakeServices

KEY = "CG-test-key-not-secret"
COINS: dict[str, dict[str, Any]] = {
    "zorb": {
        "id": "zorb-token",
        "symbol": "zorb",
        "name": "Zorb",
        "circulating_supply": 2.5e9,
        "market_cap": 41_000_000,
    },
    "quux": {
        "id": "quux",
        "symbol": "quux",
        "name": "Quux",
        "circulating_supply": 1.2e6,
        "market_cap": None,
    },
    "nullsup": {
        "id": "null-supply",
        "symbol": "nullsup",
        "name": "Null",
        "circulating_supply": None,
        "market_cap": 10,
    },
}


@dataclass
class CoinGeckoStandIn:
    url: str = ""
    requests: list[web.Request] = field(default_factory=list)
    symbols_asked: list[list[str]] = field(default_factory=list)
    rate_limit_next: int = 0


@pytest.fixture
async def coingecko() -> AsyncIterator[CoinGeckoStandIn]:
    stand_in = CoinGeckoStandIn()

    async def markets(request: web.Request) -> web.Response:
        stand_in.requests.append(request)
        if stand_in.rate_limit_next:
            stand_in.rate_limit_next -= 1
            return web.json_response(
                {"status": {"error_code": 429}}, status=429, headers={"Retry-After": "0"}
            )
        if request.headers.get("x-cg-demo-api-key") != KEY:
            return web.json_response({"error": "invalid key"}, status=401)
        asked = request.query["symbols"].split(",")
        stand_in.symbols_asked.append(asked)
        return web.json_response([COINS[s] for s in asked if s in COINS])

    app = web.Application()
    app.router.add_get("/api/v3/coins/markets", markets)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}/api/v3/"
    yield stand_in
    await runner.cleanup()


def tokens(*symbols: str) -> list[Token]:
    return [Token(s, "high", 70) for s in symbols]


async def test_supply_and_market_cap_are_stored_and_the_rest_noted(
    make_services: MakeServices, coingecko: CoinGeckoStandIn, clock: Clock
) -> None:
    services = make_services(coingecko_api_key=KEY, coingecko_api_url=coingecko.url)
    fillers = [f"F{i:03d}" for i in range(57)]  # 60 symbols: two requests of at most 50
    coingecko.rate_limit_next = 1  # the first request is refused once, then retried

    result = await refresh_supply(services, ["ZORB", "QUUX", "NULLSUP", *fillers], pause_s=0)

    assert (result.asked, result.written) == (60, 2)
    assert set(result.unknown) == {"NULLSUP", *fillers}
    assert len(result.skipped) == 1 and result.skipped[0].startswith("null-supply:")
    assert [len(batch) for batch in coingecko.symbols_asked] == [50, 10]
    assert len(coingecko.requests) == 3
    assert all(KEY not in str(r.url) for r in coingecko.requests)
    async with services.session() as session:
        stored = await repo_supply.get_supply(session)
    assert (stored["ZORB"].circulating_supply, stored["ZORB"].market_cap_usd) == (2.5e9, 41e6)
    assert (stored["QUUX"].circulating_supply, stored["QUUX"].market_cap_usd) == (1.2e6, None)
    assert stored["ZORB"].source == "coingecko" and stored["ZORB"].name == "Zorb"
    assert stored["ZORB"].updated_at == clock()


async def test_the_refresh_runs_once_a_day(
    make_services: MakeServices, coingecko: CoinGeckoStandIn, clock: Clock
) -> None:
    services = make_services(coingecko_api_key=KEY, coingecko_api_url=coingecko.url)
    await store_batch(services, clock.now, tokens("ZORB", "QUUX"))

    first = await supply_refresh_job(services, pause_s=0)
    again = await supply_refresh_job(services, pause_s=0)
    clock.advance(days=1)
    tomorrow = await supply_refresh_job(services, pause_s=0)

    assert first is not None and again is not None and tomorrow is not None
    assert (first.status, again.status, tomorrow.status) == ("done", "already_done", "done")
    assert len(coingecko.requests) == 2
    run = await repo_ledger.get_run(services.engine, "supply_refresh", "2026-11-25")
    assert run is not None and run.result is not None and run.result["written"] == 2


async def test_without_a_key_nothing_is_asked(
    make_services: MakeServices, coingecko: CoinGeckoStandIn
) -> None:
    assert await supply_refresh_job(make_services()) is None
    assert coingecko.requests == []


async def test_a_refused_key_fails_without_showing_it(
    make_services: MakeServices, coingecko: CoinGeckoStandIn
) -> None:
    services = make_services(coingecko_api_key="wrong-key", coingecko_api_url=coingecko.url)
    with pytest.raises(SupplyRefreshError) as caught:
        await refresh_supply(services, ["ZORB"], pause_s=0)
    assert "401" in str(caught.value) and "wrong-key" not in str(caught.value)


async def test_no_scan_yet_fails_the_day_so_the_catch_up_retries(
    make_services: MakeServices, coingecko: CoinGeckoStandIn, clock: Clock
) -> None:
    services = make_services(coingecko_api_key=KEY, coingecko_api_url=coingecko.url)
    with pytest.raises(SupplyRefreshError, match="no scan"):
        await supply_refresh_job(services, pause_s=0)
    await store_batch(services, clock.now, tokens("ZORB"))
    outcome = await supply_refresh_job(services, pause_s=0)
    assert outcome is not None and outcome.status == "done"
