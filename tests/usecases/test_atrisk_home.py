"""`/atrisk` from the latest stored assessments, and the App Home counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.db import repo_assessment
from bot.domain.aggregate import aggregate_token
from bot.domain.models import RiskAssessment, Tier
from bot.errors import UserFacingError
from bot.usecases.atrisk import at_risk
from bot.usecases.home import home_summary
from bot.usecases.outreach import (
    log_outreach,
    log_reply_contribution,
    log_reply_has_mm,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, Clock, market, store_snapshot


async def _assess(
    services: Services, scores: dict[str, tuple[int, Tier]], assessed_at: datetime
) -> None:
    """One stored batch: each token's score and tier, its figures from a plain market."""
    scan_id = await store_snapshot(services, [], assessed_at)
    items = []
    for symbol, (score, tier) in scores.items():
        liquidity = aggregate_token(symbol, [market(f"{symbol}/USDT")], "binance", None)
        risk = RiskAssessment(symbol, score, tier, (f"reason of {symbol}",), ("low_depth",), "none")
        items.append((liquidity, risk))
    async with services.session() as session:
        await repo_assessment.store_assessments(session, scan_id, assessed_at, items)


async def _batches(services: Services) -> None:
    # Yesterday's batch had ZZZ at risk; the latest one does not list it any more.
    await _assess(services, {"ZZZ": (99, "high")}, NOW - timedelta(days=1))
    latest: dict[str, tuple[int, Tier]] = {
        "CCC": (40, "medium"),
        "AAA": (80, "high"),
        "DDD": (10, "low"),
        "BBB": (80, "high"),
        "EEE": (35, "medium"),
    }
    await _assess(services, latest, NOW - timedelta(minutes=10))


async def test_no_scan_yet(services: Services) -> None:
    empty = await at_risk(services)
    assert (empty.scanned, empty.rows, empty.total, empty.as_of) == (False, (), 0, None)
    home = await home_summary(services, "U_ALICE")
    assert (home.scanned, home.at_risk, home.mine, home.overdue) == (False, 0, (), ())


async def test_at_risk_ranks_the_latest_batch_with_outreach_states(services: Services) -> None:
    await _batches(services)
    await log_outreach(services, ALICE, "BBB", "telegram", None, None, None, "o-bbb")
    await snooze(services, BOB, "CCC", 30, "s-ccc")

    listing = await at_risk(services, limit=3)

    assert (listing.scanned, listing.as_of, listing.total) == (
        True,
        NOW - timedelta(minutes=10),
        4,
    )
    assert listing.counts == {"high": 2, "medium": 2}
    assert [(r.rank, r.symbol, r.assessment.score) for r in listing.rows] == [
        (1, "AAA", 80),  # ties broken by symbol
        (2, "BBB", 80),
        (3, "CCC", 40),
    ]
    aaa, bbb, ccc = listing.rows
    assert aaa.outreach.label == "not contacted" and not aaa.snoozed
    assert bbb.outreach.text == "contacted today · owner alice"
    assert ccc.snoozed and ccc.outreach.label == "not contacted · snoozed until 2026-12-25"
    assert aaa.assessment.reasons == ("reason of AAA",)
    assert aaa.assessment.home_depth_2pct_usd == 40_000

    medium = await at_risk(services, limit=20, tier="medium")
    assert [r.symbol for r in medium.rows] == ["CCC", "EEE"] and medium.total == 2


async def test_unrated_tokens_are_data_issues_never_ranked(services: Services) -> None:
    await _batches(services)
    scan_id = await store_snapshot(services, [], NOW - timedelta(minutes=5))
    fault = "BAD/USDT on binance: crossed book: best bid 1.01 >= best ask 1"
    unrated = RiskAssessment("BAD", None, "unrated", (fault,), ("data_fault",), "unknown")
    ranked = RiskAssessment("AAA", 80, "high", ("reason of AAA",), ("low_depth",), "none")
    liquidity = aggregate_token("AAA", [market("AAA/USDT")], "binance", None)
    async with services.session() as session:
        await repo_assessment.store_assessments(
            session,
            scan_id,
            NOW - timedelta(minutes=5),
            [(liquidity, ranked), (replace(liquidity, symbol="BAD"), unrated)],
        )

    listing = await at_risk(services)

    assert [r.symbol for r in listing.rows] == ["AAA"] and listing.total == 1
    assert listing.counts == {"high": 1, "medium": 0}
    assert [(a.symbol, a.score, a.reasons) for a in listing.data_issues] == [
        ("BAD", None, (fault,))
    ]


@pytest.mark.parametrize(("limit", "tier"), [(0, None), (101, None), (5, "low"), (5, "HIGH")])
async def test_at_risk_refuses_bad_arguments(
    services: Services, limit: int, tier: str | None
) -> None:
    with pytest.raises(UserFacingError):
        await at_risk(services, limit=limit, tier=tier)


async def test_home_counts_the_pipeline_and_the_viewers_followups(
    services: Services, clock: Clock
) -> None:
    await _batches(services)
    await log_outreach(services, ALICE, "BBB", "telegram", None, None, None, "o-bbb")
    await log_outreach(services, BOB, "EEE", "email", None, None, "2026-12-20", "o-eee")
    await log_outreach(services, BOB, "AAA", "call", None, None, None, "o-aaa")
    await log_reply_has_mm(services, BOB, "AAA", "GSR", None, None, None, None, "m-aaa")
    await log_reply_contribution(services, BOB, "AAA", "3", "r-aaa")
    await snooze(services, BOB, "CCC", 30, "s-ccc")
    clock.advance(days=8)  # Alice's BBB outreach (no date) is due; Bob's EEE waits for Dec 20

    alice = await home_summary(services, "U_ALICE")

    assert (alice.scanned, alice.at_risk, alice.as_of) == (True, 4, NOW + timedelta(days=8))
    assert alice.by_tier == {"high": 2, "medium": 2}
    assert alice.by_stage == {
        "not_contacted": 1,  # CCC: snoozed, never contacted
        "contacted": 2,
        "in_talks": 1,  # AAA: has MM and will contribute, both counted in its case
        "agreed": 0,
        "delivered": 0,
        "declined": 0,
        "no_response": 0,
        "closed": 0,
    }
    assert alice.by_contribution == {
        "asked": 2,
        "pledged": 1,
        "agreed": 0,
        "received": 0,
        "ended": 0,
        "declined": 0,
    }
    assert [
        (r.case.symbol, r.followup and r.followup.days_waiting(alice.as_of)) for r in alice.mine
    ] == [("BBB", 8)]
    # The team's, whoever owns them: AAA waits for the agreement on its pledge.
    assert [r.case.symbol for r in alice.overdue] == ["AAA", "BBB"]
    bob = await home_summary(services, "U_BOB")
    assert [r.case.symbol for r in bob.mine] == ["AAA", "EEE"]  # the soonest due first
    assert [r.case.symbol for r in bob.overdue] == ["AAA", "BBB"]
