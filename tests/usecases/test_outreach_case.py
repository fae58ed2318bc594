"""Reading the cases: `/outreach TOKEN`'s timeline with depth before/after each answer, the lists
(mine, team, overdue), the one-line states, and the export (events and cases)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bot.usecases.outreach import (
    assign_owner,
    case_list,
    log_agreed,
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    outreach_case,
    outreach_state,
    snooze,
)
from bot.usecases.outreach.export import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    export_cases,
    export_events,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock, market, store_snapshot, store_supply

T = NOW  # the answer


BEFORE = ((timedelta(days=-8), 5_000), (timedelta(hours=-2), 20_000))
AFTER = ((timedelta(days=1), 30_000), (timedelta(days=6), 35_000), (timedelta(days=8), 50_000))
"""Home ±2% depth (smaller side) around the reply: 5k 8 days before (too old to count), 20k 2 h
before, 30k 1 day after, 35k 6 days after, 50k 8 days after (past the week)."""


async def _depth_history(services: Services, points: tuple[tuple[timedelta, int], ...]) -> None:
    for offset, depth in points:
        deep_elsewhere = market("ZORB/USDT", "okx", bid_usd=900_000, ask_usd=900_000)
        home = market(bid_usd=depth, ask_usd=depth + 5_000)
        await store_snapshot(services, [home, deep_elsewhere], T + offset)


async def test_timeline_shows_depth_before_and_after_each_answer(
    services: Services, clock: Clock
) -> None:
    await _depth_history(services, BEFORE)
    await store_supply(services, "ZORB", 1_000_000_000)
    clock.now = T - timedelta(days=1)
    outreach = await log_outreach(services, ALICE, "ZORB", "telegram", "@zorb", None, None, "o")
    clock.now = T
    reply = await log_reply_contribution(services, BOB, "ZORB", "3", "r")
    await _depth_history(services, AFTER)  # the snapshot job goes on after the answer

    clock.now = T + timedelta(days=3)  # within the week: "after" is the latest sample so far
    early = await outreach_case(services, "zorb")
    first, second = early.case.entries
    assert (first.kind, first.event.id, first.event.by, first.event.at) == (
        "contact",
        outreach.record_id,
        "alice",
        T - timedelta(days=1),
    )
    assert first.event.id not in early.depth  # a contact is no answer
    assert (second.kind, second.event.id, second.event.by) == ("pledged", reply.record_id, "bob")
    assert second.values["depth_2pct_usd"] == 20_000
    depth = early.depth[reply.record_id]
    assert (depth.before_usd, depth.before_at) == (20_000, T - timedelta(hours=2))
    assert (depth.after_usd, depth.after_at) == (30_000, T + timedelta(days=1))
    assert early.case.stage == "in_talks" and early.case.owner == "U_ALICE"
    assert early.followup is not None
    assert early.followup.awaiting == (
        "an answer on the market maker",
        "the agreement on the 3% pledged",
    )

    clock.now = T + timedelta(days=10)  # a week has passed: the comparison stays at +7 days
    late = (await outreach_case(services, "ZORB")).depth[reply.record_id]
    assert (late.before_usd, late.after_usd, late.after_at) == (
        20_000,
        35_000,
        T + timedelta(days=6),
    )
    assert late.change == pytest.approx(0.75)  # 35k / 20k − 1


async def test_the_case_of_a_token_never_contacted(services: Services) -> None:
    view = await outreach_case(services, "QUUX")
    assert view.case.entries == () and view.case.stage == "not_contacted"
    assert (view.home_exchange, view.followup, view.case.owner) == ("binance", None, None)
    assert [form.action_id for form in view.steps] == [
        "log_outreach",
        "reply_has_mm",
        "reply_contribute",
        "reply_declined",
        "snooze",
    ]


async def test_states_say_stage_answers_and_owner(services: Services, clock: Clock) -> None:
    clock.now = NOW - timedelta(days=3, hours=1)
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o1")
    await log_outreach(services, ALICE, "QUUX", "email", None, None, None, "o2")
    await snooze(services, BOB, "FLIM", 14, "s1")
    clock.now = NOW - timedelta(days=1)
    await log_reply_declined(services, BOB, "QUUX", "no budget", "d1")
    await log_outreach(services, BOB, "FLIM", "call", None, None, None, "o3")
    clock.now = NOW

    states = await outreach_state(services, ["ZORB", "QUUX", "FLIM", "NEWT"])

    assert {s: (st.stage, st.text) for s, st in states.items()} == {
        "ZORB": ("contacted", "contacted 3 days ago · owner alice"),
        "QUUX": ("declined", "declined · owner alice"),
        "FLIM": ("contacted", "contacted 1 day ago · snoozed until 2026-12-06 · owner bob"),
        "NEWT": ("not_contacted", "not contacted"),
    }
    assert states["FLIM"].snoozed_until == NOW - timedelta(days=3, hours=1) + timedelta(days=14)


async def test_mine_team_and_overdue(services: Services, clock: Clock) -> None:
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o1")
    await log_outreach(services, BOB, "QUUX", "email", None, None, "2026-11-26", "o2")
    await log_outreach(services, ALICE, "FLIM", "email", None, None, None, "o3")
    await assign_owner(services, ALICE, "FLIM", "U0CAROL", "carol", "a1")
    clock.advance(days=2)

    mine = await case_list(services, "mine", "U_ALICE")
    assert [r.case.symbol for r in mine.rows] == ["ZORB"]
    team = await case_list(services, "team", "U_ALICE")
    assert [(r.case.owner_name, r.case.symbol) for r in team.rows] == [
        ("alice", "ZORB"),
        ("bob", "QUUX"),
        ("carol", "FLIM"),
    ]
    overdue = await case_list(services, "overdue", "U_ALICE")
    assert [(r.case.symbol, r.followup and r.followup.due_on) for r in overdue.rows] == [
        ("QUUX", date(2026, 11, 26))
    ]


async def test_export_events_are_rounded_named_and_in_the_teams_zone(
    make_services: Callable[..., Services], clock: Clock
) -> None:
    services = make_services(timezone="Europe/Berlin")
    await store_supply(services, "ZORB", 1_000_000)
    await store_snapshot(services, [market(mid=0.5, bid_usd=10_000)], NOW - timedelta(hours=1))
    await log_outreach(services, ALICE, "ZORB", "email", "=HYPERLINK(1)", "hi", "2026-12-01", "o")
    clock.advance(hours=1)
    await log_reply_contribution(services, BOB, "ZORB", "2.123456", "r")

    rows = await export_events(services)

    assert [list(row) for row in rows] == [list(EVENT_COLUMNS)] * 2
    contact, pledge = rows
    assert (contact["at"], contact["by"], contact["by_id"], contact["kind"]) == (
        "2026-11-25T13:00+01:00",
        "alice",
        "U_ALICE",
        "contact",
    )
    assert (contact["contact"], contact["status"]) == ("=HYPERLINK(1)", "standing")
    # 2.123456% of 1,000,000 = 21,234.56 tokens × $0.50 = $10,617.28 → whole tokens and dollars.
    assert (pledge["pct_of_supply"], pledge["tokens"], pledge["usd"]) == (2.1235, 21_235, 10_617)
    assert (pledge["depth_2pct_usd"], pledge["absorbable_usd"]) == (10_000, 10_000)
    assert pledge["figures_at"] == "2026-11-25T12:00+01:00"
    assert await export_events(services, since=date(2026, 11, 26)) == []
    assert len(await export_events(services, until=date(2026, 11, 25))) == 2


async def test_export_cases_one_row_each(services: Services, clock: Clock) -> None:
    await store_supply(services, "ZORB", 1_000_000)
    await store_snapshot(services, [market(mid=0.5, bid_usd=10_000)], NOW - timedelta(hours=1))
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o")
    await log_reply_contribution(services, ALICE, "ZORB", "3", "r")
    clock.advance(days=1)
    await log_agreed(services, BOB, "ZORB", "30000", "a")
    await log_outreach(services, BOB, "QUUX", "call", None, None, None, "q")

    rows = await export_cases(services)

    assert [list(row) for row in rows] == [list(CASE_COLUMNS)] * 2
    assert [r["symbol"] for r in rows] == ["QUUX", "ZORB"]
    zorb = rows[1]
    assert (zorb["stage"], zorb["owner"], zorb["contribution"]) == ("agreed", "alice", "agreed")
    assert (zorb["pledged_pct"], zorb["pledged_tokens"], zorb["agreed_tokens"]) == (
        3.0,
        30_000,
        30_000,
    )
    assert zorb["events"] == 3
    # As they stood on the first day: only ZORB had events, pledged and not yet agreed.
    [first_day] = await export_cases(services, until=NOW.date())
    assert (first_day["symbol"], first_day["stage"]) == ("ZORB", "in_talks")
