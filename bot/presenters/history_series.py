"""The data of the history chart (`/liquidity TOKEN history`, the review's evidence pack): what
is drawn, as values, so tests check it instead of pixels.

Per day: the daily home and global ±2% depth (USD) and the home spread (bps) of
``bot.usecases.history``; the depth floor; the case's events; and around the case's turning
point (its first engagement start, else its first contact) the median daily home depth of the 7
days before and of the 7 days after, so "depth rose after the engagement started" reads at a
glance. A panel is on a log scale when its values span more than 10×.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.case_record import CaseEvent
from bot.domain.history import DepthChange, depth_change
from bot.domain.units import fmt_pct, fmt_usd
from bot.presenters.plotting import log_scale
from bot.usecases.history import TokenHistory

TURNING_KINDS = ("engagement_start", "contact")
"""The event the before/after comparison is drawn around: the first of the first kind found."""


@dataclass(frozen=True)
class HistorySeries:
    """What the history chart plots: one value per day from the first day with a figure to the
    last (None: no figure that day, a gap), the floor (USD), the events as (day, kind, label),
    the before/after comparison around the turning point (``turning_label`` names it) and
    which panels are on a log scale."""

    symbol: str
    days: tuple[date, ...]
    home_depth_usd: tuple[float | None, ...]
    global_depth_usd: tuple[float | None, ...]
    spread_bps: tuple[float | None, ...]
    floor_usd: float
    events: tuple[tuple[date, str, str], ...]
    turning_point: DepthChange | None
    turning_label: str | None
    depth_log: bool
    spread_log: bool


def _turning_point(history: TokenHistory) -> tuple[CaseEvent | None, DepthChange | None]:
    for kind in TURNING_KINDS:
        event = next((e for e in history.events if e.kind == kind), None)
        if event is not None:
            change = depth_change(history.days, event.day)
            return event, change if change.before_usd is not None else None
    return None, None


def history_series(history: TokenHistory) -> HistorySeries:
    """The chart's data from the history: every day from the first to the last with a figure,
    None on a day without a scan (a gap in the line, not a zero)."""
    first, last = history.days[0].day, history.days[-1].day
    by_day = {d.day: d for d in history.days}
    days = tuple(first + timedelta(days=n) for n in range((last - first).days + 1))
    shown = [by_day.get(day) for day in days]
    home = tuple(d.home_depth_2pct_usd if d else None for d in shown)
    global_ = tuple(d.global_depth_2pct_usd if d else None for d in shown)
    spread = tuple(d.home_spread_bps if d else None for d in shown)
    event, change = _turning_point(history)
    return HistorySeries(
        symbol=history.symbol,
        days=days,
        home_depth_usd=home,
        global_depth_usd=global_,
        spread_bps=spread,
        floor_usd=history.floor_usd,
        events=tuple((e.day, e.kind, e.label) for e in history.events),
        turning_point=change,
        turning_label=event.label if event is not None and change is not None else None,
        depth_log=log_scale([*home, *global_], [history.floor_usd]),
        spread_log=log_scale(spread),
    )


def history_filename(history: TokenHistory) -> str:
    return f"{history.symbol}-history-{history.days_back}d.png"


def history_title(history: TokenHistory) -> str:
    count = len(history.days)
    plural = "day" if count == 1 else "days"
    return (
        f"{history.symbol}: daily ±2% depth and spread, last {history.days_back} days "
        f"({count} {plural} of history, {history.days[0].day.isoformat()} to "
        f"{history.days[-1].day.isoformat()})"
    )


def before_after_caption(series: HistorySeries) -> str | None:
    """One line on the turning point: ``engagement start: Wintermute, 2026-11-13: home ±2%
    depth $4k → $60k (+1400%), medians of the 7 days before and after``; None without one."""
    change = series.turning_point
    if change is None or change.before_usd is None:
        return None
    head = f"{series.turning_label}, {change.around.isoformat()}: home ±2% depth"
    if change.after_usd is None:
        return (
            f"{head} {fmt_usd(change.before_usd)} (median of the 7 days before), no day after yet"
        )
    moved = ""
    if change.change is not None:
        moved = f" ({'+' if change.change >= 0 else ''}{fmt_pct(change.change, 0)})"
    return (
        f"{head} {fmt_usd(change.before_usd)} → {fmt_usd(change.after_usd)}{moved}, medians of "
        "the 7 days before and after"
    )
