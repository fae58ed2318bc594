"""What an outreach form is: one spec per kind of event a person adds to a case (log outreach,
each answer, the case's own steps, snooze, correct, retract).

An ``OutreachForm`` holds everything about its kind in one place: the button (``action_id``,
``button`` label), the form it opens (``title``, ``intro``, ``fields``), how the submitted values
map to the typed fields and are validated (``read``), the event it appends (``kind``, its values
from the typed fields: ``details``) and what the kind works out or checks in the write's
transaction (``prepare``: figures, the engagement row, the case). ``confirmable`` forms carry a
confirmation box that a contradiction or an unusual value asks for (``.events``). It says nothing
about Block Kit: the presenters draw buttons and modals from it (``bot.presenters.actions``,
``bot.presenters.blocks_modals``) and the Slack layer registers one listener per form
(``commands.register``). A new kind is one spec in ``.kinds`` / ``.kinds_case``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Generic, Literal, TypeVar

from bot.usecases.args import team_today
from bot.usecases.outreach.common import Actor, LogResult, authorize
from bot.usecases.outreach.events import CONFIRM_FIELD, Prepare, Submission, append_event
from bot.usecases.outreach.figures import ContributionPreview
from bot.usecases.outreach.forms import TEXT_MAX
from bot.usecases.services import Services

FieldKind = Literal["text", "paragraph", "number", "whole_number", "date", "choice", "flags"]
"""text: one line; paragraph: several lines (both at most the field's ``max_length``
characters); number: decimal; date: a day (YYYY-MM-DD); choice: one of ``options``; flags: any
of ``options``."""

Fields = TypeVar("Fields")


@dataclass(frozen=True)
class FormDefaults:
    """What a field's initial value may depend on: the team's today, ``FOLLOWUP_DAYS``."""

    today: date
    followup_days: int


@dataclass(frozen=True)
class Field:
    """One input of a form; ``name`` is also the key of its value and of its error."""

    name: str
    label: str
    kind: FieldKind
    optional: bool = False
    placeholder: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) of a choice or flags field."""
    initial: Callable[[FormDefaults], str | tuple[str, ...]] | None = None
    """Its initial value: text, a date as YYYY-MM-DD, a choice's value, a flags field's values."""
    max_length: int = TEXT_MAX
    """Characters a text or paragraph field takes: its column's length where it has one
    (``.forms.CONTACT_MAX``), which the field's rule holds too."""

    def prefilled(self, value: Any) -> Field:
        """This field showing a stored ``value`` (a correction opens with the values it fixes)."""
        if value is None or value == "" or value == []:
            return replace(self, initial=None)
        shown = as_text(value)
        return replace(self, initial=lambda _defaults: shown)


def as_text(value: Any) -> str | tuple[str, ...]:
    """A stored value as a form shows it: numbers in full (7985768.7816, never 7.98e+06)."""
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:f}".rstrip("0").rstrip(".")
    return str(value)


CONFIRM = Field(
    CONFIRM_FIELD,
    "Confirm (when this form asks you to)",
    "flags",
    optional=True,
    options=(("yes", "Save it as given"),),
)
"""The confirmation a contradiction or an unusual value asks for (its error says why)."""


@dataclass(frozen=True)
class FormValues:
    """A submitted form: each field's value as given (text, a number or a date as typed, the
    chosen option's value), or the chosen options of a flags field."""

    values: Mapping[str, str | Sequence[str] | None] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def chosen(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        return tuple(value) if value is not None and not isinstance(value, str) else ()


Read = Callable[[FormValues, date], Fields]
"""Submitted values and the team's today → the typed fields, or ``InvalidSubmission``."""
Details = Callable[[Fields], dict[str, Any]]
"""Typed fields → the event's values (JSON: dates as YYYY-MM-DD)."""
Preview = Callable[[Services, str], Awaitable[ContributionPreview]]


@dataclass(frozen=True)
class OutreachForm(Generic[Fields]):
    """One kind of event a person adds to a case (see the module docstring). ``intro`` names the
    token as ``{symbol}``; ``preview``, when set, is worked out once the form is open and shown
    in it."""

    action_id: str
    button: str
    title: str
    intro: str
    kind: str
    fields: tuple[Field, ...]
    read: Read[Fields]
    details: Details[Fields]
    prepare: Prepare | None = None
    primary: bool = False
    preview: Preview | None = None
    confirmable: bool = False

    @property
    def callback_id(self) -> str:
        return f"{self.action_id}_modal"

    @property
    def inputs(self) -> tuple[Field, ...]:
        """The fields the modal shows: ``fields``, then the confirmation when confirmable."""
        return (*self.fields, CONFIRM) if self.confirmable else self.fields

    async def store(self, services: Services, submission: Submission, fields: Fields) -> LogResult:
        """Append the event of already validated ``fields`` (the caller checked the editor)."""
        values = self.details(fields)
        return await append_event(services, submission, self.kind, values, self.prepare)

    async def submit(
        self,
        services: Services,
        actor: Actor,
        symbol: str,
        values: FormValues,
        idempotency_key: str,
        target: int | None = None,
    ) -> LogResult:
        """The editor check, the field rules, then the write: each once. Raises ``NotAnEditor``
        or ``InvalidSubmission`` (errors keyed by field name) before anything is written;
        ``target`` is the entry a correction or retraction is about."""
        authorize(services, actor)
        fields = self.read(values, team_today(services.settings, services.clock()))
        confirmed = "yes" in values.chosen(CONFIRM_FIELD)
        submission = Submission(actor, symbol, idempotency_key, confirmed, target)
        return await self.store(services, submission, fields)
