"""Use case: the team's decision on a token up for the monitoring-tag review (SPEC 6): Recommend
tag · Not now (for ``REVIEW_SNOOZE_DAYS``) · Clear.

Editors only (``EDITOR_USER_IDS`` / ``EDITOR_USERGROUP_IDS``, as for outreach). One transaction:
the decision with the evidence the token shows now, and the audit row. Idempotent: the key says
which listing the decision was taken on (``decision_key``: the token, the latest decision the
listing showed, and the decision), so a double click or a retried Slack request stores one
decision, while the same decision taken again on a later listing is a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.db import repo_review
from bot.domain.review import DecisionRecord
from bot.domain.vocabulary import REVIEW_DECISIONS, ReviewDecision
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.common import Actor, NotAnEditor, audit, is_editor
from bot.usecases.review import ReviewRow, review_rows
from bot.usecases.services import Services

ENTITY = "review_decisions"


@dataclass(frozen=True)
class DecisionResult:
    """The stored decision (the first one, on a duplicate) and whether this call stored it."""

    decision: DecisionRecord
    duplicate: bool


def decision_key(symbol: str, decided_after: int, decision: str) -> str:
    """The idempotency key of ``decision`` on ``symbol`` taken on a listing whose latest
    decision was ``decided_after`` (0: none)."""
    return f"review:{symbol}:{decided_after}:{decision}"


def evidence_of(row: ReviewRow) -> dict[str, Any]:
    """What the token showed when it was decided, kept with the decision."""
    return {
        "days_under_floor": len(row.under_floor),
        "counted_from": row.counted_from.isoformat(),
        "last_day": row.last_day.isoformat(),
        "days_with_data": row.days_with_data,
        "latest_depth_2pct_usd": row.latest.home_depth_2pct_usd if row.latest else None,
        "contribution_declined": row.grounds.contribution_declined,
        "no_response": row.grounds.no_response,
        "mm_breached": row.grounds.mm_breached,
        "stage": row.stage,
        "mm_status": row.mm_status,
        "met_criteria": row.meets_criteria,
    }


async def decide_review(
    services: Services,
    actor: Actor,
    symbol: str,
    decision: str,
    decided_after: int,
) -> DecisionResult:
    """Store ``actor``'s ``decision`` on ``symbol``, taken on a listing whose latest decision
    was ``decided_after``. ``NotAnEditor`` for anyone else; ValueError for a decision that is
    not one of ``REVIEW_DECISIONS`` (the buttons send only those)."""
    if not is_editor(services.settings, actor.user_id, actor.usergroup_ids):
        raise NotAnEditor(
            "Only the listing and risk editors can decide on the monitoring-tag review; ask an "
            "admin to add you to EDITOR_USER_IDS or an editor user group."
        )
    if decision not in REVIEW_DECISIONS:
        raise ValueError(f"unknown review decision {decision!r}")
    chosen: ReviewDecision = decision  # narrowed by the check above
    symbol = parse_symbol(symbol)
    now = services.clock()
    days = services.settings.review.snooze_days
    until = now + timedelta(days=days) if chosen == "not_now" else None
    key = decision_key(symbol, decided_after, chosen)
    async with services.session() as session:
        [row] = await review_rows(session, services.settings, now, [symbol])
        evidence = evidence_of(row)
        new_id = await repo_review.insert_decision(
            session,
            idempotency_key=key,
            symbol=symbol,
            decision=chosen,
            until=until,
            evidence=evidence,
            decided_by=actor.user_id,
            decided_at=now,
        )
        if new_id is not None:
            values = {
                "symbol": symbol,
                "until": until.isoformat() if until else None,
                "evidence": evidence,
            }
            await audit(session, actor, now, f"review_{chosen}", ENTITY, new_id, values)
        stored = await repo_review.decision_by_key(session, key)
    if stored is None:  # pragma: no cover - inserted or found by its key above
        raise RuntimeError("review decision vanished after insert")
    return DecisionResult(stored, duplicate=new_id is None)
