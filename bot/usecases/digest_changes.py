"""The digest's comparison with the previous digest (SPEC 6): per token, its tier and home ±2%
depth then and now, and the watched tokens shown whatever their tier.

What is compared with: the assessments the previous digest was built from (the newest digest
posted for an earlier day, in any channel; its run ledger summary names the scan), or, before
any digest was posted, the last scan before today's local midnight. "New today", "recovered
since the previous digest" and every row's change use that one comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_assessment, repo_ledger
from bot.db.dialect import Executor
from bot.db.records import AssessmentRecord
from bot.domain.risk import is_at_risk

DIGEST_JOBS = "digest:"
"""The run ledger's digest jobs are named ``digest:<channel>`` (``jobs.digest``)."""


@dataclass(frozen=True)
class TokenChange:
    """A token's tier and home ±2% depth (USD, the smaller side sum) at the previous digest and
    now. ``compared``: there was something to compare with; ``previous_tier`` None: the token
    was not assessed then; ``tier`` None: it is not assessed now."""

    compared: bool
    previous_tier: str | None
    previous_depth_2pct_usd: float | None
    tier: str | None
    depth_2pct_usd: float | None

    @property
    def depth_change_pct(self) -> float | None:
        """(now − then) / then × 100; None when either is unknown or then was 0."""
        before, now = self.previous_depth_2pct_usd, self.depth_2pct_usd
        if not self.compared or before is None or now is None or before <= 0:
            return None
        return (now - before) / before * 100

    @property
    def tier_moved(self) -> bool:
        return (
            self.compared
            and None not in (self.previous_tier, self.tier)
            and (self.previous_tier != self.tier)
        )

    @property
    def is_new(self) -> bool:
        """At risk now, not at the previous digest."""
        was = self.previous_tier is not None and is_at_risk(self.previous_tier)
        return self.compared and self.tier is not None and is_at_risk(self.tier) and not was

    @property
    def recovered(self) -> bool:
        """At risk at the previous digest, tier low now."""
        was = self.previous_tier is not None and is_at_risk(self.previous_tier)
        return self.compared and was and self.tier == "low"


def token_change(
    now: AssessmentRecord | None, then: AssessmentRecord | None, compared: bool
) -> TokenChange:
    return TokenChange(
        compared=compared,
        previous_tier=then.tier if then else None,
        previous_depth_2pct_usd=then.home_depth_2pct_usd if then else None,
        tier=now.tier if now else None,
        depth_2pct_usd=now.home_depth_2pct_usd if now else None,
    )


async def comparison_batch(
    session: Executor, day: str, day_start: datetime
) -> list[AssessmentRecord]:
    """The assessments behind the previous digest (posted for a day before ``day``), else the
    last batch before ``day_start`` (today's local midnight); empty when there is neither."""
    previous = await repo_ledger.latest_done_result(session, DIGEST_JOBS, day)
    scan_id = (previous or {}).get("scan_id")
    if isinstance(scan_id, int):
        batch = await repo_assessment.assessments_of_scan(session, scan_id)
        if batch:
            return batch
    return await repo_assessment.previous_day_assessments(session, day_start)


@dataclass(frozen=True)
class WatchedRow:
    """A watched token the top rows do not show (not at risk, ranked past the top, snoozed, a
    data issue, or not in the latest scan: ``tier`` None): its tier, score and home ±2% depth
    (USD) now, and its change since the previous digest."""

    symbol: str
    tier: str | None
    score: int | None
    home_depth_2pct_usd: float | None
    snoozed: bool
    change: TokenChange


def watched_rows(
    watched: Sequence[str],
    shown: set[str],
    now: Mapping[str, AssessmentRecord],
    then: Mapping[str, AssessmentRecord],
    snoozed: set[str],
) -> tuple[WatchedRow, ...]:
    """The watched tokens not among the ``shown`` rows, by symbol."""
    compared = bool(then)
    return tuple(
        WatchedRow(
            symbol=symbol,
            tier=now[symbol].tier if symbol in now else None,
            score=now[symbol].score if symbol in now else None,
            home_depth_2pct_usd=now[symbol].home_depth_2pct_usd if symbol in now else None,
            snoozed=symbol in snoozed,
            change=token_change(now.get(symbol), then.get(symbol), compared),
        )
        for symbol in sorted(watched)
        if symbol not in shown
    )
