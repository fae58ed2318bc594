"""Plain records of the outreach and reply log, as ``bot.db.repo_outreach`` hands them out.

Frozen dataclasses, no SQLAlchemy. Timestamps are aware UTC; ``logged_by`` is a Slack user id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class OutreachRecord:
    """The team contacted a token project through ``channel`` (telegram/email/call/other)."""

    id: int
    symbol: str
    channel: str
    contact: str | None
    notes: str | None
    followup_on: date | None
    logged_by: str
    logged_at: datetime
    reminded_at: datetime | None


@dataclass(frozen=True)
class ReplyRecord:
    """A reply: ``kind`` has_mm / will_contribute / declined / snooze, values in ``details``."""

    id: int
    symbol: str
    outreach_id: int | None
    kind: str
    details: dict[str, Any]
    logged_by: str
    logged_at: datetime


@dataclass(frozen=True)
class EngagementRecord:
    """A market maker on record (``status`` engaged) or a recorded "none"; contract dates and
    obligations (max spread in bps, min ±2% depth in USD) when known."""

    id: int
    symbol: str
    status: str
    source: str
    mm_name: str | None
    since: date | None
    until: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None
    logged_by: str
    logged_at: datetime
    reply_id: int | None

    def active_on(self, day: date) -> bool:
        """Engaged and running on ``day``: started (or no start given) and not ended."""
        return (
            self.status == "engaged"
            and (self.since is None or self.since <= day)
            and (self.until is None or self.until >= day)
        )


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge of ``pct_of_supply`` % of circulating supply: ``tokens``, ``usd_value`` at
    ``price_usd`` (the home mid that day), and the home ±2% depth (USD) it compares to."""

    id: int | None
    reply_id: int
    symbol: str
    pct_of_supply: float
    tokens: float | None
    usd_value: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    pledged_at: datetime


@dataclass(frozen=True)
class SnoozeRecord:
    id: int
    symbol: str
    until: datetime
    logged_by: str
    logged_at: datetime
    reply_id: int | None
