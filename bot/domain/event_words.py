"""Each event of an outreach case in one line of the team's words, with every figure dated and
every moment in the team's ``TIMEZONE``: the note shown after a submission, the timeline of
`/outreach TOKEN`, the export.

``describe(kind, values, timezone)`` takes an event's kind and its values as they stand (after
corrections, ``bot.domain.timeline.resolve``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.domain.calendar import team_time
from bot.domain.contribution import DatedFigures
from bot.domain.timeline import declines, figures_of, moment_of, number_of
from bot.domain.units import fmt_amount, fmt_bps, fmt_usd

NOTES_SHOWN = 300
"""Characters of an outreach's notes shown in its line (the export has them whole)."""

KIND_WORDS: dict[str, str] = {
    "contact": "outreach",
    "has_mm": "has market maker",
    "end_engagement": "engagement ended",
    "pledged": "pledge",
    "agreed": "agreed amount",
    "received": "receipt",
    "contribution_ended": "contribution ended",
    "declined": "decline",
    "correct": "correction",
    "retract": "retraction",
    "assign": "assignment",
    "close": "closing",
    "snooze": "snooze",
    "reminded": "reminder",
    "escalated": "escalation",
}
"""What an event of each kind is called ("the pledge #12")."""


def valued(values: Mapping[str, Any], timezone: str) -> str:
    """The dated figures stored in an event's ``values`` in words (``figures_words``)."""
    return figures_words(figures_of(values), timezone)


def figures_words(figures: DatedFigures, timezone: str) -> str:
    """``7.99M tokens = $131k at the mid of 2026-11-20 09:00 UTC; the home book absorbs $695 of
    it within ±2%`` (the parts that are known)."""
    text = f"{fmt_amount(figures.tokens)} tokens"
    if figures.usd is not None:
        when = f" of {team_time(figures.figures_at, timezone)}" if figures.figures_at else ""
        text += f" = {fmt_usd(figures.usd)} at the mid{when}"
    if figures.absorbable_usd is not None:
        text += f"; the home book absorbs {fmt_usd(figures.absorbable_usd)} of it within ±2%"
    return text


def _contact(v: Mapping[str, Any], tz: str) -> str:
    to = f" to {v['contact']}" if v.get("contact") else ""
    followup = f", follow-up {v['followup_on']}" if v.get("followup_on") else ""
    notes = str(v.get("notes") or "")
    shown = notes if len(notes) <= NOTES_SHOWN else notes[: NOTES_SHOWN - 1] + "…"
    return f"Outreach by {v.get('channel')}{to}{followup}" + (f"; notes: {shown}" if notes else "")


def _has_mm(v: Mapping[str, Any], tz: str) -> str:
    dates = ", ".join(f"{k} {v[k]}" for k in ("since", "until") if v.get(k))
    terms = []
    if number_of(v.get("max_spread_bps")) is not None:
        terms.append(f"max spread {fmt_bps(number_of(v.get('max_spread_bps')))}")
    if number_of(v.get("min_depth_usd")) is not None:
        terms.append(f"min ±2% depth {fmt_usd(number_of(v.get('min_depth_usd')))}")
    extra = "; ".join(p for p in (dates, ", ".join(terms)) if p)
    return f"Has market maker {v.get('mm_name')}" + (f" ({extra})" if extra else "")


def _declined(v: Mapping[str, Any], tz: str) -> str:
    what = []
    if declines(v, "contribution"):
        what.append("declined the contribution")
    if declines(v, "market_maker"):
        what.append("said they have no market maker")
    said = " and ".join(what) or "declined"
    return f"{said[:1].upper()}{said[1:]}: {v.get('reason')}"


def _pledged(v: Mapping[str, Any], tz: str) -> str:
    pct = number_of(v.get("pct_of_supply"))
    share = f"{pct:g}% of circulating supply" if pct is not None else "a share of supply"
    if number_of(v.get("tokens")) is None:
        return f"Will contribute {share} (circulating supply unknown)"
    return f"Will contribute {share}: {valued(v, tz)}"


def _received(v: Mapping[str, Any], tz: str) -> str:
    lockup = f", locked up until {v['lockup_until']}" if v.get("lockup_until") else ""
    return f"Received on {v.get('received_on')}{lockup}: {valued(v, tz)}"


def _assign(v: Mapping[str, Any], tz: str) -> str:
    was = v.get("previous_name") or v.get("previous_id")
    return f"Owner: {v.get('owner_name') or v.get('owner_id')}" + (f" (was {was})" if was else "")


def _snooze(v: Mapping[str, Any], tz: str) -> str:
    until = moment_of(v.get("until"))
    days = f" for {v['days']} days" if v.get("days") else ""
    return f"Snoozed{days}" + (f", until {team_time(until, tz)}" if until else "")


def _reason(lead: str) -> Callable[[Mapping[str, Any], str], str]:
    def words(v: Mapping[str, Any], tz: str) -> str:
        when = f" {v['ended_on']}" if v.get("ended_on") else ""
        return f"{lead}{when}" + (f": {v['reason']}" if v.get("reason") else "")

    return words


_WORDS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "contact": _contact,
    "has_mm": _has_mm,
    "declined": _declined,
    "pledged": _pledged,
    "agreed": lambda v, tz: f"Agreed: {valued(v, tz)}",
    "received": _received,
    "end_engagement": lambda v, tz: f"Engagement of {v.get('mm_name')} ended {v.get('ended_on')}",
    "contribution_ended": _reason("Contribution ended"),
    "assign": _assign,
    "close": _reason("Case closed"),
    "snooze": _snooze,
    "reminded": lambda v, tz: f"Reminder sent to {v.get('owner_name') or v.get('owner_id')}",
    "escalated": lambda v, tz: f"Raised in the channel for {v.get('owner_name') or 'the owner'}",
}


def describe(kind: str, values: Mapping[str, Any], timezone: str) -> str:
    """One event in one line (see the module docstring); a correction and a retraction name the
    kind of entry they are about (``corrects`` / ``retracts`` in their values)."""
    if kind == "correct":
        target = str(values.get("corrects") or "")
        fixed = describe(target, values, timezone) if target in _WORDS else "values changed"
        note = f" ({values['note']})" if values.get("note") else ""
        return f"Correction of the {KIND_WORDS.get(target, 'entry')}: {fixed}{note}"
    if kind == "retract":
        target = KIND_WORDS.get(str(values.get("retracts") or ""), "entry")
        return f"Retracted the {target}: {values.get('reason')}"
    words = _WORDS.get(kind)
    return words(values, timezone) if words else kind
