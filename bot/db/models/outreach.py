"""The team's record: the outreach cases' timelines, market-maker engagements, the audit log,
and the outreach, replies, pledges and snoozes liqbot kept before the case timeline.

Nothing here is deleted or edited by a user action: a correction is a new row (SPEC 8).
``case_events`` is each token's case as an append-only timeline (``bot.domain.outreach`` derives
the case from it); revision 0006 carried the rows of ``outreach``, ``replies``,
``contribution_pledges`` and ``snoozes`` into it, and those tables are kept as they were, read by
nothing but the audit trail. ``idempotency_key`` makes a double click or a retried Slack
submission store one record. ``logged_by`` / ``actor`` is the Slack user id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, one_of
from bot.domain.vocabulary import (
    ENGAGEMENT_SOURCES,
    ENGAGEMENT_STATUSES,
    EVENT_KINDS,
    OUTREACH_CHANNELS,
    REPLY_KINDS,
)

__all__ = [
    "ENGAGEMENT_SOURCES",
    "ENGAGEMENT_STATUSES",
    "OUTREACH_CHANNELS",
    "REPLY_KINDS",
    "AuditLog",
    "CaseEventRow",
    "ContributionPledge",
    "MarketMakerEngagement",
    "Outreach",
    "Reply",
    "Snooze",
]


class CaseEventRow(Base):
    """One event of a token's outreach case (``bot.domain.timeline.CaseEvent``): what happened
    (``kind``), its values (``details``), who wrote it (Slack user id, or ``system`` for the
    follow-up job) with their display name at that moment, and when. ``refers_to`` is the event
    a correction or retraction is about. Append-only: triggers refuse UPDATE and DELETE."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index(None, "symbol", "at"),
        Index(None, "kind", "at"),
        one_of("kind", EVENT_KINDS, "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(255))
    refers_to: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"))
    details: Mapped[dict[str, Any]]
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)


class Outreach(Base):
    """The team contacted a token project (before the case timeline: see the module docstring)."""

    __tablename__ = "outreach"
    __table_args__ = (
        Index(None, "symbol", "logged_at"),
        Index(None, "followup_on"),
        one_of("channel", OUTREACH_CHANNELS, "channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    contact: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(Text)
    followup_on: Mapped[date | None] = mapped_column(Date)
    logged_by: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]  # system field: the follow-up reminder was sent
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)


class Reply(Base):
    """A token project's answer (before the case timeline); ``details`` held the modal's values."""

    __tablename__ = "replies"
    __table_args__ = (
        Index(None, "symbol", "logged_at"),
        Index(None, "outreach_id"),
        one_of("kind", REPLY_KINDS, "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    outreach_id: Mapped[int | None] = mapped_column(ForeignKey("outreach.id"))
    kind: Mapped[str] = mapped_column(String(24))
    details: Mapped[dict[str, Any]]
    logged_by: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)


class MarketMakerEngagement(Base):
    """A market maker on record for a token (from a reply or an analyst), or a recorded "none".
    ``until`` None = open-ended. A later record for the same firm supersedes this one, and a
    "none" ends it (``bot.domain.engagements``)."""

    __tablename__ = "mm_engagements"
    __table_args__ = (
        Index(None, "symbol", "logged_at"),
        one_of("source", ENGAGEMENT_SOURCES, "source"),
        one_of("status", ENGAGEMENT_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    mm_name: Mapped[str | None] = mapped_column(String(255))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    max_spread_bps: Mapped[float | None] = mapped_column(Float)  # contract obligation
    min_depth_usd: Mapped[float | None] = mapped_column(Float)  # obligation, ±2% USD per side
    uptime: Mapped[float | None] = mapped_column(Float)  # obligation, share of snapshots 0..1
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    logged_by: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[datetime]
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id"))
    # The record this one corrects, when it says so (bot.domain.engagements).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("mm_engagements.id"))


class ContributionPledge(Base):
    """ "Will contribute X% of circulating supply" (before the case timeline): the amounts at the
    day's price, and that day's ±2% depth."""

    __tablename__ = "contribution_pledges"
    __table_args__ = (Index(None, "symbol", "pledged_at"), Index(None, "reply_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id"))
    symbol: Mapped[str] = mapped_column(String(64))
    pct_of_supply: Mapped[float] = mapped_column(Float)  # % of circulating supply, (0, 100]
    tokens: Mapped[float | None] = mapped_column(Float)
    usd_value: Mapped[float | None] = mapped_column(Float)
    price_usd: Mapped[float | None] = mapped_column(Float)
    depth_2pct_usd: Mapped[float | None] = mapped_column(Float)
    pledged_at: Mapped[datetime]


class Snooze(Base):
    """The token stayed out of the digest until ``until`` (before the case timeline)."""

    __tablename__ = "snoozes"
    __table_args__ = (Index(None, "symbol", "logged_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime]
    logged_by: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[datetime]
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id"))


class AuditLog(Base):
    """Append-only: who did what, when, with which values. The repository offers insert and read
    only, and the migration adds database triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "entity", "entity_id"), Index(None, "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_user: Mapped[str] = mapped_column(String(64))  # Slack user id, or "system"
    actor_team: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "log_outreach"
    entity: Mapped[str] = mapped_column(String(64))  # table name, e.g. "outreach"
    entity_id: Mapped[str | None] = mapped_column(String(64))
    values: Mapped[dict[str, Any] | None]
