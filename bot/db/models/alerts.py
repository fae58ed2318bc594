"""Liquidity alert episodes (SPEC 6 "Alerts"), the scheduled snapshots they were checked on, and
the tokens the team watches.

``alert_checks`` has one row per scheduled snapshot whose alerts were checked, written in the
same transaction as the episode changes it caused, so a check is applied once (a retried run
finds its row) and "the previous scheduled snapshot" is known. ``alert_episodes`` are system
records: one open episode per token and kind (a partial unique index), closed after healthy
snapshots. ``watch_events`` is the append-only record of `/watch` and `/unwatch`: the latest event
of a token says whether it is watched (nothing is deleted by a user action, SPEC 8).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, one_of
from bot.domain.alerts import ALERT_KINDS

WATCH_ACTIONS = ("watch", "unwatch")
OPEN = text("closed_at IS NULL")


class AlertCheck(Base):
    """A scheduled snapshot (scan) whose alerts were checked; ``baseline``: the first snapshot
    of an empty database, which alerts nothing."""

    __tablename__ = "alert_checks"

    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), primary_key=True)
    checked_at: Mapped[datetime]
    taken_at: Mapped[datetime]  # when the snapshot was taken (the scan's finished_at)
    baseline: Mapped[bool] = mapped_column(Boolean)


class AlertEpisode(Base):
    """One alert of one kind for one token, from the snapshot that opened it to the one that
    closed it. ``facts`` are the figures it opened with (``closing_facts``: those it closed
    with); ``post_channel``/``post_ts`` the alert message it went out in (its thread takes the
    recovery)."""

    __tablename__ = "alert_episodes"
    __table_args__ = (
        Index(
            "ix_alert_episodes_open",
            "symbol",
            "kind",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        Index(None, "opened_scan_id"),
        Index(None, "closed_scan_id"),
        one_of("kind", ALERT_KINDS, "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    opened_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    opened_at: Mapped[datetime]
    facts: Mapped[dict[str, Any]]
    healthy_streak: Mapped[int] = mapped_column(Integer, default=0)
    closed_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))
    closed_at: Mapped[datetime | None]
    closing_facts: Mapped[dict[str, Any] | None]
    post_channel: Mapped[str | None] = mapped_column(String(64))
    post_ts: Mapped[str | None] = mapped_column(String(32))


class WatchEvent(Base):
    """`/watch TOKEN` or `/unwatch TOKEN`, by whom and when."""

    __tablename__ = "watch_events"
    __table_args__ = (Index(None, "symbol", "id"), one_of("action", WATCH_ACTIONS, "action"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))
    actor_user: Mapped[str] = mapped_column(String(64))
    actor_team: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
