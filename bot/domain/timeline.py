"""An outreach case's timeline: the events as written, and each event as it stands after the
corrections and retractions that refer to it (``resolve``). Values are what the events store in
their details (JSON): dates as ``YYYY-MM-DD``, moments as ISO 8601, amounts as numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.contribution import DatedFigures

CORRECTION_KEYS = ("note", "corrects")
"""What a correction stores beside the corrected values: why, and the kind it corrects."""


@dataclass(frozen=True)
class CaseEvent:
    """One event of a token's case: ``kind`` (``bot.domain.vocabulary.EVENT_KINDS``), its values
    (``details``), who wrote it and when; ``refers_to`` the event a correction or retraction
    is about."""

    id: int
    symbol: str
    kind: str
    at: datetime
    actor: str
    actor_name: str | None
    details: Mapping[str, Any]
    refers_to: int | None = None

    @property
    def by(self) -> str:
        """Who wrote it, as the team knew them then: the stored display name, else the id."""
        return self.actor_name or self.actor


@dataclass(frozen=True)
class Entry:
    """An event as it stands: ``values`` are its details after the latest standing correction
    (``corrected_by``); ``retracted_by`` is set when it was withdrawn."""

    event: CaseEvent
    values: Mapping[str, Any]
    corrected_by: CaseEvent | None = None
    retracted_by: CaseEvent | None = None

    @property
    def kind(self) -> str:
        return self.event.kind

    @property
    def standing(self) -> bool:
        return self.retracted_by is None


def resolve(events: Sequence[CaseEvent]) -> tuple[Entry, ...]:
    """Every event of one case (oldest first) with its corrections and retractions applied."""
    retracted: dict[int, CaseEvent] = {}
    for event in events:
        if event.kind == "retract" and event.refers_to is not None:
            retracted[event.refers_to] = event
    corrected: dict[int, CaseEvent] = {}
    for event in events:
        standing = event.id not in retracted
        if event.kind == "correct" and event.refers_to is not None and standing:
            corrected[event.refers_to] = event  # oldest first: the latest one wins
    entries = []
    for event in events:
        correction = corrected.get(event.id)
        values = event.details
        if correction is not None:
            values = {k: v for k, v in correction.details.items() if k not in CORRECTION_KEYS}
        entries.append(Entry(event, values, correction, retracted.get(event.id)))
    return tuple(entries)


def day_of(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` stored in an event's details, as a date."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def moment_of(value: Any) -> datetime | None:
    """An ISO 8601 moment stored in an event's details, as an aware datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def number_of(value: Any) -> float | None:
    """A number stored in an event's details (None for anything else)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def figures_of(values: Mapping[str, Any]) -> DatedFigures:
    """The dated figures stored with a pledge, an agreement or a receipt."""
    return DatedFigures(
        tokens=number_of(values.get("tokens")),
        price_usd=number_of(values.get("price_usd")),
        depth_2pct_usd=number_of(values.get("depth_2pct_usd")),
        figures_at=moment_of(values.get("figures_at")),
    )


def declines(values: Mapping[str, Any], question: str) -> bool:
    """Whether a ``declined`` event's values decline ``question`` (market_maker/contribution)."""
    return question in (values.get("questions") or ())
