"""`/outreach TOKEN` as plain text, and the lines its Block Kit answer reuses: the case's stage
and owner, both answers with every figure dated, the follow-up, and the timeline (each entry
numbered, with who wrote it, when in ``TIMEZONE``, and whether it was corrected or retracted;
each answer with the home ±2% depth before and after it)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.answers import ContributionAnswer, MarketMakerAnswer
from bot.domain.calendar import team_day, team_time
from bot.domain.event_words import describe, figures_words
from bot.domain.followup import FollowUp
from bot.domain.timeline import Entry
from bot.domain.units import fmt_amount, fmt_bps, fmt_usd
from bot.usecases.outreach.case import CaseView, OutreachState, state_of
from bot.usecases.outreach.depth import DepthCheck


def _at(moment: datetime | None, timezone: str) -> str:
    return team_time(moment, timezone) if moment is not None else "n/a"


def depth_line(depth: DepthCheck, home_exchange: str, timezone: str) -> str:
    """``±2% depth on binance: $4.3k (2026-12-01 09:00 CET) → $12k (2026-12-03 09:00 CET),
    +179%``"""
    change = f", {depth.change:+.0%}" if depth.change is not None else ""
    before = (
        f"{fmt_usd(depth.before_usd)} ({_at(depth.before_at, timezone)})"
        if depth.before_at is not None
        else "no snapshot in the week before"
    )
    after = (
        f"{fmt_usd(depth.after_usd)} ({_at(depth.after_at, timezone)})"
        if depth.after_at is not None
        else "no snapshot since"
    )
    return f"±2% depth on {home_exchange}: {before} → {after}{change}"


def market_maker_line(answer: MarketMakerAnswer) -> str:
    """The market-maker question: the firms on record with their terms, or "no market maker"."""
    if answer.state == "none":
        reason = f" ({answer.none_reason})" if answer.none_reason else ""
        return f"no market maker{reason}"
    if answer.state != "has_mm":
        return answer.state.replace("_", " ")
    firms = []
    for e in answer.engagements:
        terms = [f"since {e.since}" if e.since else "", f"until {e.until}" if e.until else ""]
        if e.max_spread_bps is not None:
            terms.append(f"max spread {fmt_bps(e.max_spread_bps)}")
        if e.min_depth_usd is not None:
            terms.append(f"min ±2% depth {fmt_usd(e.min_depth_usd)}")
        if e.ended_on is not None:
            terms.append(f"ended {e.ended_on}")
        shown = ", ".join(t for t in terms if t)
        firms.append(e.mm_name + (f" ({shown})" if shown else ""))
    return "; ".join(firms)


def contribution_lines(answer: ContributionAnswer, timezone: str) -> list[str]:
    """The contribution question: its state, then each figure on record, dated."""
    lines = [answer.state.replace("_", " ")]
    if answer.pledged_pct is not None and answer.pledged is not None:
        day = f" on {team_day(answer.pledged_at, timezone)}" if answer.pledged_at else ""
        amounts = figures_words(answer.pledged, timezone)
        lines.append(f"pledged {answer.pledged_pct:g}% of circulating supply{day}: {amounts}")
    if answer.agreed is not None:
        day = f" on {team_day(answer.agreed_at, timezone)}" if answer.agreed_at else ""
        lines.append(f"agreed{day}: {figures_words(answer.agreed, timezone)}")
    if answer.received is not None:
        lockup = f", locked up until {answer.lockup_until}" if answer.lockup_until else ""
        received = figures_words(answer.received, timezone)
        lines.append(f"received on {answer.received_on}{lockup}: {received}")
    if answer.shortfall_tokens is not None and answer.agreed is not None:
        short, agreed = fmt_amount(answer.shortfall_tokens), fmt_amount(answer.agreed.tokens)
        lines.append(f"shortfall: {short} of the {agreed} tokens agreed")
    if answer.ended_on is not None:
        lines.append(f"ended on {answer.ended_on}")
    if answer.declined_reason:
        lines.append(f"declined: {answer.declined_reason}")
    return lines


def followup_line(followup: FollowUp | None, now: datetime) -> str:
    """Where the wait stands: since when, on which questions, and the next step's day."""
    if followup is None:
        return "nothing to follow up"
    tz = followup.timezone
    waiting = followup.days_waiting(now)
    days = f"{waiting} day{'' if waiting == 1 else 's'}"
    since = f"waiting since {team_day(followup.anchor.at, tz)} ({days})"
    open_ = " and ".join(followup.awaiting)
    if followup.escalated is not None:
        step = f"escalated {team_day(followup.escalated.at, tz)}"
    elif followup.reminded is not None:
        reminded = team_day(followup.reminded.at, tz)
        step = f"reminded {reminded}, escalation due {followup.escalate_on}"
    else:
        step = f"reminder due {followup.due_on}"
    return f"{since} for {open_}; {step}"


def owner_words(state: OutreachState) -> str:
    return state.owner_name or state.owner or "nobody yet"


def entry_line(entry: Entry, timezone: str) -> str:
    """``#5 2026-12-01 10:00 CET alice — Will contribute 3% … [corrected by #9]``"""
    event = entry.event
    about = f" (of #{event.refers_to})" if event.refers_to else ""
    mark = ""
    if entry.retracted_by is not None:
        mark = f" [retracted by #{entry.retracted_by.id}]"
    elif entry.corrected_by is not None:
        mark = f" [corrected by #{entry.corrected_by.id}]"
    summary = describe(event.kind, event.details, timezone)
    return f"#{event.id} {team_time(event.at, timezone)} {event.by} — {summary}{about}{mark}"


def case_lines(view: CaseView) -> list[str]:
    """The case's summary lines under its title: owner, market maker, contribution, follow-up."""
    state = state_of(view.case, view.as_of, view.timezone)
    contribution = contribution_lines(view.case.contribution, view.timezone)
    return [
        f"Owner: {owner_words(state)}",
        f"Market maker: {market_maker_line(view.case.market_maker)}",
        f"Contribution: {contribution[0]}",
        *(f"  {line}" for line in contribution[1:]),
        f"Follow-up: {followup_line(view.followup, view.as_of)}",
    ]


def outreach_summary(view: CaseView) -> str:
    state = state_of(view.case, view.as_of, view.timezone)
    return f"{view.symbol} case: {state.text} ({len(view.case.entries)} entries)"


def outreach_text(view: CaseView) -> str:
    """The whole `/outreach TOKEN` answer as plain text for a terminal."""
    state = state_of(view.case, view.as_of, view.timezone)
    lines = [f"{view.symbol} case · {state.label}", *case_lines(view), "", "Timeline:"]
    if not view.case.entries:
        lines.append("Nothing logged yet.")
    for entry in view.case.entries:
        lines.append(entry_line(entry, view.timezone))
        depth = view.depth.get(entry.event.id)
        if depth is not None:
            lines.append("    " + depth_line(depth, view.home_exchange, view.timezone))
    lines += ["", "Next steps: " + " · ".join(form.button for form in view.steps)]
    lines.append(f"As of {team_time(view.as_of, view.timezone)}")
    return "\n".join(lines)
