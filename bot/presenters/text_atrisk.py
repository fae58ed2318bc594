"""`/atrisk [N] [high|medium]` as plain text, and the lines its Block Kit answer reuses."""

from __future__ import annotations

from bot.domain.calendar import team_time
from bot.domain.units import fmt_usd
from bot.usecases.atrisk import AtRiskList, AtRiskRow

REASONS_SHOWN = 3
MM_WORDS = {"observed": "market-maker-like liquidity"}


def heading(result: AtRiskList) -> str:
    """``At-risk tokens: 42 (16 high, 26 medium) · showing 20``"""
    counts = ", ".join(f"{n} {tier}" for tier, n in result.counts.items())
    which = f" of tier {result.tier}" if result.tier else ""
    return f"At-risk tokens{which}: {result.total} ({counts}) · showing {len(result.rows)}"


def empty_line(result: AtRiskList) -> str | None:
    """Why there is no row, or None when there are rows."""
    if not result.scanned:
        return "No scan yet: run `liqbot scan`, or wait for the next snapshot."
    if not result.rows:
        which = f" of tier {result.tier}" if result.tier else ""
        return f"No token{which} at risk in the latest scan."
    return None


def figures(row: AtRiskRow) -> str:
    """``±2% depth $4.3k · 24h vol $12k · mkt cap $3.1M · MM none``"""
    a = row.assessment
    return (
        f"±2% depth {fmt_usd(a.home_depth_2pct_usd)} · 24h vol {fmt_usd(a.home_volume_24h_usd)}"
        f" · mkt cap {fmt_usd(a.market_cap_usd)} · MM {MM_WORDS.get(a.mm_status, a.mm_status)}"
    )


def row_line(row: AtRiskRow) -> str:
    """One token on one line (compact rows, terminal)."""
    a = row.assessment
    return (
        f"{row.rank}. {a.symbol} · {a.tier} {a.score} · {figures(row)} · "
        f"outreach: {row.outreach.text}"
    )


def reasons(row: AtRiskRow) -> str:
    shown = "; ".join(row.assessment.reasons[:REASONS_SHOWN]) or "no reason recorded"
    more = len(row.assessment.reasons) - REASONS_SHOWN
    return shown + (f" (+{more} more)" if more > 0 else "")


def data_issue_lines(result: AtRiskList) -> list[str]:
    """The unrated tokens, apart from the ranking: a count line, then one line per token with its
    first reason (the fault and the market)."""
    if not result.data_issues:
        return []
    lines = [f"Data issues (not rated, no usable home book): {len(result.data_issues)}"]
    for a in result.data_issues:
        lines.append(f"  {a.symbol} · {a.reasons[0] if a.reasons else 'no reason recorded'}")
    return lines


def as_of_line(result: AtRiskList) -> str:
    if result.as_of is None:
        return "No scan stored yet."
    scan = team_time(result.as_of, result.timezone)
    return f"From the scan of {scan}; snoozed tokens stay listed here."


def atrisk_summary(result: AtRiskList) -> str:
    return empty_line(result) or heading(result)


def atrisk_text(result: AtRiskList) -> str:
    """The whole `/atrisk` answer as plain text for a terminal."""
    empty = empty_line(result)
    if empty and not result.scanned:
        return empty
    lines = [heading(result)]
    if empty:
        lines.append(empty)
    for row in result.rows:
        lines += [row_line(row), f"    {reasons(row)}"]
    lines += data_issue_lines(result)
    lines.append(as_of_line(result))
    return "\n".join(lines)
