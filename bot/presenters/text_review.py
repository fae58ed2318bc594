"""`/review` as plain text, and the evidence lines its Block Kit answer and the evidence pack
reuse. Who decided or logged something is passed through ``who`` (a Slack mention in Slack, the
user id in a terminal)."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.review import DecisionRecord, ReviewRules
from bot.domain.units import fmt_usd
from bot.usecases.review import ReviewList, ReviewRow

Who = Callable[[str], str]
DECISION_WORDS = {
    "recommend": "Recommended for the monitoring tag",
    "not_now": "Not now",
    "clear": "Cleared",
}


def _as_is(user_id: str) -> str:
    return user_id


def criteria_line(rules: ReviewRules) -> str:
    return (
        f"Criteria: daily median home ±2% depth under {fmt_usd(rules.floor_usd)} on at least "
        f"{rules.min_days_under_floor} of the {rules.window_days} whole days before today, and "
        "the contribution declined, no response after the escalation, or the market maker "
        "breached."
    )


def depth_evidence(row: ReviewRow, rules: ReviewRules) -> str:
    """``20 of the last 30 days under $50k (daily median home ±2% depth; 24 days with data,
    latest $4k on 2026-11-24)``; after a clear, counted from the day after it."""
    span = f"the last {rules.window_days} days"
    counted = (row.last_day - row.counted_from).days + 1
    if counted < rules.window_days:
        span = f"the {counted} days since {row.counted_from.isoformat()} (after the last clear)"
    latest = ""
    if row.latest is not None:
        depth = fmt_usd(row.latest.home_depth_2pct_usd)
        latest = f", latest {depth} on {row.latest.day.isoformat()}"
    return (
        f"{len(row.under_floor)} of {span} under {fmt_usd(rules.floor_usd)} (daily median "
        f"home ±2% depth; {row.days_with_data} days with data{latest})"
    )


def ground_lines(row: ReviewRow, who: Who = _as_is, quote: Who = _as_is) -> list[str]:
    """One line per ground that holds; the project's own words go through ``quote`` (escaped
    for Slack)."""
    lines = []
    if row.grounds.contribution_declined and row.contribution is not None:
        said = row.contribution[1]
        reason = said.details.get("reason")
        lines.append(
            f"Contribution declined on {said.at:%Y-%m-%d} (logged by "
            f"{who(said.actor)})" + (f": “{quote(str(reason))}”" if reason else "")
        )
    if row.grounds.no_response:
        lines.append("No response after the escalation")
    if row.grounds.mm_breached:
        lines.append("Market maker breached its obligations")
    return lines


def decision_line(decision: DecisionRecord, who: Who = _as_is) -> str:
    """``Not now (until 2026-12-25) by U123 on 2026-11-25``."""
    until = f" (until {decision.until:%Y-%m-%d})" if decision.until else ""
    words = DECISION_WORDS.get(decision.decision, decision.decision)
    return f"{words}{until} by {who(decision.decided_by)} on {decision.decided_at:%Y-%m-%d}"


def row_facts(row: ReviewRow) -> str:
    return f"Case stage: {row.stage} · market maker: {row.mm_status}"


def row_text(row: ReviewRow, rules: ReviewRules, who: Who = _as_is) -> list[str]:
    """A token's evidence as lines (its symbol first)."""
    lines = [row.symbol, f"  {depth_evidence(row, rules)}"]
    lines += [f"  {line}" for line in ground_lines(row, who)]
    lines.append(f"  {row_facts(row)}")
    if row.decision is not None:
        lines.append(f"  Last decision: {decision_line(row.decision, who)}")
    return lines


def review_summary(listing: ReviewList) -> str:
    return (
        f"Monitoring-tag review: {len(listing.open)} to decide · "
        f"{len(listing.recommended)} recommended · {len(listing.not_now)} put off"
    )


def review_text(listing: ReviewList) -> str:
    """The whole `/review` answer as plain text for a terminal."""
    lines = [review_summary(listing), criteria_line(listing.rules), ""]
    if not listing.open:
        lines.append("No token meets the review criteria and waits for a decision.")
    for row in listing.open:
        lines += row_text(row, listing.rules)
    if listing.recommended:
        lines += ["", "Recommended for the monitoring tag:"]
        for row in listing.recommended:
            lines += row_text(row, listing.rules)
    if listing.not_now:
        lines += ["", "Put off:"]
        lines += [
            f"  {r.symbol}: {decision_line(r.decision)}"
            for r in listing.not_now
            if r.decision is not None
        ]
    lines.append(f"As of {listing.as_of:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)
