"""The weekly report's charts: the pipeline funnel by stage, pledged vs received (USD) per token,
and the depth before vs after outreach per token. Each chart function returns the PNG and the
series it plots; ``report_chart_files`` keeps the charts that have something to show (the
report's text says "none" for the others)."""

from __future__ import annotations

from typing import Any

from bot.domain.units import fmt_pct, fmt_usd
from bot.presenters.blocks_common import OutgoingFile
from bot.presenters.plotting import (
    ChartImage,
    log_scale,
    new_figure,
    plain,
    png_of,
    usd_formatter,
)
from bot.usecases.report import WeeklyReport

SIZE_INCHES = (8.0, 4.5)
FUNNEL_COLOR = "#1d3557"
PLEDGED_COLOR, RECEIVED_COLOR = "#3a86ff", "#2a9d8f"
BEFORE_COLOR, AFTER_COLOR = "#adb5bd", "#1d3557"

Funnel = tuple[tuple[str, int], ...]
"""(stage, cases at the week's end), in the pipeline's order."""
PledgedReceived = tuple[tuple[str, float, float], ...]
"""(token, USD pledged, USD received) to the week's end."""
BeforeAfter = tuple[tuple[str, float | None, float | None], ...]
"""(token, daily median home ±2% depth in USD the 7 days before, the 7 days after)."""


def _title(axes: Any, report: WeeklyReport, what: str) -> None:
    axes.set_title(plain(f"{what}, {report.week}"), fontsize=10)


def funnel_chart(report: WeeklyReport, watermark: str | None = None) -> ChartImage[Funnel]:
    """Cases per stage at the week's end (horizontal bars, first stage on top)."""
    series: Funnel = tuple((stage, count) for stage, count in report.funnel)
    figure = new_figure(SIZE_INCHES)
    axes = figure.subplots()
    stages = [s for s, _ in series][::-1]
    counts = [n for _, n in series][::-1]
    bars = axes.barh(stages, counts, color=FUNNEL_COLOR)
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_xlabel("cases")
    axes.xaxis.get_major_locator().set_params(integer=True)
    _title(axes, report, "Outreach pipeline at the week's end")
    return ChartImage(png_of(figure, watermark), series)


def pledges_chart(
    report: WeeklyReport, watermark: str | None = None
) -> ChartImage[PledgedReceived]:
    """USD pledged and received per token, to the week's end."""
    series: PledgedReceived = tuple(
        (p.symbol, p.pledged_usd, p.received_usd) for p in report.pledged_received
    )
    figure = new_figure(SIZE_INCHES)
    axes = figure.subplots()
    x = range(len(series))
    axes.bar(
        [i - 0.2 for i in x],
        [p for _, p, _ in series],
        0.4,
        label="pledged (at mid)",
        color=PLEDGED_COLOR,
    )
    axes.bar(
        [i + 0.2 for i in x], [r for _, _, r in series], 0.4, label="received", color=RECEIVED_COLOR
    )
    axes.set_xticks(list(x), [s for s, _, _ in series])
    axes.yaxis.set_major_formatter(usd_formatter())
    axes.legend(fontsize=8)
    if not any(r for _, _, r in series):
        axes.text(
            0.99,
            0.97,
            "received: none recorded yet",
            transform=axes.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#6c757d",
        )
    _title(axes, report, "Contributions pledged vs received (USD)")
    return ChartImage(png_of(figure, watermark), series)


def _after_label(before: float | None, after: float | None) -> str:
    """``$20k (+300%)``: the depth after, and the change when both sides are known."""
    if before is None or after is None or before <= 0:
        return fmt_usd(after)
    change = after / before - 1
    return f"{fmt_usd(after)} ({'+' if change >= 0 else ''}{fmt_pct(change, 0)})"


def depth_change_chart(
    report: WeeklyReport, watermark: str | None = None
) -> ChartImage[BeforeAfter]:
    """Per token first contacted the week before: its depth the 7 days before and after."""
    series: BeforeAfter = tuple(
        (d.symbol, d.change.before_usd, d.change.after_usd) for d in report.depth_after_outreach
    )
    figure = new_figure(SIZE_INCHES)
    axes = figure.subplots()
    x = range(len(series))
    before = [b or 0.0 for _, b, _ in series]
    after = [a or 0.0 for _, _, a in series]
    axes.bar(
        [i - 0.2 for i in x], before, 0.4, label="7 days before first contact", color=BEFORE_COLOR
    )
    bars = axes.bar([i + 0.2 for i in x], after, 0.4, label="7 days after", color=AFTER_COLOR)
    axes.bar_label(bars, [plain(_after_label(b, a)) for _, b, a in series], padding=2, fontsize=7)
    axes.set_xticks(list(x), [s for s, _, _ in series])
    if log_scale([*before, *after]):
        axes.set_yscale("log")
    axes.yaxis.set_major_formatter(usd_formatter())
    axes.set_ylabel(plain("home ±2% depth, daily median (USD)"))
    axes.legend(fontsize=8)
    _title(axes, report, "Depth after outreach")
    return ChartImage(png_of(figure, watermark), series)


def report_chart_files(report: WeeklyReport, watermark: str | None = None) -> list[OutgoingFile]:
    """The charts worth posting: the funnel when there is a case, the pledges when there is one,
    the depth change when a project was first contacted the week before."""
    files = []
    if any(count for _, count in report.funnel):
        png = funnel_chart(report, watermark).png
        files.append(OutgoingFile(f"report-{report.week}-pipeline.png", "Pipeline by stage", png))
    if report.pledged_received:
        png = pledges_chart(report, watermark).png
        name = f"report-{report.week}-pledges.png"
        files.append(OutgoingFile(name, "Pledged vs received (USD)", png))
    if report.depth_after_outreach:
        png = depth_change_chart(report, watermark).png
        name = f"report-{report.week}-depth-after-outreach.png"
        files.append(OutgoingFile(name, "Depth after outreach", png))
    return files
