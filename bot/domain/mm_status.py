"""A token's market-maker status (SPEC 4.3), judged from what is on record and from the
day-by-day checks of its home book (``bot.domain.mm``) over the last ``STATUS_WINDOW_DAYS`` days.

- An engagement running today (``bot.domain.engagements``) is judged on the whole days of the
  window since its start, against its obligations: ``verified`` when they were kept on ≥ 75% of
  those days, ``breached`` on fewer, ``claimed`` with fewer than ``min_days`` whole days to judge.
  With several running, the best-kept one decides (verified, then claimed, then breached; then
  the larger share of days kept).
- Else a recorded "no market maker" (the latest record) is ``none``, whatever the books show.
- Else the default criteria decide: ``observed`` (market-maker-like quoting on ≥ 75% of the
  days), ``none`` with enough history without it, ``unknown`` with fewer than ``min_days`` whole
  days. Public books cannot prove who quotes: ``observed`` never names anyone.

A day counts when it is whole (``QuotingDay.judged``); it is kept when ≥ the uptime share of its
counted snapshots met the obligations. Both only ever grow with more history, so more days kept
never make a status worse (property-tested).
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.engagements import Engagement, MarketMakerOnRecord
from bot.domain.mm import Obligations, QuotingDay
from bot.domain.models import MMStatus
from bot.domain.outreach import EngagementRecord
from bot.domain.units import fmt_bps, fmt_pct, fmt_usd

QUALIFYING_SHARE = 0.75
"""Share of the judged days on which the obligations (or the default criteria) must be kept."""

STATUS_WINDOW_DAYS = 14
"""Days of history behind a status, today included."""

DayMark = Literal["met", "missed", "partial", "no data", "not running"]


@dataclass(frozen=True)
class DayTally:
    """Of a window's days: how many were judged (whole, with counted snapshots), and on how
    many the obligations were kept."""

    judged: int
    met: int


@dataclass(frozen=True)
class TrackRecord:
    """How ``obligations`` were kept from ``first_day`` to ``last_day`` (team's days,
    inclusive): ``days`` are the day results in that range, oldest first."""

    obligations: Obligations
    first_day: date
    last_day: date
    days: tuple[QuotingDay, ...]

    @property
    def judged(self) -> int:
        """Whole days with counted snapshots."""
        return sum(1 for d in self.days if d.judged)

    @property
    def met(self) -> int:
        """Judged days on which the obligations were kept."""
        return sum(1 for d in self.days if d.kept(self.obligations.min_uptime))

    @property
    def tally(self) -> DayTally:
        return DayTally(self.judged, self.met)

    @property
    def median_spread_bps(self) -> float | None:
        """Median of the judged days' median spreads (bps)."""
        values = [d.median_spread_bps for d in self.days if d.judged]
        return _median([v for v in values if v is not None])

    @property
    def median_depth_2pct_usd(self) -> float | None:
        """Median of the judged days' median thinner-side ±2% depths (USD)."""
        values = [d.median_depth_2pct_usd for d in self.days if d.judged]
        return _median([v for v in values if v is not None])

    def mark(self, day: date) -> DayMark:
        """What ``day`` shows: kept, missed, partly covered, no snapshot, or outside the range."""
        if not self.first_day <= day <= self.last_day:
            return "not running"
        result = next((d for d in self.days if d.day == day), None)
        if result is None:
            return "no data"
        if not result.judged:
            return "partial"
        return "met" if result.kept(self.obligations.min_uptime) else "missed"


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def window_start(today: date, window_days: int = STATUS_WINDOW_DAYS) -> date:
    """The first day of the window that ends with ``today``."""
    return today - timedelta(days=window_days - 1)


def track_record(
    days: Sequence[QuotingDay], obligations: Obligations, first_day: date, last_day: date
) -> TrackRecord:
    """The track record of ``obligations`` over ``first_day``..``last_day`` from day results."""
    inside = sorted((d for d in days if first_day <= d.day <= last_day), key=lambda d: d.day)
    return TrackRecord(obligations, first_day, last_day, tuple(inside))


def chain_days(rows: Mapping[int, Sequence[QuotingDay]], ids: Sequence[int]) -> list[QuotingDay]:
    """An engagement's day results from the rows stored under each of its record ``ids``
    (newest first): for each day, the newest record's."""
    chosen: dict[date, QuotingDay] = {}
    for record_id in reversed(ids):
        for result in rows.get(record_id, ()):
            chosen[result.day] = result
    return [chosen[day] for day in sorted(chosen)]


@dataclass(frozen=True)
class MMJudgement:
    """A token's status, its one-line reason naming the figures, and what decided: the
    engagement (None when nothing on record runs), or the recorded none, or the default
    criteria; ``tally``: the days judged and kept of what decided, ``track`` the day results
    behind it when it was judged from them (always for an engagement)."""

    status: MMStatus
    reason: str
    tally: DayTally
    track: TrackRecord | None = None
    engagement: Engagement | None = None
    recorded_none: EngagementRecord | None = None


@functools.cache  # a scan words the same default criteria for every token
def obligations_text(o: Obligations) -> str:
    """``spread ≤ 50.0 bps and ±2% depth ≥ $20k per side in ≥ 75% of snapshots``"""
    return (
        f"spread ≤ {fmt_bps(o.max_spread_bps)} and ±2% depth ≥ {fmt_usd(o.min_depth_usd)} per "
        f"side in ≥ {fmt_pct(o.min_uptime, 0)} of snapshots"
    )


def _shortfalls(track: TrackRecord) -> list[str]:
    o, found = track.obligations, []
    spread, depth = track.median_spread_bps, track.median_depth_2pct_usd
    if spread is not None and spread > o.max_spread_bps:
        found.append(f"median spread {fmt_bps(spread)} > {fmt_bps(o.max_spread_bps)}")
    if depth is not None and depth < o.min_depth_usd:
        found.append(f"median ±2% depth {fmt_usd(depth)} < {fmt_usd(o.min_depth_usd)}")
    return found or [f"{obligations_text(o)} missed on {track.judged - track.met} days"]


def _judge_engagement(engagement: Engagement, track: TrackRecord, min_days: int) -> MMJudgement:
    firm = engagement.mm_name or "a market maker"
    days = f"obligations met on {track.met} of {track.judged} days"
    if track.judged < min_days:
        plural = "day" if track.judged == 1 else "days"
        reason = (
            f"{firm} on record since {engagement.start.isoformat()}: {track.judged} whole "
            f"{plural} of history since its start (needs {min_days})"
        )
        return MMJudgement("claimed", reason, track.tally, track, engagement)
    if track.met >= QUALIFYING_SHARE * track.judged:
        reason = f"{firm}: {days} ({obligations_text(track.obligations)})"
        return MMJudgement("verified", reason, track.tally, track, engagement)
    reason = f"{firm}: " + "; ".join([days, *_shortfalls(track)])
    return MMJudgement("breached", reason, track.tally, track, engagement)


def _judge_history(
    tally: DayTally, criteria: Obligations, min_days: int, track: TrackRecord | None
) -> MMJudgement:
    test = obligations_text(criteria)
    if tally.judged < min_days:
        plural = "day" if tally.judged == 1 else "days"
        reason = (
            f"too little history: {tally.judged} whole {plural} of snapshots (needs {min_days})"
        )
        return MMJudgement("unknown", reason, tally, track)
    days = f"{tally.met} of {tally.judged} days"
    if tally.met >= QUALIFYING_SHARE * tally.judged:
        reason = f"market-maker-like liquidity on {days} ({test})"
        return MMJudgement("observed", reason, tally, track)
    return MMJudgement("none", f"no market-maker-like liquidity: {days} ({test})", tally, track)


_RANK: dict[MMStatus, int] = {"verified": 2, "claimed": 1, "breached": 0}


def engagement_judgements(
    on_record: MarketMakerOnRecord,
    rows: Mapping[int | None, Sequence[QuotingDay]],
    defaults: Obligations,
    today: date,
    min_days: int,
    window_days: int = STATUS_WINDOW_DAYS,
) -> list[MMJudgement]:
    """How each engagement running on ``today`` kept its obligations over the window since its
    start: verified, claimed or breached. ``rows``: stored day results by engagement record id."""
    start = window_start(today, window_days)
    engaged = {k: v for k, v in rows.items() if k is not None}
    return [
        _judge_engagement(
            e,
            track_record(
                chain_days(engaged, e.ids), e.obligations(defaults), max(start, e.start), today
            ),
            min_days,
        )
        for e in on_record.active_on(today)
    ]


def judge(
    on_record: MarketMakerOnRecord,
    rows: Mapping[int | None, Sequence[QuotingDay]],
    defaults: Obligations,
    today: date,
    min_days: int,
    window_days: int = STATUS_WINDOW_DAYS,
    default_tally: DayTally | None = None,
) -> MMJudgement:
    """The market-maker status on the team's ``today`` (see the module docstring). ``rows``:
    stored day results by engagement record id, ``None`` for the default criteria; or, for the
    default criteria, their ``default_tally`` over the window (counted where they are stored)."""
    judged = engagement_judgements(on_record, rows, defaults, today, min_days, window_days)
    if judged:
        return max(judged, key=_how_well_kept)
    track = None
    if default_tally is None:
        first = window_start(today, window_days)
        track = track_record(rows.get(None, ()), defaults, first, today)
        default_tally = track.tally
    if on_record.recorded_none is not None:
        none = on_record.recorded_none
        reason = f"recorded as no market maker on {none.logged_at:%Y-%m-%d} by {none.logged_by}"
        return MMJudgement("none", reason, default_tally, track, recorded_none=none)
    return _judge_history(default_tally, defaults, min_days, track)


def _how_well_kept(judgement: MMJudgement) -> tuple[int, float, int, int]:
    """Verified, then claimed, then breached; then the larger share of days kept."""
    judged, met = judgement.tally.judged, judgement.tally.met
    return (_RANK[judgement.status], met / judged if judged else 0.0, judged, met)
