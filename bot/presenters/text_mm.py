"""`/mm TOKEN` as plain text, and the lines its Block Kit answer reuses.

Public books cannot prove who quotes: observed quoting is always "market-maker-like liquidity",
never a name; names come only from engagements on record (replies or analysts).
"""

from __future__ import annotations

from bot.domain.calendar import team_time
from bot.domain.outreach import EngagementRecord
from bot.domain.units import fmt_bps, fmt_usd
from bot.usecases.mm import MMReport, uptime_line

STATUS_WORDS: dict[str, str] = {
    "confirmed": "confirmed: a market maker is on record",
    "observed": "observed: market-maker-like liquidity in the books",
    "none": "none",
    "unknown": "unknown: too little history",
}


def engagement_what(record: EngagementRecord) -> str:
    """What one record says: ``engaged: Wintermute, since …, until …, max spread 50 bps, min ±2%
    depth $20k`` or ``recorded: no market maker``."""
    if record.status == "none":
        return "recorded: no market maker"
    parts = [record.mm_name or "a market maker"]
    if record.since:
        parts.append(f"since {record.since.isoformat()}")
    if record.until:
        parts.append(f"until {record.until.isoformat()}")
    if record.max_spread_bps is not None:
        parts.append(f"max spread {fmt_bps(record.max_spread_bps)}")
    if record.min_depth_usd is not None:
        parts.append(f"min ±2% depth {fmt_usd(record.min_depth_usd)}")
    return "engaged: " + ", ".join(parts)


def engagement_line(record: EngagementRecord) -> str:
    """``2026-11-20 engaged: … (reply, logged by U123)``"""
    return (
        f"{record.logged_at:%Y-%m-%d} {engagement_what(record)} "
        f"({record.source}, logged by {record.logged_by})"
    )


def criteria_line(report: MMReport) -> str:
    c = report.criteria
    return (
        f"Market-maker-like: two-sided, spread ≤ {fmt_bps(c.max_spread_bps)} and ±2% depth ≥ "
        f"{fmt_usd(c.min_depth_2pct_usd)} in ≥ 75% of snapshots on ≥ 75% of days "
        f"(at least {c.min_days} days of history)."
    )


def mm_summary(report: MMReport) -> str:
    return f"{report.symbol}: market maker {report.status} — {report.explanation}"


def mm_text(report: MMReport) -> str:
    """The whole `/mm` answer as plain text for a terminal."""
    lines = [
        f"{report.symbol} market maker: {STATUS_WORDS.get(report.status, report.status)}",
        report.explanation,
        "",
        "On record (oldest first):",
    ]
    lines += [f"  - {engagement_line(r)}" for r in report.engagements] or ["  nothing on record"]
    lines += ["", f"Observed quoting on {report.home_exchange}:"]
    lines += [f"  - {uptime_line(w)}" for w in report.quoting]
    lines += [criteria_line(report), f"As of {team_time(report.as_of, report.timezone)}"]
    return "\n".join(lines)
