"""A paused home exchange silences nothing (issue: with binance answering 429 Retry-After: 300,
eight `/liquidity` commands waited out the pause and every later command was acknowledged and never
answered). Through the real Bolt app over HTTP: every command is answered within 5 s, `/liquidity`
from the latest snapshot saying which venue is paused and how old the figures are."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.market.demo import demo_cassette_lines
from bot.usecases.services import Services
from tests.builders import Clock
from tests.commands.flow import command
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests
from tests.market.cassettes import BINANCE, JSON, entry, write_cassette

TOKENS = ("ZIBBKA", "MOOPIO", "YIBBIX", "SPLUDET", "GRONKAX", "FRONKLE", "QUUXIX", "ZLORBET")
ANSWER_WITHIN_S = 5.0


def paused_home_cassette(directory: Path) -> None:
    """The demo cassette, except that binance answers 429 with Retry-After: 300."""
    directory.mkdir(parents=True, exist_ok=True)
    for exchange in ("okx", "bybit"):
        lines = demo_cassette_lines(exchange)
        (directory / f"{exchange}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    paused = {**JSON, "Retry-After": "300"}
    write_cassette(
        directory,
        "binance",
        [entry(f"{BINANCE}/exchangeInfo", {"code": -1003}, status=429, headers=paused)],
    )


async def test_every_command_is_answered_in_time_while_the_home_exchange_is_paused(
    make_services: Callable[..., Services],
    store_demo_scan: Callable[[Services], Awaitable[None]],
    start_liqbot: Callable[[Services], Awaitable[ServedBot]],
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    clock: Clock,
    tmp_path: Path,
) -> None:
    paused_home_cassette(tmp_path / "cassette")
    services = make_services(market_source=f"replay:{tmp_path / 'cassette'}")
    await store_demo_scan(services)
    clock.advance(hours=3)  # the snapshot is too old to answer at once: /liquidity fetches live
    bot = await start_liqbot(services)

    async def timed(name: str, text: str) -> tuple[str, float, str]:
        sent = time.monotonic()
        answer = await command(bot, slack_api, slack_requests, name, text)
        body = json.dumps(answer.payload, ensure_ascii=False)
        return f"{name} {text}", time.monotonic() - sent, body

    first = await asyncio.gather(*(timed("/liquidity", token) for token in TOKENS))
    rest = await asyncio.gather(
        timed("/atrisk", ""),
        timed("/outreach", "ZIBBKA"),
        timed("/mm", "ZIBBKA"),
        timed("/liquidity", "help"),
        timed("/liquidity", "BRIXLET"),
    )
    for line, seconds, _ in (*first, *rest):
        assert seconds < ANSWER_WITHIN_S, (line, seconds)
    for line, _, body in (*first, rest[-1]):
        assert "binance" in body and "snapshot of" in body, line
        assert "paused after a rate limit" in body or "no answer within" in body, line
    # The first burst met the 429 and paused binance: later answers do not even ask it.
    assert "paused after a rate limit, resumes in" in rest[-1][2]
