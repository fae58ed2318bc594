"""The outreach and reply modals' fields: parsing and validation, transport-neutral.

Each ``clean_*`` takes the values as a form gives them (text, or already typed) and returns the
typed values, or raises ``InvalidSubmission`` carrying the field errors, ``{field: message}``,
keyed by the parameter names below so the Slack layer can put each message under its input
(``response_action: errors``). The write use cases call them once per submission, so the modals,
the CLI and any other caller are held to the same rules.

Rules (SPEC 6, issue 3): channel telegram/email/call/other; contact ≤ 255 characters; follow-up
date not in the past and within a year; market maker name non-empty (≤ 255), since not in the
future, contract end after since, obligations (max spread bps, min ±2% depth USD) > 0 when given;
contribution in (0, 100] % of circulating supply; declined needs a reason and the question(s)
declined; snooze 1–90 days. The case's own steps (agreed, received, end engagement, end of the
contribution, close, retract) are in ``.forms_case``.
Every text is one the database can store: no NUL character (PostgreSQL refuses it), no unpaired
surrogate (no driver encodes it; ``unstorable_reason``), no more characters than its column holds
(``CONTACT_MAX`` and ``MM_NAME_MAX`` are read from the models, so the modal's ``max_length`` and
this rule follow a migration); notes and reasons, stored whole, hold Slack's 3,000.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.db.models.base import column_chars
from bot.db.models.outreach import MarketMakerEngagement, Outreach
from bot.domain.text_safety import unstorable_reason
from bot.domain.vocabulary import OUTREACH_CHANNELS, QUESTIONS
from bot.errors import UserFacingError

FieldErrors = dict[str, str]
NumberInput = float | int | str | None
"""A number as typed in a modal ("3", "2.5", "50,000", "3%", "$40k" is refused) or already typed."""
DateInput = date | str | None
"""A date from a datepicker (``YYYY-MM-DD``) or already typed."""

CONTACT_MAX = column_chars(Outreach.contact)
MM_NAME_MAX = column_chars(MarketMakerEngagement.mm_name)
TEXT_MAX = 3000  # Slack's plain_text_input max_length; notes and reasons are stored whole
FOLLOWUP_MAX_DAYS = 365
SNOOZE_DAYS = (1, 90)
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


class InvalidSubmission(UserFacingError):
    """A modal submission with field errors; ``errors`` maps each field to its message."""

    def __init__(self, errors: FieldErrors) -> None:
        super().__init__("Please fix: " + "; ".join(errors.values()))
        self.errors = dict(errors)


class FieldRules:
    """Collects typed values and the first error of each field."""

    def __init__(self) -> None:
        self.errors: FieldErrors = {}

    def text(self, field: str, value: str | None, *, required: bool, limit: int) -> str | None:
        cleaned = (value or "").strip()
        if not cleaned:
            if required:
                self.errors[field] = "Required."
            return None
        if (unstorable := unstorable_reason(cleaned)) is not None:
            self.errors[field] = f"Cannot be saved: it {unstorable}."
            return None
        if len(cleaned) > limit:
            self.errors[field] = f"At most {limit} characters ({len(cleaned)} given)."
            return None
        return cleaned

    def number(self, field: str, value: NumberInput) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            raw = value.strip().removesuffix("%").replace(" ", "").replace("_", "")
            if _THOUSANDS.fullmatch(raw):
                raw = raw.replace(",", "")
            try:
                number = float(raw)
            except ValueError:
                self.errors[field] = "Enter a number, e.g. 3 or 2.5."
                return None
        else:
            number = float(value)
        if not math.isfinite(number):
            self.errors[field] = "Enter a finite number."
            return None
        return number

    def day(self, field: str, value: DateInput) -> date | None:
        if value is None or isinstance(value, date):
            return value
        if not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.errors[field] = "Enter a date as YYYY-MM-DD."
            return None

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise InvalidSubmission(self.errors)


@dataclass(frozen=True)
class OutreachFields:
    channel: str
    contact: str | None
    notes: str | None
    followup_on: date | None


@dataclass(frozen=True)
class HasMMFields:
    """``max_spread_bps`` in bps and ``min_depth_usd`` (±2%, USD): the contract's obligations."""

    mm_name: str
    since: date | None
    until: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None


@dataclass(frozen=True)
class DeclinedFields:
    """The reason the project gave, and the questions it declined (``QUESTIONS``): declining the
    market-maker question is saying it has no market maker."""

    reason: str
    questions: tuple[str, ...]


def clean_outreach(
    channel: str | None,
    contact: str | None,
    notes: str | None,
    followup_on: DateInput,
    today: date,
) -> OutreachFields:
    """Typed outreach fields, or ``InvalidSubmission``. ``today`` in the team's TIMEZONE."""
    f = FieldRules()
    picked = (channel or "").strip().lower()
    if picked not in OUTREACH_CHANNELS:
        f.fail("channel", "Choose " + ", ".join(OUTREACH_CHANNELS[:-1]) + " or other.")
    typed_contact = f.text("contact", contact, required=False, limit=CONTACT_MAX)
    typed_notes = f.text("notes", notes, required=False, limit=TEXT_MAX)
    day = f.day("followup_on", followup_on)
    if day is not None and day < today:
        f.fail("followup_on", f"The follow-up date is in the past (today is {today}).")
    elif day is not None and day > today + timedelta(days=FOLLOWUP_MAX_DAYS):
        f.fail("followup_on", "Pick a follow-up date within a year.")
    f.done()
    return OutreachFields(picked, typed_contact, typed_notes, day)


def clean_has_mm(
    mm_name: str | None,
    since: DateInput,
    until: DateInput,
    max_spread_bps: NumberInput,
    min_depth_usd: NumberInput,
    today: date,
) -> HasMMFields:
    """Typed "has market maker" fields, or ``InvalidSubmission``."""
    f = FieldRules()
    name = f.text("mm_name", mm_name, required=True, limit=MM_NAME_MAX)
    start, end = f.day("since", since), f.day("until", until)
    if start is not None and start > today:
        f.fail("since", f"The start date is in the future (today is {today}).")
    if start is not None and end is not None and end <= start:
        f.fail("until", "The contract end must be after the start date.")
    spread = f.number("max_spread_bps", max_spread_bps)
    if spread is not None and spread <= 0:
        f.fail("max_spread_bps", "The maximum spread must be above 0 bps.")
    depth = f.number("min_depth_usd", min_depth_usd)
    if depth is not None and depth <= 0:
        f.fail("min_depth_usd", "The minimum depth must be above $0.")
    f.done()
    assert name is not None  # required: an empty name is an error above
    return HasMMFields(name, start, end, spread, depth)


def clean_contribution(pct_of_supply: NumberInput) -> float:
    """The pledged % of circulating supply, in (0, 100]; else ``InvalidSubmission``."""
    f = FieldRules()
    pct = f.number("pct_of_supply", pct_of_supply)
    if pct is None:
        f.fail("pct_of_supply", "Enter the % of circulating supply, e.g. 3.")
    elif not 0 < pct <= 100:
        f.fail("pct_of_supply", "The contribution must be more than 0% and at most 100%.")
    f.done()
    assert pct is not None
    return pct


def clean_declined(reason: str | None, questions: Sequence[str]) -> DeclinedFields:
    """The reason the project gave (required) and the questions declined (at least one)."""
    f = FieldRules()
    text = f.text("reason", reason, required=True, limit=TEXT_MAX)
    chosen = tuple(q for q in QUESTIONS if q in questions)
    if not chosen:
        f.fail("questions", "Tick the question(s) they declined.")
    f.done()
    assert text is not None
    return DeclinedFields(text, chosen)


def clean_snooze(days: NumberInput) -> int:
    """Whole days to keep the token out of the digest, 1–90."""
    f = FieldRules()
    low, high = SNOOZE_DAYS
    number = f.number("days", days)
    if number is None:
        f.fail("days", f"Enter a number of days ({low}–{high}).")
    elif number != int(number) or not low <= number <= high:
        f.fail("days", f"Snooze for a whole number of days from {low} to {high}.")
    f.done()
    assert number is not None
    return int(number)
