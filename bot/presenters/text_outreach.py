"""`/outreach TOKEN` as plain text, and the lines its Block Kit answer reuses: the timeline of
outreach and replies, each reply with the home ±2% depth (smaller side, USD) before and after."""

from __future__ import annotations

from bot.domain.units import fmt_usd
from bot.usecases.outreach.log import DepthCheck, OutreachTimeline, TimelineEntry

NOTES_SHOWN = 300


def depth_line(depth: DepthCheck, home_exchange: str) -> str:
    """``±2% depth on binance: $4.3k before → $12k after (+179%)``"""
    change = f" ({depth.change:+.0%})" if depth.change is not None else ""
    return (
        f"±2% depth on {home_exchange}: {fmt_usd(depth.before_usd)} before → "
        f"{fmt_usd(depth.after_usd)} after{change}"
    )


def entry_details(entry: TimelineEntry, home_exchange: str) -> list[str]:
    """The lines under an entry: notes and follow-up of an outreach, depth around a reply."""
    lines = []
    notes = entry.details.get("notes")
    if entry.kind == "outreach" and notes:
        text = str(notes)
        lines.append("notes: " + (text if len(text) <= NOTES_SHOWN else text[:NOTES_SHOWN] + "…"))
    if entry.kind == "outreach" and entry.details.get("followup_on"):
        lines.append(f"follow-up {entry.details['followup_on']}")
    if entry.depth is not None and entry.kind != "snooze":
        lines.append(depth_line(entry.depth, home_exchange))
    return lines


def outreach_summary(timeline: OutreachTimeline) -> str:
    return (
        f"{timeline.symbol} outreach: {timeline.state.label} "
        f"({len(timeline.entries)} entries logged)"
    )


def outreach_text(timeline: OutreachTimeline) -> str:
    """The whole `/outreach` answer as plain text for a terminal."""
    lines = [f"{timeline.symbol} outreach: {timeline.state.label}"]
    if not timeline.entries:
        lines.append("Nothing logged yet.")
    for entry in timeline.entries:
        lines.append(f"{entry.at:%Y-%m-%d %H:%M} {entry.by} — {entry.summary}")
        lines += [f"    {line}" for line in entry_details(entry, timeline.home_exchange)]
    lines.append(f"As of {timeline.as_of:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)
