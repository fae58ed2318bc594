"""liqbot's SQLAlchemy models; ``Base.metadata`` is what the Alembic migrations must match."""

from bot.db.models.alerts import AlertCheck, AlertEpisode, WatchEvent
from bot.db.models.base import Base, UTCDateTime
from bot.db.models.ledger import JobRun, Post
from bot.db.models.market import LiquiditySnapshot, Market, RiskAssessmentRow, Scan, Token
from bot.db.models.outreach import (
    AuditLog,
    CaseEventRow,
    ContributionPledge,
    MarketMakerEngagement,
    Outreach,
    Reply,
    Snooze,
)
from bot.db.models.quoting import MMDailyCheck
from bot.db.models.review import ReviewDecisionRow

__all__ = [
    "AlertCheck",
    "AlertEpisode",
    "AuditLog",
    "Base",
    "CaseEventRow",
    "ContributionPledge",
    "JobRun",
    "LiquiditySnapshot",
    "MMDailyCheck",
    "Market",
    "MarketMakerEngagement",
    "Outreach",
    "Post",
    "Reply",
    "ReviewDecisionRow",
    "RiskAssessmentRow",
    "Scan",
    "Snooze",
    "Token",
    "UTCDateTime",
    "WatchEvent",
]
