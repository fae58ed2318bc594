"""The outreach and reply records ``bot.db.repo_outreach`` hands out.

They are the outreach case's log and live with its rules in ``bot.domain.outreach``; re-exported
here for the callers that import them from the repository's side.
"""

from __future__ import annotations

from bot.domain.outreach import (
    EngagementRecord,
    OutreachRecord,
    PledgeRecord,
    ReplyRecord,
    SnoozeRecord,
)

__all__ = ["EngagementRecord", "OutreachRecord", "PledgeRecord", "ReplyRecord", "SnoozeRecord"]
