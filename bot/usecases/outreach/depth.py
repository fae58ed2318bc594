"""The home ±2% depth before and after an answer of the project: did the outreach change the
book? Every figure says when it was measured.

"Before" is the latest home sample (``bot.db.repo_quoting``) in the 7 days before the answer;
"after" is the latest sample up to 7 days after it, so once a week has passed the comparison
stays fixed, and until then it is the latest sample so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.repo_quoting import HomeBookSample

DEPTH_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class DepthCheck:
    """The home ±2% depth (smaller side, USD) before and after an answer, with when each sample
    was taken; ``change`` = after / before − 1 (None when either is unknown or before is 0)."""

    before_usd: float | None
    before_at: datetime | None
    after_usd: float | None
    after_at: datetime | None

    @property
    def change(self) -> float | None:
        if self.before_usd is None or self.after_usd is None or self.before_usd <= 0:
            return None
        return self.after_usd / self.before_usd - 1


def depth_check(samples: Sequence[HomeBookSample], at: datetime, now: datetime) -> DepthCheck:
    """Home ±2% depth before and after the moment ``at`` (samples oldest first)."""
    before = [s for s in samples if at - DEPTH_WINDOW <= s.taken_at < at]
    horizon = min(now, at + DEPTH_WINDOW)
    after = [s for s in samples if at < s.taken_at <= horizon]
    first = before[-1] if before else None
    last = after[-1] if after else None
    return DepthCheck(
        before_usd=first.depth_2pct_usd if first else None,
        before_at=first.taken_at if first else None,
        after_usd=last.depth_2pct_usd if last else None,
        after_at=last.taken_at if last else None,
    )
