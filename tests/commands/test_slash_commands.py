"""The four slash commands through the real app: help, answers, the chart upload, and bad text
that gets a clear ephemeral reply, HTTP 200 and no write."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable

import pytest

from bot.market.demo import DEMO_BANNER
from bot.presenters.actions import token_block_id
from bot.usecases.outreach import Actor, log_outreach
from bot.usecases.scan import ScanResult
from bot.usecases.services import Services
from tests.builders import NOTHING_WRITTEN, written_rows
from tests.commands.flow import command
from tests.conftest import sqlite_only
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests

SYMBOL = "ZIBBKA"
Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]

BAD_TEXT: list[tuple[str, str, str]] = [
    ("/liquidity", "NOPE", "No market for NOPE on binance, okx, bybit"),
    ("/liquidity", "A" * 5000, "That is 5,000 characters: /liquidity takes a few short words."),
    ("/liquidity", "PEPE🐸", "`PEPE🐸` is not a token symbol"),
    ("/liquidity", "'; DROP TABLE outreach;--", "`';` is not a token symbol"),
    ("/liquidity", '{"a":1}', '`{"A":1}` is not a token symbol'),
    ("/liquidity", f"{SYMBOL} kraken", "Unknown exchange `kraken`: use one of binance, okx, bybit"),
    ("/mm", "PEPE; DELETE FROM replies", "`PEPE;` is not a token symbol"),
    ("/outreach", "😀", "`😀` is not a token symbol"),
    ("/atrisk", "drop table", "Unexpected `drop`: use /atrisk [N] [high|medium]"),
    ("/atrisk", "1000", "Show between 1 and 100 tokens, not 1000."),
]


async def test_bad_command_text_gets_a_clear_ephemeral_reply_and_writes_nothing(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    for name, text, expected in BAD_TEXT:
        reply = await command(bot, slack_api, slack_requests, name, text)
        assert reply.payload["response_type"] == "ephemeral", (name, text)
        assert expected in reply.payload["text"], (name, text, reply.payload["text"])
        assert len(reply.payload["text"]) < 300 and "Traceback" not in reply.payload["text"]
    assert await written_rows(services) == NOTHING_WRITTEN


@sqlite_only
@pytest.mark.parametrize(
    ("name", "text", "usage"),
    [
        ("/liquidity", "", "*/liquidity TOKEN [EXCHANGE] [chart|history [30|90]]*"),
        ("/liquidity", "help", "*/liquidity TOKEN [EXCHANGE] [chart|history [30|90]]*"),
        ("/mm", "HELP", "*/mm TOKEN*"),
        ("/atrisk", "help", "*/atrisk [N] [high|medium]*"),
        ("/outreach", "", "*/outreach TOKEN|mine|team|overdue, assign TOKEN @user*"),
    ],
)
async def test_help(
    name: str,
    text: str,
    usage: str,
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, name, text)
    assert reply.status == 200
    assert reply.payload["blocks"][1]["text"]["text"].startswith(usage)
    assert DEMO_BANNER in reply.payload["blocks"][0]["elements"][0]["text"]


@sqlite_only
async def test_liquidity_chart_uploads_the_depth_chart_png(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, "/liquidity", f"{SYMBOL} chart")
    assert reply.status == 200
    await slack_api.async_wait_for(
        lambda: any(u.completed for u in slack_api.workspace.uploads.values()), timeout=10
    )
    [upload] = slack_api.workspace.uploads.values()
    assert upload.data is not None and upload.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert (upload.filename, upload.channel_id) == (
        f"{SYMBOL}-USDT-binance-depth.png",
        "C0RISKDESK",
    )
    assert upload.title is not None and upload.title.startswith(f"{SYMBOL}/USDT on binance")
    assert DEMO_BANNER in upload.title


async def test_liquidity_names_an_exchange_that_is_down(
    start_liqbot: Start,
    make_services: Callable[..., Services],
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    # kraken is configured but not in the demo cassette: every request to it fails.
    services = make_services(exchanges="binance,okx,bybit,kraken")
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, "/liquidity", SYMBOL)
    text = json.dumps(reply.payload["blocks"], ensure_ascii=False)
    assert reply.status == 200
    assert "Unavailable now: kraken: not in the cassette: GET https://api.kraken.com" in text
    assert re.search(r"\\nbybit +ZIBBKA/USDT +\d", text)  # the other venues still answer


async def test_mm_atrisk_and_outreach_answer_from_the_stored_scan(
    start_liqbot: Start,
    services: Services,
    store_demo_scan: Store,
    demo_scan: ScanResult,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    actor = Actor("U0ALICE", "T0LIQBOT", "alice")
    await log_outreach(services, actor, SYMBOL, "email", "team@zibbka.example", None, None, "k1")
    bot = await start_liqbot(services)

    mm = await command(bot, slack_api, slack_requests, "/mm", SYMBOL)
    assert mm.payload["text"] == (
        f"DEMO DATA · {SYMBOL}: market maker unknown — too little history: 0 whole days of "
        "snapshots (needs 3)"
    )
    atrisk = await command(bot, slack_api, slack_requests, "/atrisk", "1 high")
    tiers = Counter(t.risk.tier for t in demo_scan.tokens)
    assert atrisk.status == 200
    assert atrisk.payload["text"] == (
        f"DEMO DATA · At-risk tokens of tier high: {tiers['high']} ({tiers['high']} high, "
        f"{tiers['medium']} medium) · showing 1"
    )
    outreach = await command(bot, slack_api, slack_requests, "/outreach", SYMBOL.lower())
    row = next(b for b in outreach.payload["blocks"] if b.get("block_id") == token_block_id(SYMBOL))
    assert row["text"]["text"] == "*Stage:* contacted today · owner <@U0ALICE>"
    assert "Outreach by email to team@zibbka.example" in json.dumps(outreach.payload["blocks"])


@sqlite_only
async def test_atrisk_with_buttons_on_every_row_is_accepted(
    start_liqbot: Start,
    services: Services,
    store_demo_scan: Store,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, "/atrisk", "")
    assert reply.status == 200
