"""The team's monitoring-tag review decisions (SPEC 6, `/review`).

One row per decision, never edited: the latest decision of a token decides
(``bot.domain.review``). ``evidence`` keeps what the token showed when it was decided (days under
the floor, the grounds), so the record reads the same after the history moves on;
``idempotency_key`` makes a double click or a retried Slack request store one decision. The
audit row is written in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, one_of
from bot.domain.vocabulary import REVIEW_DECISIONS


class ReviewDecisionRow(Base):
    """Recommend tag · Not now (until ``until``) · Clear, by ``decided_by`` (Slack user id)."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        Index(None, "symbol", "decided_at"),
        one_of("decision", REVIEW_DECISIONS, "decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    until: Mapped[datetime | None]
    evidence: Mapped[dict[str, Any]]
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
