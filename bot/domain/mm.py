"""Market-maker quoting, snapshot by snapshot and day by day (SPEC 4.3).

Each snapshot of a token's home book is one ``QuotingSample``: the thinner side of the ±2% depth
(USD, summed over the home pairs), the tightest spread (bps) and whether both sides quote, or
``failed`` when no home book could be read for a data reason (fetch, parse, crossed book, no USD
rate). An empty side is a liquidity fact, not a failure: that side's depth is 0.

A sample is checked against ``Obligations``: a max spread (bps) and a min ±2% depth per side
(USD; one figure applies to each side, so the thinner side must reach it); over a day, the
uptime is the share of the day's counted snapshots that must meet both. The default criteria
(``RISK_MM_…``) are obligations too: they say what "market-maker-like quoting" is.

A ``QuotingDay`` is one day's result (a date in the team's ``TIMEZONE``) against one set of
obligations. It is built one snapshot at a time (``add_sample``) when snapshots are stored and
kept for good, so down-sampling raw snapshots later never changes it. Failed snapshots count
neither way (neither met nor missed) but show that the day was watched. A day's ``coverage`` is
the share of it that was watched: the smaller of the span from its first to its last snapshot
(plus one snapshot interval) and the snapshots taken times the interval, over the day's length.
Only a whole day (coverage ≥ ``WHOLE_DAY_COVERAGE``) with counted snapshots is judged: the first
and the current day of a history are partial, so 25 hours of history is no whole day yet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.domain.aggregate import home_markets
from bot.domain.calendar import team_day, team_day_bounds
from bot.domain.models import TokenLiquidity

WHOLE_DAY_COVERAGE = 0.95
"""A day is whole from this coverage on: an hourly history may miss one snapshot of a day."""

EMPTY_SIDE_PREFIX = "empty "
"""How the metrics name an empty side (``empty ask side of the order book``): a liquidity fact."""


@dataclass(frozen=True)
class Obligations:
    """What a market maker must keep: spread ≤ ``max_spread_bps`` bps and ±2% depth ≥
    ``min_depth_usd`` USD on each side, in at least ``min_uptime`` (0..1) of a day's snapshots."""

    max_spread_bps: float
    min_depth_usd: float
    min_uptime: float


@dataclass(frozen=True)
class QuotingSample:
    """One snapshot of a token's home book: ``depth_2pct_usd`` is the thinner ±2% side in USD (0
    for an empty side), ``spread_bps`` the tightest home spread; ``failed`` when no home book
    could be read for a data reason (then both are None)."""

    taken_at: datetime
    failed: bool
    two_sided: bool
    spread_bps: float | None
    depth_2pct_usd: float | None


def is_empty_side(error: str | None) -> bool:
    """Whether a market's error is an empty side of its book (a fact, not a data fault)."""
    return error is not None and error.startswith(EMPTY_SIDE_PREFIX) and "side" in error


def home_sample(
    taken_at: datetime,
    spread_bps: float | None,
    depth_bid_2pct_usd: float | None,
    depth_ask_2pct_usd: float | None,
    empty_side: bool,
) -> QuotingSample:
    """The sample of a home book from its figures: ±2% depths (USD) summed over the usable home
    pairs (None when none had the figure), the tightest spread (bps), and whether some home pair
    had an empty side. No depth and no empty side: the snapshot failed."""
    if depth_bid_2pct_usd is not None and depth_ask_2pct_usd is not None:
        two_sided = depth_bid_2pct_usd > 0 and depth_ask_2pct_usd > 0
        thinner = min(depth_bid_2pct_usd, depth_ask_2pct_usd)
        return QuotingSample(taken_at, False, two_sided, spread_bps, thinner)
    if empty_side:
        return QuotingSample(taken_at, False, False, None, 0.0)
    return QuotingSample(taken_at, True, False, None, None)


def quoting_sample(token: TokenLiquidity, taken_at: datetime) -> QuotingSample:
    """The sample of ``token``'s home book in one scan, from its aggregates (SPEC 4.2)."""
    usable = bool(home_markets(token))
    empty_side = any(
        m.exchange == token.home_exchange and not m.ok and is_empty_side(m.error)
        for m in token.markets
    )
    return home_sample(
        taken_at,
        token.home_spread_bps if usable else None,
        token.home_depth_bid_2pct_usd if usable else None,
        token.home_depth_ask_2pct_usd if usable else None,
        empty_side,
    )


def meets(sample: QuotingSample, obligations: Obligations) -> bool:
    """Whether one snapshot meets the obligations: two-sided, spread ≤ the max and the thinner
    ±2% side ≥ the min (a failed snapshot never does, and is not counted either)."""
    return (
        not sample.failed
        and sample.two_sided
        and sample.spread_bps is not None
        and sample.spread_bps <= obligations.max_spread_bps
        and sample.depth_2pct_usd is not None
        and sample.depth_2pct_usd >= obligations.min_depth_usd
    )


@dataclass(frozen=True)
class QuotingDay:
    """One team's day of a token's home book against one set of obligations: ``snapshots``
    counted (not failed), how many ``met`` the obligations, how many ``failed``, ``coverage``
    (0..1, see the module docstring), and the medians over the counted snapshots of the spread
    (bps) and of the thinner ±2% side (USD). ``spreads`` / ``depths`` hold the day's figures
    while it is open (so the medians stay exact as snapshots arrive); None once it is closed."""

    day: date
    snapshots: int = 0
    met: int = 0
    failed: int = 0
    coverage: float = 0.0
    first_at: datetime | None = None
    last_at: datetime | None = None
    median_spread_bps: float | None = None
    median_depth_2pct_usd: float | None = None
    spreads: tuple[float, ...] | None = ()
    depths: tuple[float, ...] | None = ()

    @property
    def judged(self) -> bool:
        """A whole day with counted snapshots: it counts toward the days of a window."""
        return self.coverage >= WHOLE_DAY_COVERAGE and self.snapshots > 0

    def kept(self, min_uptime: float) -> bool:
        """Judged, and at least ``min_uptime`` of its counted snapshots met the obligations."""
        return self.judged and self.met >= min_uptime * self.snapshots


def coverage(
    day: date,
    first_at: datetime,
    last_at: datetime,
    taken: int,
    timezone: str,
    interval_minutes: float,
) -> float:
    """Share (0..1) of the team's ``day`` watched by ``taken`` snapshots from ``first_at`` to
    ``last_at``, each standing for one ``interval_minutes`` interval."""
    start, end = team_day_bounds(day, timezone)
    length = (end - start).total_seconds()
    interval = timedelta(minutes=interval_minutes)
    span = (min(last_at + interval, end) - max(first_at, start)).total_seconds()
    count = taken * interval.total_seconds()
    return max(0.0, min(span, count, length) / length)


def _median(values: Sequence[float] | None) -> float | None:
    return statistics.median(values) if values else None


def add_sample(
    current: QuotingDay | None,
    sample: QuotingSample,
    obligations: Obligations,
    timezone: str,
    interval_minutes: float,
) -> QuotingDay:
    """``current`` (the day's result so far, None for a new day) with one more snapshot.
    A closed day keeps its medians; its counts still move."""
    day = team_day(sample.taken_at, timezone)
    now = current if current is not None else QuotingDay(day)
    if now.day != day:
        raise ValueError(f"a snapshot of {day} added to {now.day}")
    first = min(sample.taken_at, now.first_at or sample.taken_at)
    last = max(sample.taken_at, now.last_at or sample.taken_at)
    spreads, depths = now.spreads, now.depths
    if not sample.failed and spreads is not None and depths is not None:
        if sample.spread_bps is not None:
            spreads = (*spreads, sample.spread_bps)
        if sample.depth_2pct_usd is not None:
            depths = (*depths, sample.depth_2pct_usd)
    counted = 0 if sample.failed else 1
    failed = now.failed + (1 - counted)
    snapshots = now.snapshots + counted
    return replace(
        now,
        snapshots=snapshots,
        met=now.met + int(meets(sample, obligations)),
        failed=failed,
        coverage=coverage(day, first, last, snapshots + failed, timezone, interval_minutes),
        first_at=first,
        last_at=last,
        median_spread_bps=_median(spreads) if spreads is not None else now.median_spread_bps,
        median_depth_2pct_usd=_median(depths) if depths is not None else now.median_depth_2pct_usd,
        spreads=spreads,
        depths=depths,
    )


def quoting_days(
    samples: Iterable[QuotingSample],
    obligations: Obligations,
    timezone: str,
    interval_minutes: float,
) -> list[QuotingDay]:
    """Every day of ``samples`` (any order) against ``obligations``, oldest first."""
    days: dict[date, QuotingDay] = {}
    for sample in sorted(samples, key=lambda s: s.taken_at):
        day = team_day(sample.taken_at, timezone)
        days[day] = add_sample(days.get(day), sample, obligations, timezone, interval_minutes)
    return [days[day] for day in sorted(days)]


def close_day(result: QuotingDay) -> QuotingDay:
    """The day once it is over: its medians stay, the figures behind them go."""
    return replace(result, spreads=None, depths=None)
