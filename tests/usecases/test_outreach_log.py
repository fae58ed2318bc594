"""Reading the log: `/outreach TOKEN`'s timeline with depth before/after, states, the export."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.usecases.outreach import (
    EXPORT_COLUMNS,
    export_outreach,
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    outreach_state,
    outreach_timeline,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock, market, store_snapshot, store_supply

T = NOW  # the reply


BEFORE = ((timedelta(days=-8), 5_000), (timedelta(hours=-2), 20_000))
AFTER = ((timedelta(days=1), 30_000), (timedelta(days=6), 35_000), (timedelta(days=8), 50_000))
"""Home ±2% depth (smaller side) around the reply: 5k 8 days before (too old to count), 20k 2 h
before, 30k 1 day after, 35k 6 days after, 50k 8 days after (past the week)."""


async def _depth_history(services: Services, points: tuple[tuple[timedelta, int], ...]) -> None:
    for offset, depth in points:
        deep_elsewhere = market("ZORB/USDT", "okx", bid_usd=900_000, ask_usd=900_000)
        home = market(bid_usd=depth, ask_usd=depth + 5_000)
        await store_snapshot(services, [home, deep_elsewhere], T + offset)


async def test_timeline_shows_depth_before_and_after_each_reply(
    services: Services, clock: Clock
) -> None:
    await _depth_history(services, BEFORE)
    await store_supply(services, "ZORB", 1_000_000_000)
    clock.now = T - timedelta(days=1)
    outreach = await log_outreach(services, ALICE, "ZORB", "telegram", "@zorb", None, None, "o")
    clock.now = T
    reply = await log_reply_contribution(services, BOB, "ZORB", "3", "r")
    await _depth_history(services, AFTER)  # the snapshot job goes on after the reply

    clock.now = T + timedelta(days=3)  # within the week: "after" is the latest sample so far
    early = await outreach_timeline(services, "zorb")
    first, second = early.entries
    assert (first.kind, first.record_id, first.by, first.at) == (
        "outreach",
        outreach.record_id,
        "U_ALICE",
        T - timedelta(days=1),
    )
    assert first.summary == "Outreach by telegram to @zorb" and first.depth is None
    assert (second.kind, second.record_id, second.by, second.at) == (
        "will_contribute",
        reply.record_id,
        "U_BOB",
        T,
    )
    assert second.pledge is not None and second.pledge.depth_2pct_usd == 20_000
    assert second.depth is not None
    assert (second.depth.before_usd, second.depth.before_at) == (20_000, T - timedelta(hours=2))
    assert (second.depth.after_usd, second.depth.after_at) == (30_000, T + timedelta(days=1))
    assert early.state.label == "will contribute 3%"

    clock.now = T + timedelta(days=10)  # a week has passed: the comparison stays at +7 days
    late = (await outreach_timeline(services, "ZORB")).entries[1].depth
    assert late is not None
    assert (late.before_usd, late.after_usd, late.after_at) == (
        20_000,
        35_000,
        T + timedelta(days=6),
    )
    assert late.change == pytest.approx(0.75)  # 35k / 20k − 1


async def test_timeline_of_a_token_never_contacted(services: Services) -> None:
    timeline = await outreach_timeline(services, "QUUX")
    assert timeline.entries == () and timeline.state.state == "not_contacted"
    assert timeline.home_exchange == "binance"


async def test_states_follow_the_latest_record(services: Services, clock: Clock) -> None:
    clock.now = NOW - timedelta(days=3, hours=1)
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o1")
    await log_outreach(services, ALICE, "QUUX", "email", None, None, None, "o2")
    await snooze(services, BOB, "FLIM", 14, "s1")
    clock.now = NOW - timedelta(days=1)
    await log_reply_declined(services, BOB, "QUUX", "no budget", "d1")
    await log_outreach(services, BOB, "FLIM", "call", None, None, None, "o3")
    clock.now = NOW

    states = await outreach_state(services, ["ZORB", "QUUX", "FLIM", "NEWT"])

    assert {s: (st.state, st.label) for s, st in states.items()} == {
        "ZORB": ("contacted", "contacted 3d ago by U_ALICE"),
        "QUUX": ("declined", "declined"),
        # Contacted after the snooze began: contacted, and still snoozed.
        "FLIM": ("contacted", "contacted 1d ago by U_BOB"),
        "NEWT": ("not_contacted", "not contacted"),
    }
    assert states["FLIM"].snoozed_until == NOW - timedelta(days=3, hours=1) + timedelta(days=14)
    assert not states["ZORB"].snoozed and states["QUUX"].by == "U_BOB"


async def test_export_flattens_outreach_and_replies_in_time_order(
    services: Services, clock: Clock
) -> None:
    await store_supply(services, "ZORB", 1_000_000)
    await store_snapshot(services, [market(mid=0.5, bid_usd=10_000)], NOW - timedelta(hours=1))
    await log_outreach(services, ALICE, "ZORB", "email", "ceo@zorb.io", "hi", "2026-12-01", "o")
    clock.advance(hours=1)
    await log_reply_contribution(services, BOB, "ZORB", "2", "r")

    rows = await export_outreach(services)

    assert [list(row) for row in rows] == [list(EXPORT_COLUMNS)] * 2
    outreach, reply = rows
    assert {k: v for k, v in outreach.items() if v is not None} == {
        "record": "outreach",
        "id": 1,
        "symbol": "ZORB",
        "logged_at": "2026-11-25T12:00:00+00:00",
        "logged_by": "U_ALICE",
        "kind": "outreach",
        "channel": "email",
        "contact": "ceo@zorb.io",
        "notes": "hi",
        "followup_on": "2026-12-01",
    }
    # 2% of 1,000,000 = 20,000 tokens × $0.50 = $10,000, next to a $10,000 ±2% depth.
    assert {k: v for k, v in reply.items() if v is not None} == {
        "record": "reply",
        "id": 1,
        "symbol": "ZORB",
        "logged_at": "2026-11-25T13:00:00+00:00",
        "logged_by": "U_BOB",
        "kind": "will_contribute",
        "outreach_id": 1,
        "pct_of_supply": 2.0,
        "tokens": pytest.approx(20_000),
        "usd_value": pytest.approx(10_000),
        "price_usd": pytest.approx(0.5),
        "depth_2pct_usd": 10_000,
    }
