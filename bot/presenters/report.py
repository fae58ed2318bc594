"""The weekly report as text (`liqbot report --dry-run`) and Block Kit (the post), from one set of
lines: each part says what it counted and says "none" where it found nothing."""

from __future__ import annotations

from bot.domain.units import fmt_amount, fmt_pct, fmt_usd
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.blocks_common import Block, banner, context, escape, header, section
from bot.usecases.report import DepthAfterOutreach, PledgeLine, WeeklyReport

LISTED = 10
"""Tokens named per part; the rest are counted."""


def title(report: WeeklyReport) -> str:
    return (
        f"Weekly liquidity report {report.week} ({report.first_day.isoformat()} to "
        f"{report.last_day.isoformat()})"
    )


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def at_risk_line(report: WeeklyReport) -> str:
    tokens = report.at_risk
    if not tokens:
        return "At risk during the week: none."
    high = sum(1 for t in tokens if t.tier == "high")
    named = _names([f"{t.symbol} ({t.tier}, up to {t.max_score})" for t in tokens])
    return (
        f"At risk during the week: {len(tokens)} tokens ({high} high, {len(tokens) - high} "
        f"medium at their worst); {report.at_risk_at_end} in the week's last scan. {named}."
    )


def cases_line(report: WeeklyReport) -> str:
    opened = _names([f"{m.symbol} (now {m.after})" for m in report.opened])
    moved = _names([f"{m.symbol} ({m.before} → {m.after})" for m in report.moved])
    return (
        f"Cases: {len(report.opened)} opened"
        + (f": {opened}" if opened else "")
        + f"; {len(report.moved)} moved"
        + (f": {moved}" if moved else "")
        + "."
    )


def funnel_line(report: WeeklyReport) -> str:
    return "Pipeline at the week's end: " + " · ".join(f"{s} {n}" for s, n in report.funnel)


def response_line(report: WeeklyReport) -> str:
    r = report.responses
    if not r.contacted:
        return f"Response rate: no project contacted yet; {r.answers_in_span} answers this week."
    return (
        f"Response rate: {r.answered} of {r.contacted} contacted projects answered "
        f"({fmt_pct(r.rate, 0)}); {r.answers_in_span} answers this week."
    )


def _pledge(p: PledgeLine) -> str:
    tokens = f"{fmt_amount(p.tokens)} tokens" if p.tokens is not None else "supply unknown"
    return (
        f"{p.symbol} {p.pct_of_supply:g}% of supply: {tokens}, {fmt_usd(p.usd)} at mid, "
        f"{fmt_usd(p.absorbable_usd)} absorbable within ±2%"
    )


def pledges_line(report: WeeklyReport) -> str:
    if not report.pledges:
        return "Pledges this week: none."
    usd = sum(p.usd or 0 for p in report.pledges)
    absorbable = sum(p.absorbable_usd or 0 for p in report.pledges)
    return (
        f"Pledges this week: {len(report.pledges)}, {fmt_usd(usd)} at mid, {fmt_usd(absorbable)} "
        f"absorbable within ±2%: " + "; ".join(_pledge(p) for p in report.pledges) + "."
    )


def delivered_line(report: WeeklyReport) -> str:
    if not report.delivered:
        return "Delivered this week: none (no contribution recorded as received in the week)."
    return f"Delivered this week: {_names(list(report.delivered))}."


def mm_line(report: WeeklyReport) -> str:
    verified = _names(list(report.mm_verified)) or "none"
    breached = _names(list(report.mm_breached)) or "none"
    return f"Market makers in the week's last scan: verified {verified}; breached {breached}."


def _change(d: DepthAfterOutreach) -> str:
    c = d.change
    moved = (
        f" ({'+' if c.change >= 0 else ''}{fmt_pct(c.change, 0)})" if c.change is not None else ""
    )
    partial = "" if c.complete else f" [{c.before_days}+{c.after_days} of 14 days]"
    return f"{d.symbol} {fmt_usd(c.before_usd)} → {fmt_usd(c.after_usd)}{moved}{partial}"


def depth_line(report: WeeklyReport) -> str:
    head = (
        "Depth after outreach (first contacted the week before; daily median home ±2% depth, "
        "7 days before vs 7 days after)"
    )
    if not report.depth_after_outreach:
        return f"{head}: no project was first contacted the week before."
    return f"{head}: " + "; ".join(_change(d) for d in report.depth_after_outreach) + "."


def report_lines(report: WeeklyReport) -> list[str]:
    return [
        at_risk_line(report),
        cases_line(report),
        funnel_line(report),
        response_line(report),
        pledges_line(report),
        delivered_line(report),
        mm_line(report),
        depth_line(report),
    ]


def report_summary(report: WeeklyReport) -> str:
    """One line: the post's notification text."""
    demo = "DEMO DATA · " if report.source == "demo" else ""
    return (
        f"{demo}Weekly report {report.week}: {len(report.at_risk)} at risk · "
        f"{len(report.opened)} cases opened · {len(report.moved)} moved · "
        f"{len(report.pledges)} pledges"
    )


def report_text(report: WeeklyReport) -> str:
    demo = [DEMO_BANNER] if report.source == "demo" else []
    return "\n".join([*demo, title(report), *report_lines(report)])


def marker_block_id(week: str) -> str:
    """The header's block_id: finds the week's report in the channel after a crash."""
    return f"liqbot_report:{week}"


def report_blocks(report: WeeklyReport) -> list[Block]:
    blocks: list[Block] = [banner(DEMO_BANNER)] if report.source == "demo" else []
    heading = header(title(report))
    heading["block_id"] = marker_block_id(report.week)
    blocks.append(heading)
    blocks += [section(escape(line)) for line in report_lines(report)]
    blocks.append(context(f"Charts in the thread · as of {report.as_of:%Y-%m-%d %H:%M} UTC"))
    return blocks
