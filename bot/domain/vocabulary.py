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
"""What can be logged after an outreach: the project's answers, and the team's own snooze."""

ANSWER_KINDS: Final[tuple[str, ...]] = ("has_mm", "will_contribute", "declined")
"""Reply kinds that are the project's answer (a snooze is the team's own decision)."""

ENGAGEMENT_SOURCES: Final[tuple[str, ...]] = ("reply", "analyst")
"""Who put a market maker on record: a project's reply, or an analyst."""

ENGAGEMENT_STATUSES: Final[tuple[str, ...]] = ("engaged", "none")
"""A market maker on record (``engaged``), or a recorded "no market maker" (``none``)."""

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
