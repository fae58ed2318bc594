"""`/review` and its buttons through the real app over HTTP: the list with evidence, decisions
stored once (editors only, audited) with the answer redrawn in place, and the evidence pack
uploaded where the list was asked for (or to the clicker's DM)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.db import repo_audit
from bot.usecases.services import Services
from tests.builders import Clock, count_rows
from tests.commands.flow import command, ephemeral_click
from tests.conftest import sqlite_only
from tests.fakes.slack_api import ResponseUrlPost, SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests
from tests.review_scenario import store_review_tokens

Start = Callable[[Services], Awaitable[ServedBot]]


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def _actions(blocks: list[dict[str, Any]], symbol: str) -> dict[str, Any]:
    return next(b for b in blocks if b.get("block_id") == f"review_actions:{symbol}")


async def _click(
    bot: ServedBot,
    slack_api: SlackApiStandIn,
    requests: SlackRequests,
    action_id: str,
    value: str,
    user_id: str = "U0ANALYST",
    channel_id: str = "C0RISKDESK",
) -> ResponseUrlPost:
    symbol = value.partition("|")[0]
    click = ephemeral_click(
        requests,
        action_id,
        value,
        f"review_actions:{symbol}",
        user_id=user_id,
        channel_id=channel_id,
    )
    url = json.loads(click.payload["payload"])["response_url"]
    assert (await bot.post(click)).status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) >= 1, timeout=15)
    return slack_api.responses(url)[0]


async def test_review_lists_the_tokens_with_their_evidence_and_buttons(
    start_liqbot: Start,
    services: Services,
    clock: Clock,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_review_tokens(services, clock)
    bot = await start_liqbot(services)
    reply = await command(bot, slack_api, slack_requests, "/review", "")
    assert reply.status == 200
    assert reply.payload["text"] == (
        "DEMO DATA · Monitoring-tag review: 3 to decide · 0 recommended · 0 put off"
    )
    blocks = reply.payload["blocks"]
    declo = next(b for b in blocks if b.get("block_id") == "review:DECLO")
    assert declo["text"]["text"].splitlines() == [
        "*DECLO*",
        "15 of the last 30 days under $50k (daily median home ±2% depth; 23 days with data, "
        "latest $8k on 2026-11-24)",
        "Contribution declined on 2026-11-10 (logged by U_BOB): “no budget”",  # not a Slack id
        "Case stage: declined · market maker: unknown",
    ]
    buttons = _actions(blocks, "DECLO")["elements"]
    assert [(b["action_id"], b["text"]["text"], b["value"]) for b in buttons] == [
        ("review_recommend", "Recommend tag", "DECLO|0"),
        ("review_not_now", "Not now (30 d)", "DECLO|0"),
        ("review_clear", "Clear", "DECLO|0"),
        ("review_pack", "Evidence pack", "DECLO|0"),
    ]
    assert "EDGEY" not in _texts(blocks) and "PLEDG" not in _texts(blocks)


async def test_a_decision_is_stored_once_audited_and_redraws_the_list(
    start_liqbot: Start,
    services: Services,
    clock: Clock,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_review_tokens(services, clock)
    bot = await start_liqbot(services)
    answer = await _click(bot, slack_api, slack_requests, "review_not_now", "DECLO|0")
    again = await _click(bot, slack_api, slack_requests, "review_not_now", "DECLO|0")
    assert answer.status == again.status == 200
    assert answer.payload["replace_original"] is True
    assert await count_rows(services, "review_decisions") == 1
    async with services.session() as session:
        [audit] = await repo_audit.audit_rows(session, "review_decisions")
    assert (audit.action, audit.actor_user) == ("review_not_now", "U0ANALYST")
    blocks = answer.payload["blocks"]
    note = blocks[2]["elements"][0]["text"]  # under the DEMO banner and the header
    assert note == "*DECLO*: Not now (until 2026-12-25) by <@U0ANALYST> on 2026-11-25"
    assert "Put off (not now): DECLO until 2026-12-25" in _texts(blocks)
    assert not any(b.get("block_id") == "review:DECLO" for b in blocks)
    assert answer.payload["text"].endswith("2 to decide · 0 recommended · 1 put off")


@sqlite_only
async def test_only_editors_decide_and_nothing_is_written_otherwise(
    start_liqbot: Start,
    make_services: Callable[..., Services],
    clock: Clock,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    services = make_services(editor_user_ids="U0BOSS,U_ALICE,U_BOB")  # not U0ANALYST
    await store_review_tokens(services, clock)
    bot = await start_liqbot(services)
    refused = await _click(bot, slack_api, slack_requests, "review_recommend", "DECLO|0")
    assert "Only the listing and risk editors can decide" in refused.payload["text"]
    assert await count_rows(services, "review_decisions") == 0


async def test_the_evidence_pack_goes_to_the_channel_or_the_dm(
    start_liqbot: Start,
    services: Services,
    clock: Clock,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_review_tokens(services, clock)
    slack_api.workspace.channels_without_bot.add("C0PRIVATE")
    bot = await start_liqbot(services)
    here = await _click(bot, slack_api, slack_requests, "review_pack", "DECLO|0")
    assert here.payload["text"] == "Evidence pack for DECLO uploaded to <#C0RISKDESK>."
    elsewhere = await _click(
        bot, slack_api, slack_requests, "review_pack", "BOUND|0", channel_id="C0PRIVATE"
    )
    assert elsewhere.payload["text"] == "Evidence pack for BOUND uploaded to <#D0ANALYST>."
    shared = sorted(
        (u.channel_id or "", u.filename)
        for u in slack_api.workspace.uploads.values()
        if u.completed
    )
    assert shared == [
        ("C0RISKDESK", "DECLO-case-timeline.csv"),
        ("C0RISKDESK", "DECLO-daily-metrics.csv"),
        ("C0RISKDESK", "DECLO-history-90d.png"),
        ("C0RISKDESK", "DECLO-review-summary.md"),
        ("D0ANALYST", "BOUND-case-timeline.csv"),
        ("D0ANALYST", "BOUND-daily-metrics.csv"),
        ("D0ANALYST", "BOUND-history-90d.png"),
        ("D0ANALYST", "BOUND-review-summary.md"),
    ]
    assert await count_rows(services, "review_decisions") == 0  # reading writes nothing


@sqlite_only
async def test_review_help_and_bad_text(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    usage = await command(bot, slack_api, slack_requests, "/review", "help")
    assert usage.payload["blocks"][1]["text"]["text"].startswith("*/review*: the tokens that")
    bad = await command(bot, slack_api, slack_requests, "/review", "PEPE")
    assert bad.payload["text"] == "`/review` takes no arguments. Try `/review help`."
