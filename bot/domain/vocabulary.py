"""The team's words, fixed once: risk tiers, market-maker statuses, outreach channels and reply
kinds, the contribution scenarios, and the demo banner.

Every layer that names one of these (the database's CHECK constraints, the modals, the
presenters, argument parsing) imports it from here, so a new value is added in one place.
"""

from __future__ import annotations

from typing import Final, Literal

from bot.domain.models import MMStatus, Tier

TIERS: Final[tuple[Tier, ...]] = ("high", "medium", "low", "unrated")
"""Risk tiers, riskiest first (SPEC 4.3)."""

AT_RISK_TIERS: Final[tuple[Tier, ...]] = ("high", "medium")
"""The tiers listed as at risk by `/atrisk`, the digest and App Home."""

MM_STATUSES: Final[tuple[MMStatus, ...]] = (
    "verified",
    "claimed",
    "breached",
    "observed",
    "none",
    "unknown",
)
"""A token's market-maker status (SPEC 4.3, see ``bot.domain.mm_status``)."""

MM_STATUS_RENAMED: Final[dict[str, MMStatus]] = {"confirmed": "claimed"}
"""Statuses stored by earlier versions, and what they read as now: ``confirmed`` (an engagement
on record, never checked against the books) is ``claimed``."""


def mm_status_of(stored: str) -> MMStatus:
    """A stored market-maker status in today's words (``MM_STATUS_RENAMED``); an unknown word
    reads as ``unknown``."""
    renamed = MM_STATUS_RENAMED.get(stored, stored)
    for status in MM_STATUSES:
        if status == renamed:
            return status
    return "unknown"


CONTRIBUTION_SCENARIOS_PCT: Final[tuple[float, ...]] = (1, 3, 5)
"""% of circulating supply shown as contribution scenarios (`/liquidity`, the pledge modal)."""

OUTREACH_CHANNELS: Final[tuple[str, ...]] = ("telegram", "email", "call", "other")
"""How the team contacted a token project."""

REPLY_KINDS: Final[tuple[str, ...]] = ("has_mm", "will_contribute", "declined", "snooze")
"""The kinds of the replies table liqbot kept before the case timeline (revision 0005 carried
them into ``case_events``)."""

ENGAGEMENT_SOURCES: Final[tuple[str, ...]] = ("reply", "analyst")
"""Who put a market maker on record: a project's reply, or an analyst."""

ENGAGEMENT_STATUSES: Final[tuple[str, ...]] = ("engaged", "none")
"""A market maker on record (``engaged``), or a recorded "no market maker" (``none``)."""

EVENT_KINDS: Final[tuple[str, ...]] = (
    "contact",
    "has_mm",
    "end_engagement",
    "pledged",
    "agreed",
    "received",
    "contribution_ended",
    "declined",
    "correct",
    "retract",
    "assign",
    "close",
    "snooze",
    "reminded",
    "escalated",
)
"""Every kind of event in an outreach case's timeline (``bot.domain.outreach``): the team's
contact, the project's answers to its two questions, the team's corrections, retractions,
assignments, closing and snoozes, and the follow-up job's reminders and escalations."""

ANSWER_KINDS: Final[tuple[str, ...]] = (
    "has_mm",
    "end_engagement",
    "pledged",
    "agreed",
    "received",
    "contribution_ended",
    "declined",
)
"""Events that answer one of the case's questions (market maker, contribution): each stops the
follow-up clock and puts the case in talks."""

QUESTIONS: Final[tuple[str, ...]] = ("market_maker", "contribution")
"""What every outreach asks the project: has it a market maker, and will it contribute 1–5% of
its circulating supply to the savings pools."""

STAGES: Final[tuple[str, ...]] = (
    "not_contacted",
    "contacted",
    "in_talks",
    "agreed",
    "delivered",
    "declined",
    "no_response",
    "closed",
)
"""A case's stage (SPEC 6), in the order the pipeline shows them."""

CONTRIBUTION_STATES: Final[tuple[str, ...]] = (
    "not_asked",
    "asked",
    "pledged",
    "agreed",
    "received",
    "ended",
    "declined",
)
"""Where the contribution question stands: asked → pledged → agreed → received → ended, or
declined."""

USUAL_PLEDGE_PCT: Final[tuple[float, float]] = (1.0, 5.0)
"""The contribution the team asks for, in % of circulating supply: a pledge outside it is
stored only once the editor confirms it."""

CaseStage = Literal[
    "not contacted",
    "contacted",
    "in talks",
    "agreed",
    "delivered",
    "declined",
    "no response",
    "closed",
]
CASE_STAGES: Final[tuple[CaseStage, ...]] = (
    "not contacted",
    "contacted",
    "in talks",
    "agreed",
    "delivered",
    "declined",
    "no response",
    "closed",
)
"""The stages of an outreach case (SPEC 6), in the order of the pipeline funnel."""

ReviewDecision = Literal["recommend", "not_now", "clear"]
REVIEW_DECISIONS: Final[tuple[ReviewDecision, ...]] = ("recommend", "not_now", "clear")
"""What the team decides on a token that meets the monitoring-tag review criteria (SPEC 6):
recommend the tag, not now (for ``REVIEW_SNOOZE_DAYS``), or clear it."""

DEMO_BANNER: Final = "DEMO DATA — fictional tokens, not market data"
"""Carried by everything shown from the bundled demo market data (SPEC 5)."""
