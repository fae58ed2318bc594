"""Correct and retract an entry of a case's timeline: both are new events (SPEC 6, 8).

A correction reopens the form of the entry's kind with the values the entry stands with, plus a
note; what is submitted replaces them (kind ``correct``, referring to the entry), and goes
through that kind's rules and confirmations. A retraction withdraws the entry, saying why. The
entry keeps its place in the timeline, marked corrected or retracted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.db import repo_cases
from bot.domain.outreach import derive_case
from bot.domain.timeline import Entry
from bot.errors import UserFacingError
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.events import NOT_RETRACTABLE
from bot.usecases.outreach.form import Field, FormValues, OutreachForm
from bot.usecases.outreach.forms import InvalidSubmission
from bot.usecases.outreach.forms_case import clean_note, clean_reason
from bot.usecases.outreach.kinds_case import CORRECTABLE
from bot.usecases.services import Services

CORRECT_ACTION = "case_correct"
RETRACT_ACTION = "case_retract"
NOTE = Field("note", "What was wrong", "paragraph", optional=True)


async def case_entry(services: Services, symbol: str, event_id: int) -> Entry:
    """Entry ``event_id`` of ``symbol``'s case as it stands; ``UserFacingError`` when there is
    no such entry."""
    symbol = parse_symbol(symbol)
    async with services.session() as session:
        events = await repo_cases.case_events(session, [symbol])
    case = derive_case(symbol, events, services.clock())
    entry = next((e for e in case.entries if e.event.id == event_id), None)
    if entry is None:
        raise UserFacingError(f"Entry #{event_id} is not part of the {symbol} case.")
    return entry


def _standing(entry: Entry) -> None:
    if not entry.standing:
        raise UserFacingError(f"Entry #{entry.event.id} is retracted already.")


def correction_form(entry: Entry) -> OutreachForm[Any]:
    """The form that corrects ``entry``: its kind's fields showing its values, and a note."""
    _standing(entry)
    form = CORRECTABLE.get(entry.kind)
    if form is None:
        raise UserFacingError(f"Entry #{entry.event.id} ({entry.kind}) cannot be corrected.")

    def read(values: FormValues, today: date) -> tuple[Any, str | None]:
        errors: dict[str, str] = {}
        fields: Any = None
        try:
            fields = form.read(values, today)
        except InvalidSubmission as invalid:
            errors.update(invalid.errors)
        try:
            note = clean_note(values.text("note"))
        except InvalidSubmission as invalid:
            errors.update(invalid.errors)
        if errors:
            raise InvalidSubmission(errors)
        return fields, note

    def details(read_back: tuple[Any, str | None]) -> dict[str, Any]:
        fields, note = read_back
        return {**form.details(fields), "note": note}

    return replace(
        form,
        action_id=CORRECT_ACTION,
        button="Correct",
        title="Correct an entry",
        intro=f"Correct entry #{entry.event.id} of the {{symbol}} case ({form.title}). The entry "
        "stays in the timeline, marked corrected.",
        kind="correct",
        fields=(*(f.prefilled(entry.values.get(f.name)) for f in form.fields), NOTE),
        read=read,
        details=details,
        preview=None,
    )


def retraction_form(entry: Entry) -> OutreachForm[str]:
    """The form that retracts ``entry``, saying why."""
    _standing(entry)
    if entry.kind in NOT_RETRACTABLE:
        raise UserFacingError(f"Entry #{entry.event.id} ({entry.kind}) cannot be retracted.")
    return OutreachForm(
        action_id=RETRACT_ACTION,
        button="Retract",
        title="Retract an entry",
        intro=f"Retract entry #{entry.event.id} of the {{symbol}} case: it stays in the "
        "timeline, marked retracted, and no longer counts.",
        kind="retract",
        fields=(Field("reason", "Why", "paragraph"),),
        read=lambda values, _today: clean_reason(values.text("reason")),
        details=lambda reason: {"reason": reason},
    )


def entry_form(mode: str, entry: Entry) -> OutreachForm[Any]:
    """``correction_form`` or ``retraction_form`` by ``mode`` (``correct`` / ``retract``)."""
    if mode == "correct":
        return correction_form(entry)
    if mode == "retract":
        return retraction_form(entry)
    raise UserFacingError(f"Unknown step `{mode[:24]}`: correct or retract.")
