"""`/liquidity TOKEN history`: the PNG of a token's daily ±2% depth and spread, its case's events
marked; the data drawn is ``bot.presenters.history_series``.

Three rows share the time axis: the events' labels (stacked where they are close in time), the
daily home and global ±2% depth (USD) with the depth floor dashed, and the home spread (bps).
Each event is a dotted line across them; two short bars mark the 7-day median depth before and
after the turning point, and the caption under the chart gives both numbers and the change. One
day of history is one labelled point in a week.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.domain.units import fmt_usd
from bot.presenters.history_series import (
    HistorySeries,
    before_after_caption,
    history_series,
    history_title,
)
from bot.presenters.plotting import (
    ChartImage,
    gaps,
    new_figure,
    plain,
    png_of,
    tick_formatter,
    usd_formatter,
)
from bot.usecases.history import TokenHistory

HOME_COLOR = "#1d3557"
GLOBAL_COLOR = "#8ab6d6"
FLOOR_COLOR = "#c1121f"
SPREAD_COLOR = "#6a4c93"
EVENT_COLORS = {
    "contact": "#6c757d",
    "engagement_start": "#2a9d8f",
    "engagement_end": "#1b6f65",
    "no_mm": "#e76f51",
    "pledge": "#3a86ff",
    "delivery": "#7b2cbf",
    "declined": "#c1121f",
}
MIN_SHOWN_DAYS = 7
CHAR_WIDTH_OF_SPAN = 1 / 130
"""A 7.5-point character's width as a share of the panels' width (about 640 points)."""
SIZE_INCHES = (9.0, 6.0)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12))


def _depth_panel(axes: Any, x: list[datetime], series: HistorySeries, exchange: str) -> None:
    axes.plot(
        x,
        gaps(series.global_depth_usd),
        color=GLOBAL_COLOR,
        marker="o",
        markersize=3,
        linewidth=1.5,
        label="global ±2% depth (all venues)",
    )
    axes.plot(
        x,
        gaps(series.home_depth_usd),
        color=HOME_COLOR,
        marker="o",
        markersize=4,
        linewidth=2.5,
        label=f"home ±2% depth ({exchange})",
    )
    axes.axhline(
        series.floor_usd,
        color=FLOOR_COLOR,
        linestyle="--",
        linewidth=1,
        label=plain(f"floor {fmt_usd(series.floor_usd)}"),
    )
    if series.depth_log:
        axes.set_yscale("log")
    else:
        axes.set_ylim(bottom=0)
    last = next((v for v in reversed(series.home_depth_usd) if v is not None), None)
    if last is not None:
        note = f"{fmt_usd(last)}"
        if len(series.days) == 1:
            note += f" on {series.days[0].isoformat()}: the first day of history"
        axes.annotate(
            plain(note),
            (x[-1], last),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
            color=HOME_COLOR,
        )
    axes.set_ylabel("±2% depth, USD (daily median)")
    axes.legend(loc="best", fontsize=7)


def _spread_panel(axes: Any, x: list[datetime], series: HistorySeries) -> None:
    axes.plot(
        x,
        gaps(series.spread_bps),
        color=SPREAD_COLOR,
        marker="o",
        markersize=3,
        linewidth=1.5,
        label="home spread (tightest pair)",
    )
    if series.spread_log:
        axes.set_yscale("log")
    else:
        axes.set_ylim(bottom=0)
    axes.set_ylabel("spread, bps")
    axes.legend(loc="best", fontsize=7)


def _label_rows(series: HistorySeries, span_days: float) -> list[int]:
    """A row (0 = top) per event label in the strip above the chart, so that labels close in
    time are stacked instead of drawn over each other."""
    days_per_char = span_days * CHAR_WIDTH_OF_SPAN
    row_ends: list[float] = []
    rows = []
    for day, _, label in series.events:
        x = (day - series.events[0][0]).days
        row = next((i for i, end in enumerate(row_ends) if end < x), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = x + (len(label) + 2) * days_per_char
        rows.append(row)
    return rows


def _events(strip: Any, panels: Sequence[Any], series: HistorySeries, span_days: float) -> None:
    """Each event: a dotted line across the panels, its label in the strip above them."""
    rows = _label_rows(series, span_days)
    strip.set_ylim(max(rows, default=0) + 1, 0)
    strip.axis("off")
    if not rows:
        strip.text(
            0.5,
            0.5,
            "no outreach on record",
            transform=strip.transAxes,
            ha="center",
            va="center",
            fontsize=8,
            color="#6c757d",
        )
    for (day, kind, label), row in zip(series.events, rows, strict=True):
        color = EVENT_COLORS.get(kind, "#6c757d")
        for axes in panels:
            axes.axvline(_noon(day), color=color, linestyle=":", linewidth=1.2)
        strip.plot(
            [_noon(day)] * 2, [row + 0.5, max(rows) + 1], color=color, linestyle=":", linewidth=1.2
        )
        strip.text(
            _noon(day),
            row + 0.5,
            plain(f" {label}"),
            va="center",
            ha="left",
            fontsize=7.5,
            color=color,
            fontweight="bold",
        )


def _before_after(axes: Any, series: HistorySeries) -> None:
    """Bars at the 7-day medians before and after the turning point."""
    change = series.turning_point
    if change is None:
        return
    span = timedelta(days=change.span_days)
    around = _noon(change.around)
    for value, start in ((change.before_usd, around - span), (change.after_usd, around)):
        if value is not None:
            axes.hlines(value, start, start + span, colors="black", linewidth=4, alpha=0.35)


def _x_limits(series: HistorySeries) -> tuple[datetime, datetime]:
    """The days shown: the history and the events, a day more on each side, and at least a
    week (one day of history is then a point in a week, not in hours)."""
    days = [*series.days, *(day for day, _, _ in series.events)]
    first, last = min(days), max(days)
    pad = max(1, (MIN_SHOWN_DAYS - (last - first).days + 1) // 2)
    return _noon(first) - timedelta(days=pad), _noon(last) + timedelta(days=pad)


def _usd_ticks(axes: Any, series: HistorySeries) -> None:
    """USD tick labels; on a log axis spanning under two decades the minor ticks are labelled
    too (otherwise one "$10k" may be the only label)."""
    from matplotlib.ticker import LogLocator, NullFormatter

    usd = usd_formatter()
    axes.yaxis.set_major_formatter(usd)
    known = [v for v in (*series.home_depth_usd, *series.global_depth_usd) if v]
    narrow = bool(known) and max(*known, series.floor_usd) < 100 * min(*known, series.floor_usd)
    if series.depth_log and narrow:
        axes.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        axes.yaxis.set_minor_formatter(usd)
    else:
        axes.yaxis.set_minor_formatter(NullFormatter())


def history_chart(
    history: TokenHistory, watermark: str | None = None, title: str | None = None
) -> ChartImage[HistorySeries]:
    """The history chart as PNG bytes with the data it plots; ``watermark`` (e.g. DEMO DATA) is
    written across it."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    series = history_series(history)
    figure = new_figure(SIZE_INCHES)
    strip, depth, spread = figure.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [0.55, 3, 1.3]}
    )
    x = [_noon(day) for day in series.days]
    start, end = _x_limits(series)
    _depth_panel(depth, x, series, history.home_exchange)
    _spread_panel(spread, x, series)
    _events(strip, (depth, spread), series, (end - start).days)
    _before_after(depth, series)
    _usd_ticks(depth, series)
    spread.yaxis.set_major_formatter(tick_formatter(lambda v: f"{v:g} bps"))
    locator = AutoDateLocator(maxticks=10)  # type: ignore[no-untyped-call]
    spread.xaxis.set_major_locator(locator)
    spread.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    spread.set_xlim(start, end)
    figure.suptitle(plain(title or history_title(history)), fontsize=10)
    caption = before_after_caption(series)
    if caption:
        figure.supxlabel(plain(caption), fontsize=8.5)
    return ChartImage(png_of(figure, watermark), series)
