"""The model tables as Core ``Table`` objects, for the repositories' bulk statements."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from bot.db.models import (
    AlertCheck,
    AlertEpisode,
    AuditLog,
    JobRun,
    LiquiditySnapshot,
    Market,
    MarketMakerEngagement,
    MMDailyCheck,
    Post,
    RiskAssessmentRow,
    Scan,
    Snooze,
    Token,
    WatchEvent,
)

ALERT_CHECKS = cast(Table, AlertCheck.__table__)
ALERT_EPISODES = cast(Table, AlertEpisode.__table__)
ASSESSMENTS = cast(Table, RiskAssessmentRow.__table__)
AUDIT = cast(Table, AuditLog.__table__)
ENGAGEMENTS = cast(Table, MarketMakerEngagement.__table__)
MARKETS = cast(Table, Market.__table__)
MM_DAYS = cast(Table, MMDailyCheck.__table__)
POSTS = cast(Table, Post.__table__)
RUNS = cast(Table, JobRun.__table__)
SCANS = cast(Table, Scan.__table__)
SNAPSHOTS = cast(Table, LiquiditySnapshot.__table__)
SNOOZES = cast(Table, Snooze.__table__)
TOKENS = cast(Table, Token.__table__)
WATCH_EVENTS = cast(Table, WatchEvent.__table__)
