"""A token's liquidity day by day, and the comparison of its depth before and after a moment of
its case (SPEC 6 history chart and review, SPEC 7 weekly report).

"Daily home ±2% depth" is the median, over the scans of one team's day (``TIMEZONE``), of the
token's home ±2% depth as the headline showed it at that scan: the smaller of the bid and ask side
sums over the home pairs (``bot.domain.aggregate``). The global figure is the same over every
tracked venue (ticker collisions left out), the spread the tightest home pair's, in bps. A day is
there when at least one scan had a figure that day; a day without scans is absent, not zero.

Before and after a moment (``depth_change``): the median of the daily figures of the
``span_days`` whole days before the moment's day, against the median of the ``span_days`` days
after it; the day itself is in neither (it is partly before, partly after).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from bot.domain.calendar import team_day

CHANGE_SPAN_DAYS = 7
"""Days compared on each side of a moment (SPEC 7: 7 days before vs 7 days after first contact)."""


@dataclass(frozen=True)
class DepthSample:
    """One scan's headline figures of a token: home and global ±2% depth (USD, smaller side)
    and the home spread (bps); None where the scan had no usable figure."""

    taken_at: datetime
    home_depth_2pct_usd: float | None
    global_depth_2pct_usd: float | None
    home_spread_bps: float | None


@dataclass(frozen=True)
class DailyLiquidity:
    """One team's day of a token: the medians of its scans' figures (see the module docstring),
    and how many scans the day had."""

    day: date
    scans: int
    home_depth_2pct_usd: float | None
    global_depth_2pct_usd: float | None
    home_spread_bps: float | None


def median_of(values: Iterable[float | None]) -> float | None:
    """The median of the known values (None when there is none)."""
    known = [v for v in values if v is not None]
    return median(known) if known else None


def daily_liquidity(samples: Iterable[DepthSample], timezone: str) -> tuple[DailyLiquidity, ...]:
    """The token's figures per team's day (in ``timezone``), oldest day first."""
    by_day: dict[date, list[DepthSample]] = {}
    for sample in samples:
        by_day.setdefault(team_day(sample.taken_at, timezone), []).append(sample)
    return tuple(
        DailyLiquidity(
            day=day,
            scans=len(scans),
            home_depth_2pct_usd=median_of(s.home_depth_2pct_usd for s in scans),
            global_depth_2pct_usd=median_of(s.global_depth_2pct_usd for s in scans),
            home_spread_bps=median_of(s.home_spread_bps for s in scans),
        )
        for day, scans in sorted(by_day.items())
    )


def days_under_floor(
    days: Iterable[DailyLiquidity], floor_usd: float, first: date, last: date
) -> tuple[date, ...]:
    """The days in [first, last] whose daily home ±2% depth is known and below ``floor_usd``
    (``RISK_MIN_DEPTH_2PCT_USD``): the review's evidence."""
    return tuple(
        d.day
        for d in days
        if first <= d.day <= last
        and d.home_depth_2pct_usd is not None
        and d.home_depth_2pct_usd < floor_usd
    )


@dataclass(frozen=True)
class DepthChange:
    """Daily home ±2% depth (USD) before and after the team's day ``around``: each the median
    of the daily figures of the ``span_days`` days on that side (None without any), with how
    many days had a figure. ``change`` = after / before − 1."""

    around: date
    span_days: int
    before_usd: float | None
    after_usd: float | None
    before_days: int
    after_days: int

    @property
    def change(self) -> float | None:
        if self.before_usd is None or self.after_usd is None or self.before_usd <= 0:
            return None
        return self.after_usd / self.before_usd - 1

    @property
    def complete(self) -> bool:
        """Whether every day of both sides had a figure."""
        return self.before_days == self.after_days == self.span_days


def depth_change(
    days: Sequence[DailyLiquidity], around: date, span_days: int = CHANGE_SPAN_DAYS
) -> DepthChange:
    """Daily home ±2% depth in the ``span_days`` days before ``around`` against the
    ``span_days`` days after it (``around`` itself in neither)."""
    before = [
        d.home_depth_2pct_usd
        for d in days
        if around - timedelta(days=span_days) <= d.day < around
        and d.home_depth_2pct_usd is not None
    ]
    after = [
        d.home_depth_2pct_usd
        for d in days
        if around < d.day <= around + timedelta(days=span_days)
        and d.home_depth_2pct_usd is not None
    ]
    return DepthChange(
        around, span_days, median_of(before), median_of(after), len(before), len(after)
    )
