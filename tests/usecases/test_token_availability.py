"""`/liquidity` answers in time when a venue is paused or slow (issue: a paused exchange silenced
every command): a paused exchange is not waited for, a slow one is given up on at the answer's
deadline, and their rows come from the latest stored snapshot, saying how old it is. A burst of
answers about one token shares one fetch per venue."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.usecases.services import Services
from bot.usecases.token import token_report
from tests.builders import NOW, market, store_snapshot
from tests.market.cassettes import BINANCE, JSON, entry, write_cassette

PAUSED = {**JSON, "Retry-After": "300"}


def paused_binance(directory: Path) -> None:
    """A cassette whose binance answers every request 429 with Retry-After: 300."""
    write_cassette(
        directory,
        "binance",
        [entry(f"{BINANCE}/exchangeInfo", {"code": -1003}, status=429, headers=PAUSED)],
    )


async def test_a_paused_home_exchange_answers_from_its_snapshot_in_time(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    paused_binance(tmp_path)
    services = make_services(market_source=f"replay:{tmp_path}", exchanges="binance")
    await store_snapshot(services, [market()], NOW - timedelta(hours=3))

    started = time.monotonic()
    first = await token_report(services, "ZORB", answer_by=time.monotonic() + 0.5)
    assert time.monotonic() - started < 1.5
    assert [m.symbol for m in first.markets] == ["ZORB/USDT"]
    (venue,) = first.unavailable
    assert venue.exchange == "binance" and venue.snapshot_at == NOW - timedelta(hours=3)
    assert re.fullmatch(r"no answer within 0\.\d s", venue.reason)  # the retry waits 300 s

    # Paused now: the next answers do not even ask binance, and say when it resumes.
    requests = services.gateway.status()["binance"].requests
    started = time.monotonic()
    later = await asyncio.gather(
        *(token_report(services, "ZORB", answer_by=time.monotonic() + 5) for _ in range(8))
    )
    assert time.monotonic() - started < 1.0
    assert services.gateway.status()["binance"].requests == requests
    for view in later:
        (venue,) = view.unavailable
        assert re.fullmatch(
            r"paused after a rate limit, resumes in (4 min \d+ s|5 min)", venue.reason
        )
        assert view.liquidity.home_depth_2pct_usd == 40_000.0


async def test_a_paused_exchange_with_no_snapshot_is_a_clear_message(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    paused_binance(tmp_path)
    services = make_services(market_source=f"replay:{tmp_path}", exchanges="binance")
    services.gateway.status()  # nothing fetched yet
    try:
        await token_report(services, "ZORB", answer_by=time.monotonic() + 0.3)
    except Exception as error:  # UserFacingError
        assert "no snapshot of ZORB is stored yet" in str(error)
        assert "binance: no answer within" in str(error)
    else:
        raise AssertionError("expected a user-facing error")


async def test_a_burst_about_one_token_shares_one_fetch_per_venue(
    make_services: Callable[..., Services],
) -> None:
    # Replayed with latency, as a live exchange answers: the ten answers overlap in flight.
    alone, burst = make_services(replay_latency_ms=300), make_services(replay_latency_ms=300)
    await token_report(alone, "ZORBLE")
    await asyncio.gather(*(token_report(burst, "ZORBLE") for _ in range(10)))
    for exchange in ("binance", "okx", "bybit"):
        one = alone.gateway.status()[exchange].requests
        assert one > 0
        assert burst.gateway.status()[exchange].requests == one
