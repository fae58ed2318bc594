"""`/review`: which tokens meet the monitoring-tag review criteria on a generated history (days
under the floor counted by hand), and how decisions move them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db import repo_audit
from bot.usecases.outreach import NotAnEditor
from bot.usecases.review import review_list, review_row
from bot.usecases.review_decide import decide_review
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock, count_rows
from tests.review_scenario import DECLINED_AT, WINDOW, store_review_tokens


async def test_the_list_holds_the_tokens_meeting_both_halves(
    services: Services, clock: Clock
) -> None:
    await store_review_tokens(services, clock)
    listing = await review_list(services)
    assert [(r.symbol, len(r.under_floor)) for r in listing.open] == [
        ("FULLY", 30),  # every day of the window under $50k
        ("DECLO", 15),  # 9..24 Nov without the 15th
        ("BOUND", 14),  # 26 Oct..8 Nov: the 6 days before the window do not count
    ]
    assert listing.recommended == () and listing.not_now == ()
    declo = next(r for r in listing.open if r.symbol == "DECLO")
    assert (declo.counted_from, declo.last_day) == WINDOW
    assert declo.days_with_data == 23 and declo.latest is not None
    assert (declo.latest.day, declo.latest.home_depth_2pct_usd) == (date(2026, 11, 24), 8_000)
    assert declo.grounds.contribution_declined and not declo.grounds.mm_breached
    assert declo.contribution is not None and declo.contribution[1].at == DECLINED_AT
    assert (declo.stage, declo.mm_status, declo.decision) == ("declined", "unknown", None)


async def test_tokens_short_of_a_half_are_not_listed(services: Services, clock: Clock) -> None:
    await store_review_tokens(services, clock)
    edgey = await review_row(services, "EDGEY")
    assert (len(edgey.under_floor), edgey.meets_criteria) == (13, False)  # one day short
    pledged = await review_row(services, "PLEDG")
    assert len(pledged.under_floor) == 30 and not pledged.grounds.any
    contacted = await review_row(services, "CONTA")
    assert (contacted.stage, contacted.meets_criteria) == ("contacted", False)


async def test_decisions_are_stored_once_audited_and_move_the_token(
    services: Services, clock: Clock
) -> None:
    await store_review_tokens(services, clock)
    first = await decide_review(services, ALICE, "declo", "not_now", 0)
    again = await decide_review(services, ALICE, "DECLO", "not_now", 0)  # a double click
    assert not first.duplicate and again.duplicate and again.decision == first.decision
    assert first.decision.until == NOW + timedelta(days=30)
    assert first.decision.evidence["days_under_floor"] == 15
    assert first.decision.evidence["contribution_declined"] is True
    assert await count_rows(services, "review_decisions") == 1
    async with services.session() as session:
        [audit] = await repo_audit.audit_rows(session, "review_decisions")
    assert (audit.action, audit.actor_user, audit.entity_id) == (
        "review_not_now",
        "U_ALICE",
        str(first.decision.id),
    )
    assert audit.values is not None and audit.values["symbol"] == "DECLO"
    listing = await review_list(services)
    assert [r.symbol for r in listing.not_now] == ["DECLO"]
    assert "DECLO" not in [r.symbol for r in listing.open]

    await decide_review(services, BOB, "BOUND", "recommend", 0)
    clock.advance(minutes=1)
    await decide_review(services, BOB, "FULLY", "clear", 0)
    listing = await review_list(services)
    assert [r.symbol for r in listing.recommended] == ["BOUND"]
    assert listing.open == ()  # FULLY cleared today: its count restarts tomorrow
    cleared = await review_row(services, "FULLY")
    assert (cleared.counted_from, cleared.under_floor) == (date(2026, 11, 26), ())


async def test_only_editors_decide(make_services: object, clock: Clock) -> None:
    services = make_services(editor_user_ids="U_ALICE")  # type: ignore[operator]
    with pytest.raises(NotAnEditor, match="monitoring-tag review"):
        await decide_review(services, BOB, "DECLO", "recommend", 0)
    assert await count_rows(services, "review_decisions") == 0
    assert await count_rows(services, "audit_log") == 0
