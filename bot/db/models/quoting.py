"""The day-by-day market-maker checks of each token's home book (SPEC 4.3), kept for good."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base


class MMDailyCheck(Base):
    """One team's day (``TIMEZONE``) of a token's home book checked against the default
    market-maker criteria (``engagement_id`` NULL) or against the obligations of one engagement
    record: snapshots counted, met, failed (counted neither way), the day's coverage (0..1), and
    the medians of the tightest spread (bps) and of the thinner ±2% side (USD).

    Written when each snapshot is stored and never derived from the snapshots again, so
    down-sampling them does not change a status. ``open_*`` hold the day's figures while the day
    is open (the medians stay exact); they are cleared once it is over.
    """

    __tablename__ = "mm_daily_checks"
    __table_args__ = (
        UniqueConstraint("symbol", "day", "engagement_id"),
        Index(None, "day"),
        # A window's days of the default criteria for every token (counted per token at each
        # scan, from this index alone) or of some engagements.
        Index(
            "ix_mm_daily_checks_window",
            "engagement_id",
            "day",
            "symbol",
            "snapshots",
            "met",
            "coverage",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    symbol: Mapped[str] = mapped_column(String(64))
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("mm_engagements.id"))
    snapshots: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    coverage: Mapped[float] = mapped_column(Float)
    first_taken_at: Mapped[datetime]
    last_taken_at: Mapped[datetime]
    median_spread_bps: Mapped[float | None] = mapped_column(Float)
    median_depth_2pct_usd: Mapped[float | None] = mapped_column(Float)
    open_spreads_bps: Mapped[list[Any] | None]
    open_depths_usd: Mapped[list[Any] | None]
