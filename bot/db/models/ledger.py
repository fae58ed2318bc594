"""The job run ledger (SPEC 7) and the Slack messages the jobs posted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, one_of

RUN_STATUSES = ("claimed", "done", "failed")


class JobRun(Base):
    """One period of one job (e.g. digest / "2026-11-25"). The unique (job, period) key decides
    which process runs it; ``heartbeat_at`` tells a live claim from one whose runner died.
    ``started_at`` is the period's first claim (a takeover moves ``claimed_at``, not it): nothing
    of the run was posted before it."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "period"), one_of("status", RUN_STATUSES, "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    claimed_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    result: Mapped[dict[str, Any] | None]


class Post(Base):
    """A Slack message a job posted (channel + ts), recorded right after posting so a crash
    before the run is finished does not post it twice; the digest is updated in place by ts."""

    __tablename__ = "posts"
    __table_args__ = (Index(None, "job", "period"), Index(None, "channel", "ts"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # "main", "thread", …
    channel: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str] = mapped_column(String(32))
    symbol: Mapped[str | None] = mapped_column(String(64))
    blocks: Mapped[list[Any] | None]
    posted_at: Mapped[datetime]
