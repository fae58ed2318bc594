"""`/mm TOKEN` as plain text, and the lines its Block Kit answer reuses.

Public books cannot prove who quotes: observed quoting is always "market-maker-like liquidity",
never a name; names come only from engagements on record (replies or analysts).
"""

from __future__ import annotations

from bot.domain.calendar import team_time
from bot.domain.mm import Obligations
from bot.domain.mm_status import DayMark, TrackRecord
from bot.domain.outreach import EngagementRecord
from bot.domain.units import fmt_bps, fmt_pct, fmt_usd
from bot.usecases.mm import MMReport, Track
from bot.usecases.mm_scorecard import FirmScorecard

STATUS_WORDS: dict[str, str] = {
    "verified": "verified: the market maker on record keeps its obligations",
    "claimed": "claimed: a market maker is on record, too little history since its start to judge",
    "breached": "breached: the market maker on record does not keep its obligations",
    "observed": "observed: market-maker-like liquidity in the books",
    "none": "none",
    "unknown": "unknown: too little history",
}

DAY_MARKS: dict[DayMark, str] = {
    "met": "✓",
    "missed": "✗",
    "partial": "◌",
    "no data": "·",
    "not running": "–",
}
LEGEND = "✓ kept, ✗ missed, ◌ partly covered, · no snapshot, – not running"


def engagement_what(record: EngagementRecord) -> str:
    """What one record says: ``engaged: Wintermute, since …, until …, max spread 50 bps, min ±2%
    depth $20k per side, uptime 90%`` or ``recorded: no market maker``."""
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
        parts.append(f"min ±2% depth {fmt_usd(record.min_depth_usd)} per side")
    if record.uptime is not None:
        parts.append(f"uptime {fmt_pct(record.uptime, 0)}")
    return "engaged: " + ", ".join(parts)


def engagement_line(record: EngagementRecord) -> str:
    """``2026-11-20 engaged: … (reply, logged by U123)``"""
    return (
        f"{record.logged_at:%Y-%m-%d} {engagement_what(record)} "
        f"({record.source}, logged by {record.logged_by})"
    )


def day_row(report: MMReport, track: TrackRecord) -> str:
    """The window's days as marks, oldest first: ``✓✓✗✓…``."""
    return "".join(DAY_MARKS[track.mark(day)] for day in report.days)


def figures_line(track: TrackRecord) -> str:
    """``met 3 of 14 days · median spread 277 bps (max 50.0 bps) · median ±2% depth $695 (min
    $20k per side) · uptime ≥ 75%``"""
    o: Obligations = track.obligations
    return (
        f"met {track.met} of {track.judged} days · median spread "
        f"{fmt_bps(track.median_spread_bps)} (max {fmt_bps(o.max_spread_bps)}) · median ±2% depth "
        f"{fmt_usd(track.median_depth_2pct_usd)} (min {fmt_usd(o.min_depth_usd)} per side) · "
        f"uptime ≥ {fmt_pct(o.min_uptime, 0)}"
    )


def track_title(track: Track) -> str:
    return f"{track.label} ({track.status})" if track.status else track.label


def window_title(report: MMReport) -> str:
    first, last = report.days[0], report.days[-1]
    return (
        f"Last {len(report.days)} days on {report.home_exchange} "
        f"({first.isoformat()} → {last.isoformat()}, oldest first)"
    )


def scorecard_line(card: FirmScorecard) -> str:
    """``Wintermute: 2 tokens (FOO, ZIBBKA) · obligations met on 14 of 26 days · breached on
    ZIBBKA``"""
    plural = "token" if len(card.tokens) == 1 else "tokens"
    breaches = f"breached on {', '.join(card.breaches)}" if card.breaches else "no breach"
    return (
        f"{card.firm}: {len(card.tokens)} {plural} ({', '.join(card.tokens)}) · obligations met "
        f"on {card.days_met} of {card.days_judged} days · {breaches}"
    )


def mm_summary(report: MMReport) -> str:
    return f"{report.symbol}: market maker {report.status} — {report.explanation}"


def mm_text(report: MMReport) -> str:
    """The whole `/mm` answer as plain text for a terminal."""
    lines = [
        f"{report.symbol} market maker: {STATUS_WORDS.get(report.status, report.status)}",
        report.explanation,
        "",
        f"{window_title(report)}: {LEGEND}",
    ]
    for track in report.tracks:
        lines += [
            f"  {track_title(track)}",
            f"    {day_row(report, track.track)}  {figures_line(track.track)}",
        ]
    if report.scorecards:
        lines += ["", f"Market makers across tokens (last {len(report.days)} days):"]
        lines += [f"  - {scorecard_line(card)}" for card in report.scorecards]
    lines += ["", "On record (oldest first):"]
    lines += [f"  - {engagement_line(r)}" for r in report.engagements] or ["  nothing on record"]
    lines += ["", f"As of {team_time(report.as_of, report.timezone)}"]
    return "\n".join(lines)
