"""The monitoring-tag review (SPEC 6): which tokens the team should consider for the exchange's
monitoring tag, and where each stands after the team's decisions.

A token meets the review criteria when, in the review window (the ``window_days`` whole team
days before today; today is not over yet):

1. its daily home ±2% depth (``bot.domain.history``) was under the floor
   (``RISK_MIN_DEPTH_2PCT_USD``) on at least ``min_days_under_floor`` days, AND
2. the project would not help: its contribution declined, OR no response after the escalation,
   OR its market maker ``breached`` its obligations.

Each ground of 2. reads a state handed in (the contribution answer, the case stage, the
market-maker status) and knows nothing of where it came from: ``bot.domain.case_record`` derives
the first two from today's records, the latest assessment carries the status.

Decisions (the latest one decides):
- ``recommend``: the token is listed apart, recommended for the tag, until a later decision;
- ``not_now``: out of the list until its ``until`` (``REVIEW_SNOOZE_DAYS`` after the decision),
  then back if it still meets the criteria;
- ``clear``: reviewed and left untagged; the days up to the decision's day no longer count, so
  the token comes back only after ``min_days_under_floor`` new days under the floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from bot.domain.calendar import team_day
from bot.domain.vocabulary import ReviewDecision

Standing = Literal["open", "recommended", "not_now"]


@dataclass(frozen=True)
class ReviewRules:
    """The review criteria: the floor (USD, the low-depth rule's), the days under it needed
    within the window (days), and how long "not now" lasts (days)."""

    floor_usd: float
    min_days_under_floor: int
    window_days: int
    snooze_days: int


def contribution_declined(answer: str | None) -> bool:
    """Ground: the latest answer to the contribution question is ``declined``."""
    return answer == "declined"


def no_response_after_escalation(stage: str) -> bool:
    """Ground: the case is at the stage ``no response`` (escalated, still no reply)."""
    return stage == "no response"


def market_maker_breached(mm_status: str) -> bool:
    """Ground: the market maker on record met its obligations on too few days (``breached``)."""
    return mm_status == "breached"


@dataclass(frozen=True)
class Grounds:
    """Which of the three grounds hold for a token."""

    contribution_declined: bool = False
    no_response: bool = False
    mm_breached: bool = False

    @property
    def any(self) -> bool:
        return self.contribution_declined or self.no_response or self.mm_breached


def grounds(contribution: str | None, stage: str, mm_status: str) -> Grounds:
    """The grounds that hold for the given contribution answer, case stage and market-maker
    status."""
    return Grounds(
        contribution_declined(contribution),
        no_response_after_escalation(stage),
        market_maker_breached(mm_status),
    )


@dataclass(frozen=True)
class DecisionRecord:
    """A stored review decision: who (Slack user id) decided what about ``symbol`` and when;
    ``until`` ends a ``not_now``; ``evidence`` is what the token showed when it was decided."""

    id: int
    symbol: str
    decision: ReviewDecision
    decided_by: str
    decided_at: datetime
    until: datetime | None
    evidence: dict[str, Any]


def latest_decision(decisions: Sequence[DecisionRecord], now: datetime) -> DecisionRecord | None:
    """The latest of one token's decisions taken at or before ``now``."""
    taken = [d for d in decisions if d.decided_at <= now]
    return max(taken, key=lambda d: (d.decided_at, d.id), default=None)


def standing(decisions: Sequence[DecisionRecord], now: datetime) -> Standing:
    """Where one token stands at ``now``: ``recommended``, ``not_now`` (while it runs) or
    ``open`` (no decision, a clear, or a "not now" that ran out)."""
    latest = latest_decision(decisions, now)
    if latest is None:
        return "open"
    if latest.decision == "recommend":
        return "recommended"
    if latest.decision == "not_now" and latest.until is not None and latest.until > now:
        return "not_now"
    return "open"


def review_window(today: date, rules: ReviewRules) -> tuple[date, date]:
    """[first, last] team days of the window: the ``window_days`` days before ``today``."""
    return today - timedelta(days=rules.window_days), today - timedelta(days=1)


def counted_from(
    first: date, decisions: Sequence[DecisionRecord], now: datetime, timezone: str
) -> date:
    """The first day whose depth counts: the window's ``first``, or the day after the latest
    ``clear`` when that is later."""
    clears = [d for d in decisions if d.decision == "clear" and d.decided_at <= now]
    if not clears:
        return first
    cleared = max(team_day(d.decided_at, timezone) for d in clears)
    return max(first, cleared + timedelta(days=1))


def meets_criteria(days_under_floor: int, rules: ReviewRules, found: Grounds) -> bool:
    """Whether a token with ``days_under_floor`` counted days and these grounds is up for
    review."""
    return days_under_floor >= rules.min_days_under_floor and found.any
