"""What an outreach form is: one spec per kind of submission (log outreach, each reply, snooze).

An ``OutreachForm`` holds everything about its kind in one place: the button (``action_id``,
``button`` label), the form it opens (``title``, ``intro``, ``fields``), how the submitted values
map to the typed fields and are validated (``read``), and the use case that stores them
(``store``). It says nothing about Block Kit: the presenters draw buttons and modals from it
(``bot.presenters.actions``, ``bot.presenters.blocks_modals``) and the Slack layer registers one
listener per form (``commands.register``). A new kind is one spec in ``.kinds`` and its use case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Literal, TypeVar

from bot.usecases.args import team_today
from bot.usecases.outreach.common import Actor, LogResult, authorize
from bot.usecases.outreach.forms import TEXT_MAX
from bot.usecases.outreach.pledges import ContributionPreview
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
    initial: Callable[[FormDefaults], str] | None = None
    max_length: int = TEXT_MAX
    """Characters a text or paragraph field takes: its column's length where it has one
    (``.forms.CONTACT_MAX``), which the field's rule holds too."""


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
Store = Callable[[Services, Actor, str, Fields, str], Awaitable[LogResult]]
"""(services, who, token symbol, typed fields, idempotency key) → the stored record."""
Preview = Callable[[Services, str], Awaitable[ContributionPreview]]


@dataclass(frozen=True)
class OutreachForm(Generic[Fields]):
    """One kind of outreach submission (see the module docstring). ``intro`` names the token as
    ``{symbol}``; ``preview``, when set, is worked out once the form is open and shown in it."""

    action_id: str
    button: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    read: Read[Fields]
    store: Store[Fields]
    primary: bool = False
    preview: Preview | None = None

    @property
    def callback_id(self) -> str:
        return f"{self.action_id}_modal"

    async def submit(
        self,
        services: Services,
        actor: Actor,
        symbol: str,
        values: FormValues,
        idempotency_key: str,
    ) -> LogResult:
        """The editor check, the field rules, then the write: each once. Raises ``NotAnEditor``
        or ``InvalidSubmission`` (errors keyed by field name) before anything is written."""
        authorize(services, actor)
        fields = self.read(values, team_today(services.settings, services.clock()))
        return await self.store(services, actor, symbol, fields, idempotency_key)
