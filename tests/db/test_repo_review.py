"""Review decisions stored once per key; per-scan depth history and at-risk spells from the
assessments."""

from __future__ import annotations

from datetime import timedelta

from bot.db import repo_assessment, repo_review
from bot.usecases.services import Services
from tests.builders import NOW
from tests.history_builders import Figures, store_scan_of


async def test_a_decision_is_stored_once_per_key(services: Services) -> None:
    async with services.session() as session:
        first = await repo_review.insert_decision(
            session,
            idempotency_key="k1",
            symbol="ZORB",
            decision="not_now",
            until=NOW + timedelta(days=30),
            evidence={"days_under_floor": 20},
            decided_by="U_A",
            decided_at=NOW,
        )
        again = await repo_review.insert_decision(
            session,
            idempotency_key="k1",
            symbol="ZORB",
            decision="clear",
            until=None,
            evidence={},
            decided_by="U_B",
            decided_at=NOW,
        )
        stored = await repo_review.decisions(session, ["ZORB"])
        by_key = await repo_review.decision_by_key(session, "k1")
    assert first is not None and again is None
    [decision] = stored
    assert (decision.decision, decision.decided_by, decision.until) == (
        "not_now",
        "U_A",
        NOW + timedelta(days=30),
    )
    assert decision.evidence == {"days_under_floor": 20} and by_key == decision


async def test_depth_history_and_at_risk_spells_come_from_the_assessments(
    services: Services,
) -> None:
    await store_scan_of(services, NOW - timedelta(days=2), [Figures("ZORB", 4_000, 9_000)])
    await store_scan_of(
        services,
        NOW - timedelta(days=1),
        [Figures("ZORB", 5_000, tier="medium", score=40), Figures("QUUX", 70_000, tier="low")],
    )
    async with services.session() as session:
        history = await repo_assessment.depth_history(
            session, ["ZORB", "NOPE"], NOW - timedelta(days=3), NOW
        )
        spells = await repo_assessment.at_risk_between(
            session, NOW - timedelta(days=3), NOW, ("high", "medium")
        )
    assert list(history) == ["ZORB"]
    assert [(p.home_depth_2pct_usd, p.global_depth_2pct_usd) for p in history["ZORB"]] == [
        (4_000, 9_000),
        (5_000, 5_000),
    ]
    assert [(s.symbol, s.tier, s.assessments, s.max_score) for s in spells] == [
        ("ZORB", "high", 1, 70),
        ("ZORB", "medium", 1, 40),
    ]
