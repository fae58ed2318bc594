"""The two questions of an outreach case, answered from its standing timeline entries (oldest
first): has the project a market maker, and will it contribute to the savings pools.

Market maker: each "has MM" puts a firm on record (a later one for the same firm, by name
regardless of case, replaces the earlier); "end engagement" ends a firm's engagement on a day;
declining the question ("no market maker") clears every firm. Contribution: asked (the project
was contacted) → pledged → agreed → received → ended, or declined; the latest answer decides the
state, and every figure answered before stays on record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.domain.contribution import DatedFigures, shortfall_tokens
from bot.domain.timeline import Entry, day_of, declines, figures_of, number_of


@dataclass(frozen=True)
class Engagement:
    """A market maker on record in the case: the firm, the contract's dates, its obligations (max
    spread in bps, min ±2% depth in USD), and the day an "end engagement" ended it."""

    mm_name: str
    since: date | None
    until: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None
    event_id: int
    ended_on: date | None = None

    def running_on(self, day: date) -> bool:
        end = min((d for d in (self.until, self.ended_on) if d is not None), default=None)
        return (self.since is None or self.since <= day) and (end is None or end >= day)


@dataclass(frozen=True)
class MarketMakerAnswer:
    """The market-maker question: ``state`` not_asked / asked / has_mm / none; the firms on
    record (latest record per firm) and, for ``none``, the reason given."""

    state: str
    engagements: tuple[Engagement, ...] = ()
    answered_at: datetime | None = None
    none_reason: str | None = None


@dataclass(frozen=True)
class ContributionAnswer:
    """The contribution question (``CONTRIBUTION_STATES``) and every figure on record: the
    pledge (% of circulating supply and its dated token figures), the agreed and the received
    amounts (tokens, dated), the lock-up, the end and the reason of a decline."""

    state: str
    pledged_pct: float | None = None
    pledged: DatedFigures | None = None
    pledged_at: datetime | None = None
    agreed: DatedFigures | None = None
    agreed_at: datetime | None = None
    received: DatedFigures | None = None
    received_on: date | None = None
    lockup_until: date | None = None
    ended_on: date | None = None
    declined_reason: str | None = None

    @property
    def shortfall_tokens(self) -> float | None:
        """Tokens agreed but not received (None when nothing is short)."""
        agreed = self.agreed.tokens if self.agreed else None
        return shortfall_tokens(agreed, self.received.tokens if self.received else None)


def market_maker_answer(entries: Sequence[Entry], contacted: bool) -> MarketMakerAnswer:
    """The market-maker question from standing ``entries``; ``contacted``: it was asked."""
    answer = MarketMakerAnswer("asked" if contacted else "not_asked")
    firms: dict[str, Engagement] = {}
    for entry in entries:
        v = entry.values
        if entry.kind == "has_mm" and v.get("mm_name"):
            name = str(v["mm_name"])
            firms[name.casefold()] = Engagement(
                mm_name=name,
                since=day_of(v.get("since")),
                until=day_of(v.get("until")),
                max_spread_bps=number_of(v.get("max_spread_bps")),
                min_depth_usd=number_of(v.get("min_depth_usd")),
                event_id=entry.event.id,
            )
            answer = MarketMakerAnswer("has_mm", answered_at=entry.event.at)
        elif entry.kind == "end_engagement" and str(v.get("mm_name", "")).casefold() in firms:
            key = str(v["mm_name"]).casefold()
            firms[key] = _ended(firms[key], day_of(v.get("ended_on")))
            answer = MarketMakerAnswer("has_mm", answered_at=entry.event.at)
        elif entry.kind == "declined" and declines(v, "market_maker"):
            firms = {}
            reason = str(v.get("reason") or "") or None
            answer = MarketMakerAnswer("none", answered_at=entry.event.at, none_reason=reason)
    return MarketMakerAnswer(
        answer.state, tuple(firms.values()), answer.answered_at, answer.none_reason
    )


def _ended(engagement: Engagement, day: date | None) -> Engagement:
    return replace(engagement, ended_on=day)


def contribution_answer(entries: Sequence[Entry], contacted: bool) -> ContributionAnswer:
    """The contribution question from standing ``entries``; ``contacted``: it was asked."""
    found: dict[str, Any] = {"state": "asked" if contacted else "not_asked"}
    for entry in entries:
        v, at = entry.values, entry.event.at
        if entry.kind == "pledged":
            pct = number_of(v.get("pct_of_supply"))
            found.update(state="pledged", pledged_pct=pct, pledged=figures_of(v), pledged_at=at)
        elif entry.kind == "agreed":
            found.update(state="agreed", agreed=figures_of(v), agreed_at=at)
        elif entry.kind == "received":
            found.update(
                state="received",
                received=figures_of(v),
                received_on=day_of(v.get("received_on")),
                lockup_until=day_of(v.get("lockup_until")),
            )
        elif entry.kind == "contribution_ended":
            found.update(state="ended", ended_on=day_of(v.get("ended_on")))
        elif entry.kind == "declined" and declines(v, "contribution"):
            found.update(state="declined", declined_reason=str(v.get("reason") or "") or None)
    return ContributionAnswer(**found)
