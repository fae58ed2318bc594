"""liqbot's SQLAlchemy models; ``Base.metadata`` is what the Alembic migrations must match."""

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

__all__ = [
    "AuditLog",
    "Base",
    "CaseEventRow",
    "ContributionPledge",
    "JobRun",
    "LiquiditySnapshot",
    "Market",
    "MarketMakerEngagement",
    "Outreach",
    "Post",
    "Reply",
    "RiskAssessmentRow",
    "Scan",
    "Snooze",
    "Token",
    "UTCDateTime",
]
