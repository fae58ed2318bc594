"""Appending an event to a token's outreach case: the one write behind every outreach form.

``append_event`` is one transaction: read the case, check a correction's or retraction's target,
let the kind ``prepare`` its values (figures of that day's snapshot, the engagement row the
market-maker status reads, checks against the case), ask for confirmation when the event
contradicts the case or is unusual (``bot.domain.outreach.needs_confirmation``), then append the
event and its audit row, and re-assess the token at once when the event is one of the project's
answers or corrects or retracts one (``bot.usecases.reassess``). Idempotent on the submission's
key: a repeat returns the stored event with ``duplicate=True`` and writes nothing; a concurrent
repeat that loses the race rolls back whatever its ``prepare`` wrote.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_cases
from bot.domain.outreach import OutreachCase, derive_case, needs_confirmation
from bot.domain.timeline import CaseEvent, Entry
from bot.domain.vocabulary import ANSWER_KINDS
from bot.errors import UserFacingError
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.common import Actor, LogResult, audit, check_key
from bot.usecases.outreach.forms import InvalidSubmission
from bot.usecases.reassess import reassess_token
from bot.usecases.services import Services

CONFIRM_FIELD = "confirm"
AUDIT_ACTIONS = {
    "contact": "log_outreach",
    "has_mm": "reply_has_mm",
    "pledged": "reply_will_contribute",
    "declined": "reply_declined",
}
"""Audit actions kept from before the case timeline; other kinds are audited as ``case_<kind>``."""
NOT_RETRACTABLE = ("retract", "reminded", "escalated")


class NeedsConfirmation(InvalidSubmission):
    """The submission contradicts the case or is unusual: nothing is stored until the editor
    ticks the form's confirmation (the reason is shown as that field's error)."""

    def __init__(self, reason: str) -> None:
        super().__init__({CONFIRM_FIELD: reason})


@dataclass(frozen=True)
class Submission:
    """Who writes, to which token's case, under which idempotency key; ``confirmed`` when the
    editor ticked the confirmation; ``target`` the event a correction or retraction is about."""

    actor: Actor
    symbol: str
    key: str
    confirmed: bool = False
    target: int | None = None


@dataclass
class Draft:
    """An event being prepared in the write's transaction: ``values`` may be completed (figures,
    engagement ids) and refused (``InvalidSubmission``) by the kind's ``prepare``; ``target``
    is the entry a correction replaces."""

    session: AsyncSession
    services: Services
    case: OutreachCase
    now: datetime
    values: dict[str, Any]
    actor: Actor
    target: Entry | None = None

    @property
    def correcting(self) -> bool:
        return self.target is not None


Prepare = Callable[[Draft], Awaitable[None]]


class _LostRace(Exception):
    """Another writer stored the same key in the meantime: roll back what ``prepare`` wrote."""


def target_entry(case: OutreachCase, event_id: int | None, kind: str) -> Entry | None:
    """The entry a ``correct`` / ``retract`` event is about; ``UserFacingError`` when it is not
    an entry of this case that can be corrected or retracted."""
    if kind not in ("correct", "retract"):
        return None
    entry = next((e for e in case.entries if e.event.id == event_id), None)
    if entry is None:
        raise UserFacingError(f"Entry #{event_id} is not part of the {case.symbol} case.")
    if not entry.standing:
        raise UserFacingError(f"Entry #{event_id} is retracted already.")
    if entry.kind in NOT_RETRACTABLE or (kind == "correct" and entry.kind == "correct"):
        raise UserFacingError(f"Entry #{event_id} ({entry.kind}) cannot be {kind}ed.")
    return entry


def _moves_risk(kind: str, target: Entry | None) -> bool:
    """Whether the event changes what the token's assessment reads: one of the project's answers,
    or a correction or retraction of one. Contacts, snoozes, assignments, closing, reminders and
    escalations are the team's own steps: no risk input moves."""
    if kind in ("correct", "retract"):
        return target is not None and target.kind in ANSWER_KINDS
    return kind in ANSWER_KINDS


async def _store(
    session: AsyncSession,
    services: Services,
    sub: Submission,
    kind: str,
    values: dict[str, Any],
    prepare: Prepare | None,
) -> CaseEvent:
    now = services.clock()
    case = derive_case(sub.symbol, await repo_cases.case_events(session, [sub.symbol]), now)
    target = target_entry(case, sub.target, kind)
    draft = Draft(session, services, case, now, dict(values), sub.actor, target)
    if kind == "correct" and target is not None:
        draft.values["corrects"] = target.kind
    if kind == "retract" and target is not None:
        draft.values["retracts"] = target.kind
    if prepare is not None:
        await prepare(draft)
    checked = target.kind if kind == "correct" and target is not None else kind
    reason = None if sub.confirmed else needs_confirmation(case, checked, draft.values)
    if reason is not None:
        raise NeedsConfirmation(reason)
    new_id = await repo_cases.insert_event(
        session,
        idempotency_key=sub.key,
        symbol=sub.symbol,
        kind=kind,
        at=now,
        actor=sub.actor.user_id,
        actor_name=sub.actor.user_name,
        details=draft.values,
        refers_to=target.event.id if target is not None else None,
    )
    if new_id is None:
        raise _LostRace()
    action = AUDIT_ACTIONS.get(kind, f"case_{kind}")
    audited = {"symbol": sub.symbol, **draft.values, "refers_to": sub.target}
    await audit(session, sub.actor, now, action, "case_events", new_id, audited)
    if _moves_risk(kind, target):
        await reassess_token(session, services, sub.symbol, now)
    stored = await repo_cases.event_by_key(session, sub.key)
    assert stored is not None  # just inserted in this transaction
    return stored


async def append_event(
    services: Services,
    submission: Submission,
    kind: str,
    values: dict[str, Any],
    prepare: Prepare | None = None,
) -> LogResult:
    """Append a ``kind`` event with ``values`` to the submission's case (see the module
    docstring). Raises ``InvalidSubmission`` (``NeedsConfirmation`` among them) or
    ``UserFacingError`` before anything is written."""
    check_key(submission.key)
    sub = Submission(
        submission.actor,
        parse_symbol(submission.symbol),
        submission.key,
        submission.confirmed,
        submission.target,
    )
    try:
        async with services.session() as session:
            stored = await repo_cases.event_by_key(session, sub.key)
            duplicate = stored is not None
            if stored is None:
                stored = await _store(session, services, sub, kind, values, prepare)
    except _LostRace:
        async with services.session() as session:
            stored = await repo_cases.event_by_key(session, sub.key)
        duplicate = True
    if stored is None:  # pragma: no cover - the winner of the race committed it
        raise RuntimeError("case event vanished after insert")
    return LogResult.of(stored, duplicate, services.settings.timezone)
