"""A token's monitoring-tag evidence pack as files a reviewer forwards as they are: the daily
metrics CSV, the case timeline CSV, the history chart PNG and a one-page summary (Markdown).

CSV cells go through ``bot.presenters.csv_text`` (safe in a spreadsheet and a terminal); numbers
stay numbers, USD rounded to the dollar, spreads to 0.1 bps. The summary names its source and
definitions, so it reads on its own outside Slack.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.domain.event_words import describe
from bot.domain.history import DailyLiquidity, median_of
from bot.domain.units import fmt_bps, fmt_usd
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.blocks_common import OutgoingFile
from bot.presenters.csv_text import csv_text
from bot.presenters.history_chart import history_chart
from bot.presenters.history_series import (
    before_after_caption,
    history_filename,
    history_series,
)
from bot.presenters.text_review import (
    criteria_line,
    decision_line,
    depth_evidence,
    ground_lines,
    row_facts,
)
from bot.usecases.review_pack import ReviewPack

DAILY_COLUMNS = (
    "day",
    "scans",
    "home_depth_2pct_usd",
    "global_depth_2pct_usd",
    "home_spread_bps",
    "under_floor",
    "counted_for_review",
)
TIMELINE_COLUMNS = ("at", "kind", "by", "summary", "depth_before_usd", "depth_after_usd", "details")


def _usd(value: float | None) -> float | None:
    return None if value is None else round(value)


def daily_metrics_rows(pack: ReviewPack) -> list[dict[str, Any]]:
    """One row per day of history: the daily medians, whether the home figure is under the
    floor, and whether the day counts for the review (in its window, after any clear)."""
    row, floor = pack.row, pack.rules.floor_usd
    return [
        {
            "day": d.day.isoformat(),
            "scans": d.scans,
            "home_depth_2pct_usd": _usd(d.home_depth_2pct_usd),
            "global_depth_2pct_usd": _usd(d.global_depth_2pct_usd),
            "home_spread_bps": None if d.home_spread_bps is None else round(d.home_spread_bps, 1),
            "under_floor": d.home_depth_2pct_usd is not None and d.home_depth_2pct_usd < floor,
            "counted_for_review": row.counted_from <= d.day <= row.last_day,
        }
        for d in pack.history.days
    ]


def timeline_rows(pack: ReviewPack) -> list[dict[str, Any]]:
    """The case's entries as `/outreach TOKEN` lists them (corrected values, retracted ones
    marked; home ±2% depth before and after each answer), then the review decisions; oldest
    first."""
    view = pack.timeline
    rows: list[dict[str, Any]] = []
    for e in view.case.entries:
        depth = view.depth.get(e.event.id)
        summary = describe(e.kind, e.values, view.timezone)
        if e.retracted_by is not None:
            summary += f" [retracted by #{e.retracted_by.id}]"
        rows.append(
            {
                "at": e.event.at.isoformat(),
                "kind": e.kind,
                "by": e.event.by,
                "summary": summary,
                "depth_before_usd": _usd(depth.before_usd) if depth else None,
                "depth_after_usd": _usd(depth.after_usd) if depth else None,
                "details": json.dumps(dict(e.values), sort_keys=True, default=str),
            }
        )
    rows += [
        {
            "at": d.decided_at.isoformat(),
            "kind": f"review_{d.decision}",
            "by": d.decided_by,
            "summary": decision_line(d),
            "details": json.dumps(d.evidence, sort_keys=True, default=str),
        }
        for d in pack.decisions
    ]
    return sorted(rows, key=lambda r: str(r["at"]))


def _median_line(label: str, days: list[DailyLiquidity]) -> str:
    home = fmt_usd(median_of(d.home_depth_2pct_usd for d in days))
    global_ = fmt_usd(median_of(d.global_depth_2pct_usd for d in days))
    spread = fmt_bps(median_of(d.home_spread_bps for d in days))
    return f"| {label} | {home} | {global_} | {spread} |"


def _depth_table(pack: ReviewPack) -> list[str]:
    days = list(pack.history.days)
    last = days[-1].day

    def since(n: int) -> list[DailyLiquidity]:
        return [d for d in days if d.day > last - timedelta(days=n)]

    window = pack.rules.window_days
    return [
        "| | home ±2% depth | global ±2% depth | home spread |",
        "|---|---|---|---|",
        _median_line(f"last day ({last.isoformat()})", days[-1:]),
        _median_line("median of the last 7 days", since(7)),
        _median_line(f"median of the last {window} days", since(window)),
    ]


def _verdict(pack: ReviewPack) -> str:
    row = pack.row
    met = "yes" if row.meets_criteria else "no"
    decided = f"last decision: {decision_line(row.decision)}" if row.decision else "not decided"
    return f"**Meets the monitoring-tag review criteria: {met}** ({decided})."


def summary_markdown(pack: ReviewPack) -> str:
    """The one-page summary (Markdown)."""
    row, history = pack.row, pack.history
    demo = [f"**{DEMO_BANNER}**", ""] if pack.source == "demo" else []
    lines = [
        f"# {row.symbol}: monitoring-tag review evidence",
        "",
        *demo,
        f"Prepared by liqbot on {pack.as_of:%Y-%m-%d %H:%M} UTC from the order books of "
        f"{pack.home_exchange} (home) and the other tracked venues.",
        "",
        _verdict(pack),
        "",
        f"- Depth: {depth_evidence(row, pack.rules)}",
        *(f"- {line}" for line in ground_lines(row)),
        f"- {row_facts(row)}",
        "",
        "## Depth and spread (daily medians)",
        "",
        *_depth_table(pack),
        "",
    ]
    caption = before_after_caption(history_series(history))
    if caption:
        lines += [f"Turning point of the case: {caption}.", ""]
    lines += ["## Case events", ""]
    lines += [
        f"- {e.day.isoformat()} {e.label}" + (f" ({e.by})" if e.by else "") for e in history.events
    ] or ["- none on record"]
    lines += ["", "## Review decisions", ""]
    lines += [f"- {decision_line(d)}" for d in pack.decisions] or ["- none yet"]
    lines += ["", "## Definitions", "", criteria_line(pack.rules), DEFINITIONS, ""]
    lines.append("Attached: " + ", ".join(f"`{name}`" for name in file_names(pack)[:3]) + ".")
    return "\n".join(lines) + "\n"


DEFINITIONS = (
    "±2% depth: the USD value of the bids within 2% below the mid and of the asks within 2% "
    "above it, each summed over the token's pairs, and the smaller of the two (a book is as deep "
    "as its thinner side). Home: the home exchange's pairs; global: every tracked venue's, "
    "venues quoting another asset under the same ticker left out. A day's figure is the median "
    "of that day's scans (the team's time zone); spread: the tightest home pair's, in bps."
)


def file_names(pack: ReviewPack) -> tuple[str, str, str, str]:
    """(daily metrics CSV, case timeline CSV, history PNG, summary) file names."""
    symbol = pack.row.symbol
    return (
        f"{symbol}-daily-metrics.csv",
        f"{symbol}-case-timeline.csv",
        history_filename(pack.history),
        f"{symbol}-review-summary.md",
    )


def pack_files(pack: ReviewPack, watermark: str | None = None) -> list[OutgoingFile]:
    """The four files of the pack (the chart is drawn here: call it off the event loop)."""
    daily, timeline, chart, summary = file_names(pack)
    symbol = pack.row.symbol
    png = history_chart(pack.history, watermark).png
    return [
        OutgoingFile(summary, f"{symbol}: review summary", summary_markdown(pack).encode()),
        OutgoingFile(chart, f"{symbol}: daily ±2% depth and spread", png),
        OutgoingFile(
            daily,
            f"{symbol}: daily metrics",
            csv_text(daily_metrics_rows(pack), DAILY_COLUMNS).encode(),
        ),
        OutgoingFile(
            timeline,
            f"{symbol}: case timeline",
            csv_text(timeline_rows(pack), TIMELINE_COLUMNS).encode(),
        ),
    ]
