"""Replies: what each kind stores besides the reply row, and how it feeds the status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db import repo_audit, repo_outreach, repo_snooze
from bot.usecases.mm import mm_statuses
from bot.usecases.outreach import (
    contribution_preview,
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    outreach_state,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, market, store_snapshot, store_supply


async def test_contribution_pledge_stores_tokens_usd_and_depth_multiple(
    services: Services,
) -> None:
    # Circulating supply 1,000,000,000; home mid $0.02; home ±2% depth = min(bid 40k, ask 55k).
    await store_supply(services, "ZORB", 1_000_000_000)
    await store_snapshot(services, [market(mid=0.02)], NOW - timedelta(minutes=30))

    result = await log_reply_contribution(services, ALICE, "ZORB", "3", "pledge-1")

    pledge = result.pledge
    assert pledge is not None and pledge.reply_id == result.record_id
    assert pledge.pct_of_supply == 3
    assert pledge.tokens == pytest.approx(30_000_000)  # 3% of 1e9
    assert pledge.usd_value == pytest.approx(600_000)  # 30M × $0.02
    assert (pledge.price_usd, pledge.depth_2pct_usd) == (pytest.approx(0.02), 40_000)
    assert pledge.pledged_at == NOW
    assert result.description == (
        "Reply: will contribute 3% of circulating supply (30M tokens, $600k, 15× today's ±2% depth)"
    )
    async with services.session() as session:
        [stored] = await repo_outreach.pledges(session)
        [audit] = await repo_audit.audit_rows(session)
    assert stored == pledge
    assert audit.action == "reply_will_contribute" and audit.entity_id == str(result.record_id)
    assert audit.values is not None and audit.values["usd_value"] == pytest.approx(600_000)

    again = await log_reply_contribution(services, BOB, "ZORB", "5", "pledge-1")
    assert again.duplicate and again.pledge == pledge  # the first submission's figures


async def test_contribution_preview_for_the_modal(services: Services) -> None:
    unknown = await contribution_preview(services, "ZORB")
    assert (unknown.circulating_supply, unknown.scenarios) == (None, None)
    await store_supply(services, "ZORB", 1_000_000_000)
    await store_snapshot(services, [market(mid=0.02)], NOW - timedelta(minutes=30))

    preview = await contribution_preview(services, "zorb")

    assert (preview.symbol, preview.price_usd, preview.depth_2pct_usd) == (
        "ZORB",
        pytest.approx(0.02),
        40_000,
    )
    assert preview.scenarios is not None
    assert [c.pct_of_supply for c in preview.scenarios] == [1, 3, 5]
    # 1% = 10M tokens = $200k = 5× the $40k depth; 3% = 15×; 5% = 25×.
    assert [c.depth_multiple for c in preview.scenarios] == [
        pytest.approx(5),
        pytest.approx(15),
        pytest.approx(25),
    ]
    assert preview.scenarios[0].tokens == pytest.approx(10_000_000)


async def test_contribution_without_supply_or_price_keeps_the_percent(services: Services) -> None:
    result = await log_reply_contribution(services, ALICE, "NEWT", "2.5", "pledge-2")
    assert result.pledge is not None
    assert (result.pledge.pct_of_supply, result.pledge.tokens, result.pledge.usd_value) == (
        2.5,
        None,
        None,
    )
    assert "circulating supply unknown" in result.description

    await store_supply(services, "NEWT", 2_000)  # supply known, no snapshot: no price
    priced = await log_reply_contribution(services, ALICE, "NEWT", "50", "pledge-3")
    assert priced.pledge is not None
    assert (priced.pledge.tokens, priced.pledge.usd_value) == (1_000, None)


async def test_has_mm_reply_puts_a_market_maker_on_record(services: Services) -> None:
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "unknown"

    result = await log_reply_has_mm(
        services, ALICE, "ZORB", "Wintermute", "2026-10-01", "2027-10-01", "40", "25000", "mm-1"
    )

    assert result.description == (
        "Reply: has market maker Wintermute (since 2026-10-01, until 2027-10-01)"
    )
    # On record, with no history since its start to judge it by yet.
    assert (await mm_statuses(services, ["ZORB", "QUUX"], NOW)) == {
        "ZORB": "claimed",
        "QUUX": "unknown",
    }
    async with services.session() as session:
        [engagement] = await repo_outreach.engagements(session)
    assert (engagement.source, engagement.status, engagement.mm_name) == (
        "reply",
        "engaged",
        "Wintermute",
    )
    assert (engagement.since, engagement.until) == (date(2026, 10, 1), date(2027, 10, 1))
    assert (engagement.max_spread_bps, engagement.min_depth_usd) == (40, 25_000)
    assert engagement.reply_id == result.record_id and engagement.logged_by == "U_ALICE"
    # The contract ends 2027-10-01: the day after, the engagement is no longer on record.
    after = NOW.replace(year=2027, month=10, day=2)
    assert (await mm_statuses(services, ["ZORB"], after))["ZORB"] == "unknown"
    states = await outreach_state(services, ["ZORB"])
    assert states["ZORB"].label == "has MM (Wintermute)"


async def test_declined_with_no_market_maker_records_none(services: Services) -> None:
    await log_reply_has_mm(services, ALICE, "ZORB", "GSR", None, None, None, None, "mm-1")
    plain = await log_reply_declined(services, ALICE, "ZORB", "no budget", "d-1")
    assert plain.description == "Reply: declined: no budget"
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "claimed"

    await log_reply_declined(services, ALICE, "ZORB", "we have none", "d-2", no_market_maker=True)
    # The "none" record is newer than the engagement: it corrects it.
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "none"
    await log_reply_has_mm(services, ALICE, "ZORB", "Keyrock", None, None, None, None, "mm-2")
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "claimed"


async def test_snooze_keeps_the_token_out_until_the_end(services: Services) -> None:
    result = await snooze(services, ALICE, "ZORB", "7", "s-1")

    assert result.snoozed_until == NOW + timedelta(days=7)
    assert result.description == "Snoozed for 7 days, until 2026-12-02"
    async with services.session() as session:
        assert await repo_snooze.snoozed_symbols(session, NOW + timedelta(days=6)) == {"ZORB"}
        assert await repo_snooze.snoozed_symbols(session, NOW + timedelta(days=7)) == set()
    state = (await outreach_state(services, ["ZORB"]))["ZORB"]
    assert (state.state, state.label, state.snoozed) == (
        "snoozed",
        "snoozed until 2026-12-02",
        True,
    )


async def test_a_reply_is_linked_to_the_latest_outreach(services: Services) -> None:
    first = await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o-1")
    second = await log_outreach(services, BOB, "ZORB", "call", None, None, None, "o-2")
    other = await log_outreach(services, BOB, "QUUX", "call", None, None, None, "o-3")
    reply = await log_reply_declined(services, ALICE, "ZORB", "not now", "r-1")
    async with services.session() as session:
        [stored] = await repo_outreach.replies(session)
    assert stored.id == reply.record_id
    assert stored.outreach_id == second.record_id
    assert stored.outreach_id not in (first.record_id, other.record_id)
