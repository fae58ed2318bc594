"""Symbols are the exchanges' own, Unicode included (SPEC 4.4): Binance lists `币安人生/USDT`, so
/liquidity, its buttons, the outreach modal (private_metadata), /outreach, /mm and the digest all
take it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.db import repo_cases
from bot.errors import UserFacingError
from bot.presenters.actions import token_block_id
from bot.settings import load_settings
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.kinds import LOG_OUTREACH
from bot.usecases.scan import run_scan
from bot.usecases.services import Services
from bot.wiring import build_services
from jobs.digest import run_digest
from tests.builders import Clock
from tests.commands.flow import actions_block, command, ephemeral_click, opened_view, submission
from tests.commands.test_outreach_loop import OUTREACH_VALUES
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests
from tests.market.cassettes import binance_listing

SYMBOL = "币安人生"


@pytest.mark.parametrize(
    ("typed", "symbol"),
    [
        ("币安人生", "币安人生"),
        (" pepe ", "PEPE"),
        ("ｐｅｐｅ", "ＰＥＰＥ"),
        ("пепе", "ПЕПЕ"),
        ("1000SATS", "1000SATS"),
    ],
)
def test_any_script_is_a_symbol_upper_cased_where_case_exists(typed: str, symbol: str) -> None:
    assert parse_symbol(typed) == symbol


@pytest.mark.parametrize("typed", ["PEPE🐸", "币安 人生", "<!here>", "币" * 21, "a/b", "x\u0000"])
def test_what_no_exchange_lists_is_refused_with_the_rule(typed: str) -> None:
    with pytest.raises(UserFacingError, match="is not a token symbol: use 1–20 letters"):
        parse_symbol(typed)


@pytest.fixture
async def cjk_services(db_url: str, clock: Clock, tmp_path: Path) -> AsyncIterator[Services]:
    """Services on a binance cassette listing 币安人生/USDT and ZORB/USDT."""
    binance_listing(tmp_path / "cassette", [SYMBOL, "ZORB"])
    settings = load_settings(
        env_file=None,
        database_url=db_url,
        market_source=f"replay:{tmp_path / 'cassette'}",
        exchanges="binance",
        quote_assets="USDT",
    )
    services = build_services(settings, clock=clock)
    yield services
    await services.close()


async def test_a_cjk_token_through_liquidity_button_modal_outreach_mm_and_digest(
    cjk_services: Services,
    start_liqbot: Callable[[Services], Awaitable[ServedBot]],
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    services = cjk_services
    scan = await run_scan(services)
    assert SYMBOL in {t.symbol for t in scan.tokens}
    bot = await start_liqbot(services)

    answer = await command(bot, slack_api, slack_requests, "/liquidity", SYMBOL)
    blocks = answer.payload["blocks"]
    assert answer.payload["text"].startswith(SYMBOL)
    assert any(b.get("block_id") == token_block_id(SYMBOL) for b in blocks)
    buttons = actions_block(blocks, SYMBOL)
    assert {e["value"] for e in buttons["elements"]} == {SYMBOL}

    click = ephemeral_click(slack_requests, LOG_OUTREACH.action_id, SYMBOL, buttons["block_id"])
    assert (await bot.post(click)).status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    view = opened_view(slack_api)
    assert SYMBOL in json.dumps(view, ensure_ascii=False)  # the modal is about this token
    submitted = await bot.post(submission(slack_requests, view, OUTREACH_VALUES))
    assert submitted.status_code == 200 and submitted.text == ""  # stored, modal closed
    async with services.session() as session:
        [stored] = await repo_cases.case_events(session)
    assert stored.symbol == SYMBOL

    outreach = await command(bot, slack_api, slack_requests, "/outreach", SYMBOL)
    assert outreach.payload["text"].startswith(f"{SYMBOL} case: contacted")
    mm = await command(bot, slack_api, slack_requests, "/mm", SYMBOL)
    assert mm.payload["text"].startswith(f"{SYMBOL}: market maker")

    digest = await run_digest(services, dry_run=True)
    assert f"{SYMBOL}  " in digest.text
