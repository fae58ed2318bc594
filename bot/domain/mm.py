"""Market-maker status (SPEC 4.3) from what is on record and from snapshot history.

``confirmed``: an engagement on record that has not ended. ``none``: recorded as none, or the
history shows no market-maker-like quoting. ``unknown``: too few days of history. ``observed``:
market-maker-like quoting in the history — a two-sided book with spread ≤ S bps and ±2% depth
(the smaller side) ≥ D USD in ≥ 75% of a day's snapshots, on ≥ 75% of the days. Public books
cannot prove who quotes, so ``observed`` means "market-maker-like liquidity", never a name.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.domain.models import MMStatus

QUALIFYING_SHARE = 0.75
"""Share of a day's snapshots, and share of days, that must show market-maker-like quoting."""


@dataclass(frozen=True)
class QuotingSample:
    """One snapshot of a token's home book: ``spread_bps`` in bps, ``depth_2pct_usd`` the smaller
    side of the ±2% depth in USD (None when the book was not usable)."""

    taken_at: datetime
    two_sided: bool
    spread_bps: float | None
    depth_2pct_usd: float | None


@dataclass(frozen=True)
class QuotingSummary:
    """Quoting history over ``days`` UTC days: ``uptime`` = share of samples meeting the
    market-maker criteria, ``two_sided_uptime`` = share of two-sided samples (0..1; None without
    samples), medians over the samples that had the figure."""

    samples: int
    days: int
    qualifying_days: int
    uptime: float | None
    two_sided_uptime: float | None
    median_spread_bps: float | None
    median_depth_2pct_usd: float | None


def _utc_day(moment: datetime) -> date:
    # A naive timestamp is taken as UTC already (the snapshot store writes UTC).
    return moment.astimezone(UTC).date() if moment.tzinfo is not None else moment.date()


def meets_criteria(sample: QuotingSample, max_spread_bps: float, min_depth_usd: float) -> bool:
    """True when the snapshot looks market-maker quoted: two-sided, spread ≤ ``max_spread_bps``
    and ±2% depth (smaller side) ≥ ``min_depth_usd`` USD."""
    return (
        sample.two_sided
        and sample.spread_bps is not None
        and sample.spread_bps <= max_spread_bps
        and sample.depth_2pct_usd is not None
        and sample.depth_2pct_usd >= min_depth_usd
    )


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize_quoting(
    samples: Sequence[QuotingSample], max_spread_bps: float, min_depth_usd: float
) -> QuotingSummary:
    """Summarize a token's snapshot history against the market-maker criteria (spread ≤
    ``max_spread_bps`` bps, ±2% depth ≥ ``min_depth_usd`` USD). A UTC day qualifies when ≥ 75% of
    its samples meet the criteria."""
    per_day: dict[date, list[bool]] = defaultdict(list)
    for sample in samples:
        per_day[_utc_day(sample.taken_at)].append(
            meets_criteria(sample, max_spread_bps, min_depth_usd)
        )
    qualifying = sum(1 for met in per_day.values() if sum(met) >= QUALIFYING_SHARE * len(met))
    count = len(samples)
    meeting = sum(sum(met) for met in per_day.values())
    return QuotingSummary(
        samples=count,
        days=len(per_day),
        qualifying_days=qualifying,
        uptime=meeting / count if count else None,
        two_sided_uptime=sum(s.two_sided for s in samples) / count if count else None,
        median_spread_bps=_median([s.spread_bps for s in samples if s.spread_bps is not None]),
        median_depth_2pct_usd=_median(
            [s.depth_2pct_usd for s in samples if s.depth_2pct_usd is not None]
        ),
    )


def mm_status(
    engagement_active: bool, recorded_none: bool, quoting: QuotingSummary, min_days: int
) -> MMStatus:
    """The token's market-maker status: ``confirmed`` when an engagement on record is active,
    ``none`` when recorded as none, ``unknown`` with fewer than ``min_days`` days of history,
    ``observed`` when ≥ 75% of those days qualify, else ``none``."""
    if engagement_active:
        return "confirmed"
    if recorded_none:
        return "none"
    if quoting.days < min_days or quoting.days == 0:
        return "unknown"
    if quoting.qualifying_days >= QUALIFYING_SHARE * quoting.days:
        return "observed"
    return "none"
