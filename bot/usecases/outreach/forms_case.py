"""The case's own steps' fields: agreed, received, end engagement, end of the contribution,
close, retract, and a correction's note. Same contract as ``.forms``: values as a form gives
them in, typed values out, or ``InvalidSubmission`` with the field errors keyed by field name.

Rules: token amounts > 0 (base units of the token); a receipt is dated today or before, its
lock-up ends after it; an engagement or a contribution ends within a year from today; a close
and a retraction say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.usecases.outreach.forms import (
    MM_NAME_MAX,
    TEXT_MAX,
    DateInput,
    FieldRules,
    NumberInput,
)

END_WITHIN_DAYS = 365


@dataclass(frozen=True)
class ReceivedFields:
    """Tokens received in the savings pools, the day they arrived, and the end of their
    lock-up (None: no lock-up)."""

    tokens: float
    received_on: date
    lockup_until: date | None


@dataclass(frozen=True)
class EndFields:
    """Who or what ended (a market maker's name; None: the only one on record), when, and why."""

    name: str | None
    ended_on: date
    reason: str | None


def _tokens(f: FieldRules, value: NumberInput) -> float | None:
    tokens = f.number("tokens", value)
    if tokens is None:
        f.fail("tokens", "Enter the number of tokens, e.g. 7985768.")
    elif tokens <= 0:
        f.fail("tokens", "The number of tokens must be above 0.")
    return tokens


def clean_agreed(tokens: NumberInput) -> float:
    """The tokens the project agreed to contribute."""
    f = FieldRules()
    amount = _tokens(f, tokens)
    f.done()
    assert amount is not None
    return amount


def clean_received(
    tokens: NumberInput, received_on: DateInput, lockup_until: DateInput, today: date
) -> ReceivedFields:
    """Tokens received, the day (default today, never in the future), and the lock-up's end."""
    f = FieldRules()
    amount = _tokens(f, tokens)
    day = f.day("received_on", received_on) or today
    if day > today:
        f.fail("received_on", f"The day received is in the future (today is {today}).")
    lockup = f.day("lockup_until", lockup_until)
    if lockup is not None and lockup <= day:
        f.fail("lockup_until", "The lock-up must end after the day the tokens arrived.")
    f.done()
    assert amount is not None
    return ReceivedFields(amount, day, lockup)


def _ended_on(f: FieldRules, ended_on: DateInput, today: date) -> date:
    day = f.day("ended_on", ended_on) or today
    if day > today + timedelta(days=END_WITHIN_DAYS):
        f.fail("ended_on", "Pick an end date within a year.")
    return day


def clean_end_engagement(mm_name: str | None, ended_on: DateInput, today: date) -> EndFields:
    """Which market maker's engagement ended (blank: the only one on record) and when."""
    f = FieldRules()
    name = f.text("mm_name", mm_name, required=False, limit=MM_NAME_MAX)
    day = _ended_on(f, ended_on, today)
    f.done()
    return EndFields(name, day, None)


def clean_contribution_ended(ended_on: DateInput, reason: str | None, today: date) -> EndFields:
    """When the contribution ended (tokens withdrawn, lock-up over…) and why."""
    f = FieldRules()
    day = _ended_on(f, ended_on, today)
    why = f.text("reason", reason, required=False, limit=TEXT_MAX)
    f.done()
    return EndFields(None, day, why)


def clean_reason(reason: str | None, field: str = "reason") -> str:
    """Why a case is closed or an entry retracted (required)."""
    f = FieldRules()
    text = f.text(field, reason, required=True, limit=TEXT_MAX)
    f.done()
    assert text is not None
    return text


def clean_note(note: str | None) -> str | None:
    """What a correction fixes (optional)."""
    f = FieldRules()
    text = f.text("note", note, required=False, limit=TEXT_MAX)
    f.done()
    return text
