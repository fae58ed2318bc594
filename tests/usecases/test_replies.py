"""The project's answers and the case's steps: what each event stores (dated figures, the
engagement row), the confirmations, corrections and retractions, and how they feed the
market-maker status and the case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db import repo_audit, repo_cases, repo_outreach, repo_snooze
from bot.usecases.mm import mm_statuses
from bot.usecases.outreach import (
    InvalidSubmission,
    NeedsConfirmation,
    close_case,
    contribution_preview,
    correct_entry,
    end_engagement,
    log_agreed,
    log_outreach,
    log_received,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    outreach_case,
    outreach_state,
    retract_entry,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock, market, store_snapshot, store_supply


async def _priced(services: Services, mid: float = 0.02, ago: timedelta = timedelta(0)) -> None:
    """Circulating supply 1e9; a home snapshot at ``mid`` with ±2% depth min(40k, 55k)."""
    await store_supply(services, "ZORB", 1_000_000_000)
    await store_snapshot(services, [market(mid=mid)], NOW - timedelta(minutes=30) - ago)


async def test_a_pledge_stores_tokens_and_dated_figures(services: Services) -> None:
    await _priced(services)

    result = await log_reply_contribution(services, ALICE, "ZORB", "3", "pledge-1")

    v = result.values
    assert (result.kind, v["pct_of_supply"], v["circulating_supply"]) == ("pledged", 3, 1e9)
    assert v["tokens"] == pytest.approx(30_000_000)  # 3% of 1e9
    assert (v["price_usd"], v["depth_2pct_usd"]) == (pytest.approx(0.02), 40_000)
    assert v["figures_at"] == (NOW - timedelta(minutes=30)).isoformat()
    assert result.description == (
        "Will contribute 3% of circulating supply: 30M tokens = $600k at the mid of "
        "2026-11-25 11:30 UTC; the home book absorbs $40k of it within ±2%"
    )
    async with services.session() as session:
        [audit] = await repo_audit.audit_rows(session)
    assert audit.action == "reply_will_contribute" and audit.entity_id == str(result.record_id)
    assert audit.values is not None and audit.values["tokens"] == pytest.approx(30_000_000)

    again = await log_reply_contribution(services, BOB, "ZORB", "5", "pledge-1")
    assert again.duplicate and again.values == v  # the first submission's figures


async def test_a_pledge_outside_1_to_5_percent_waits_for_confirmation(services: Services) -> None:
    # The issue: a 50% pledge was taken without a word.
    with pytest.raises(NeedsConfirmation) as caught:
        await log_reply_contribution(services, ALICE, "ZORB", "50", "pledge-50")
    assert "outside the usual 1–5%" in caught.value.errors["confirm"]
    async with services.session() as session:
        assert await repo_cases.case_events(session) == []
    stored = await log_reply_contribution(services, ALICE, "ZORB", "50", "pledge-50", True)
    assert stored.values["pct_of_supply"] == 50


async def test_contribution_preview_for_the_modal(services: Services) -> None:
    unknown = await contribution_preview(services, "ZORB")
    assert (unknown.circulating_supply, unknown.scenarios) == (None, None)
    await _priced(services)

    preview = await contribution_preview(services, "zorb")

    assert (preview.symbol, preview.price_usd, preview.depth_2pct_usd) == (
        "ZORB",
        pytest.approx(0.02),
        40_000,
    )
    assert preview.taken_at == NOW - timedelta(minutes=30)
    assert preview.scenarios is not None
    # 1% = 10M tokens = $200k = 5× the $40k depth; 3% = 15×; 5% = 25×.
    assert [c.depth_multiple for c in preview.scenarios] == [
        pytest.approx(5),
        pytest.approx(15),
        pytest.approx(25),
    ]


async def test_contribution_without_supply_or_price_keeps_the_percent(services: Services) -> None:
    result = await log_reply_contribution(services, ALICE, "NEWT", "2.5", "pledge-2")
    assert (result.values["pct_of_supply"], result.values["tokens"]) == (2.5, None)
    assert "circulating supply unknown" in result.description


async def test_agreed_and_received_are_valued_at_their_own_days_mid(
    services: Services, clock: Clock
) -> None:
    await _priced(services, mid=0.01, ago=timedelta(days=3))  # the day the tokens arrived
    await store_snapshot(services, [market(mid=0.02)], NOW - timedelta(minutes=30))  # today
    agreed = await log_agreed(services, ALICE, "ZORB", "30,000,000", "a-1")
    assert agreed.values["price_usd"] == pytest.approx(0.02)
    received_on = (NOW - timedelta(days=3)).date()
    got = await log_received(services, ALICE, "ZORB", 25_000_000, received_on, "2027-03-01", "r-1")
    assert got.values["price_usd"] == pytest.approx(0.01)  # not today's mid
    assert got.values["figures_at"] == (NOW - timedelta(days=3, minutes=30)).isoformat()
    case = (await outreach_case(services, "ZORB")).case
    assert case.contribution.shortfall_tokens == pytest.approx(5_000_000)
    assert case.stage == "delivered"
    with pytest.raises(InvalidSubmission) as caught:
        await log_received(services, ALICE, "ZORB", 1, NOW.date() + timedelta(days=1), None, "r-2")
    assert set(caught.value.errors) == {"received_on"}


async def test_a_correction_keeps_its_entrys_day_and_a_retraction_withdraws(
    services: Services, clock: Clock
) -> None:
    await _priced(services)
    pledge = await log_reply_contribution(services, ALICE, "ZORB", "3", "p-1")
    clock.advance(days=2)
    await store_snapshot(services, [market(mid=0.05)], clock())  # a later, dearer scan
    fixed = await correct_entry(
        services, BOB, "ZORB", pledge.record_id, "c-1", pct_of_supply="2.5", note="typo"
    )
    assert (fixed.kind, fixed.refers_to, fixed.values["corrects"]) == (
        "correct",
        pledge.record_id,
        "pledged",
    )
    assert fixed.values["tokens"] == pytest.approx(25_000_000)
    assert fixed.values["price_usd"] == pytest.approx(0.02)  # the pledge's day, not today's
    view = await outreach_case(services, "ZORB")
    assert view.case.contribution.pledged_pct == 2.5
    assert view.case.entries[0].corrected_by is not None
    await retract_entry(services, ALICE, "ZORB", fixed.record_id, "3% was right", "x-1")
    assert (await outreach_case(services, "ZORB")).case.contribution.pledged_pct == 3
    with pytest.raises(Exception, match="retracted already"):
        await retract_entry(services, ALICE, "ZORB", fixed.record_id, "again", "x-2")


async def test_has_mm_reply_puts_a_market_maker_on_record(services: Services) -> None:
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "unknown"

    result = await log_reply_has_mm(
        services, ALICE, "ZORB", "Wintermute", "2026-10-01", "2027-10-01", "40", "25000", "mm-1"
    )

    assert result.description == (
        "Has market maker Wintermute (since 2026-10-01, until 2027-10-01; max spread 40.0 bps, "
        "min ±2% depth $25k)"
    )
    # On record, with no history since its start to judge it by yet.
    assert (await mm_statuses(services, ["ZORB", "QUUX"], NOW)) == {
        "ZORB": "claimed",
        "QUUX": "unknown",
    }
    async with services.session() as session:
        [engagement] = await repo_outreach.engagements(session)
    assert result.values["engagement_id"] == engagement.id
    assert (engagement.source, engagement.status, engagement.mm_name) == (
        "reply",
        "engaged",
        "Wintermute",
    )
    assert (engagement.since, engagement.until) == (date(2026, 10, 1), date(2027, 10, 1))
    assert (engagement.max_spread_bps, engagement.min_depth_usd) == (40, 25_000)
    assert engagement.logged_by == "U_ALICE"
    # The contract ends 2027-10-01: the day after, the engagement is no longer on record.
    after = NOW.replace(year=2027, month=10, day=2)
    assert (await mm_statuses(services, ["ZORB"], after))["ZORB"] == "unknown"
    states = await outreach_state(services, ["ZORB"])
    assert states["ZORB"].label == "in talks · MM Wintermute"


async def test_no_market_maker_after_has_mm_needs_confirmation_and_records_none(
    services: Services,
) -> None:
    # The issue: "has MM Wintermute" then "declined (no market maker)" was accepted silently.
    await log_reply_has_mm(services, ALICE, "ZORB", "GSR", None, None, None, None, "mm-1")
    plain = await log_reply_declined(services, ALICE, "ZORB", "no budget", "d-1")
    assert plain.description == "Declined the contribution: no budget"
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "claimed"

    with pytest.raises(NeedsConfirmation, match="GSR is on record"):
        await log_reply_declined(services, ALICE, "ZORB", "none", "d-2", ["market_maker"])
    await log_reply_declined(services, ALICE, "ZORB", "none", "d-2", ["market_maker"], True)
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "none"
    await log_reply_has_mm(services, ALICE, "ZORB", "Keyrock", None, None, None, None, "mm-2")
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "claimed"


async def test_end_engagement_names_a_firm_on_record(services: Services) -> None:
    with pytest.raises(InvalidSubmission, match="no market maker"):
        await end_engagement(services, ALICE, "ZORB", None, None, "e-0")
    await log_reply_has_mm(services, ALICE, "ZORB", "Wintermute", None, None, None, None, "mm")
    ended = await end_engagement(services, ALICE, "ZORB", "wintermute", "2026-12-10", "e-1")
    assert (ended.values["mm_name"], ended.values["ended_on"]) == ("Wintermute", "2026-12-10")
    [firm] = (await outreach_case(services, "ZORB")).case.market_maker.engagements
    assert firm.ended_on == date(2026, 12, 10)


async def test_snooze_keeps_the_token_out_until_the_end(services: Services) -> None:
    result = await snooze(services, ALICE, "ZORB", "7", "s-1")

    assert result.snoozed_until == NOW + timedelta(days=7)
    assert result.description == "Snoozed for 7 days, until 2026-12-02 12:00 UTC"
    async with services.session() as session:
        assert await repo_snooze.snoozed_symbols(session, NOW + timedelta(days=6)) == {"ZORB"}
        assert await repo_snooze.snoozed_symbols(session, NOW + timedelta(days=7)) == set()
    state = (await outreach_state(services, ["ZORB"]))["ZORB"]
    assert (state.stage, state.label, state.snoozed) == (
        "not_contacted",
        "not contacted · snoozed until 2026-12-02",
        True,
    )
    await retract_entry(services, BOB, "ZORB", result.record_id, "too early", "s-x")
    async with services.session() as session:
        assert await repo_snooze.snoozed_symbols(session, NOW + timedelta(days=1)) == set()


async def test_a_closed_case_opens_again_when_something_is_logged(services: Services) -> None:
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o-1")
    await close_case(services, BOB, "ZORB", "project abandoned", "close-1")
    assert (await outreach_state(services, ["ZORB"]))["ZORB"].stage == "closed"
    await log_outreach(services, BOB, "ZORB", "call", None, None, None, "o-2")
    state = (await outreach_state(services, ["ZORB"]))["ZORB"]
    assert (state.stage, state.owner) == ("contacted", "U_ALICE")  # still the first to contact
