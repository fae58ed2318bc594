"""What every outreach and reply submission shares: who submits (``Actor``), who may
(``is_editor``), the result (``LogResult``) and the audit row written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_audit
from bot.domain.event_words import describe
from bot.domain.timeline import CaseEvent, moment_of
from bot.errors import UserFacingError
from bot.settings import Settings
from bot.usecases.services import Services


@dataclass(frozen=True)
class Actor:
    """Who submits: Slack user and team ids, the display name for the audit row, and what the
    Slack layer established about ``EDITOR_USERGROUP_IDS``: the groups the user is in, the groups
    Slack cannot list (``"S0X (no_such_subteam)"``), and the groups whose members could not be
    read in time (the check then fails closed)."""

    user_id: str
    team_id: str | None
    user_name: str | None = None
    usergroup_ids: tuple[str, ...] = ()
    unusable_usergroups: tuple[str, ...] = ()
    unchecked_usergroup_ids: tuple[str, ...] = ()


class NotAnEditor(UserFacingError):
    """The user may read but not log outreach or replies."""


class EditorCheckUnavailable(UserFacingError):
    """Whether the user is an editor could not be established in time; nothing was done."""

    def __init__(self) -> None:
        super().__init__(
            "The editor check could not be completed: Slack did not say in time who is in the "
            "editor user group, so nothing was saved. Please try again in a moment."
        )


@dataclass(frozen=True)
class LogResult:
    """A stored (or, with ``duplicate=True``, an already stored) event of a token's case.

    ``record_id`` is the event's id and ``kind`` its kind; ``logged_by`` / ``logged_at`` are the
    stored event's (the first submitter's on a duplicate); ``values`` what it stores;
    ``description`` says what was logged in plain words, figures dated ("Will contribute 3% of
    circulating supply: 7.99M tokens = $131k at the mid of 2026-12-01 10:00 CET; …").
    """

    kind: str
    symbol: str
    record_id: int
    duplicate: bool
    logged_by: str
    logged_at: datetime
    description: str
    values: Mapping[str, Any]
    refers_to: int | None = None

    @property
    def snoozed_until(self) -> datetime | None:
        return moment_of(self.values.get("until")) if self.kind == "snooze" else None

    @classmethod
    def of(cls, event: CaseEvent, duplicate: bool, timezone: str) -> LogResult:
        """The result of storing (or finding) ``event``; words in the team's ``timezone``."""
        return cls(
            kind=event.kind,
            symbol=event.symbol,
            record_id=event.id,
            duplicate=duplicate,
            logged_by=event.actor,
            logged_at=event.at,
            description=describe(event.kind, event.details, timezone),
            values=event.details,
            refers_to=event.refers_to,
        )


def is_editor(settings: Settings, user_id: str, usergroup_ids_of_user: Sequence[str]) -> bool:
    """Whether the user may write: listed in ``EDITOR_USER_IDS``, or in one of
    ``EDITOR_USERGROUP_IDS``; everyone when both lists are empty."""
    users, groups = settings.editor_user_ids, settings.editor_usergroup_ids
    if not users and not groups:
        return True
    return user_id in users or any(group in groups for group in usergroup_ids_of_user)


def authorize(services: Services, actor: Actor) -> None:
    """Raises unless ``actor`` may write: ``EditorCheckUnavailable`` when an editor group that
    might grant it could not be read in time (fail closed), else ``NotAnEditor``."""
    if is_editor(services.settings, actor.user_id, actor.usergroup_ids):
        return
    if actor.unchecked_usergroup_ids:
        raise EditorCheckUnavailable()
    refusal = "Only the listing and risk editors can log outreach and replies"
    if actor.unusable_usergroups:  # Slack's definitive answer: asking again will not help
        groups = ", ".join(actor.unusable_usergroups)
        raise NotAnEditor(
            f"{refusal}, and Slack cannot list the editor user group {groups}: it is not "
            "usable. Ask an admin to fix EDITOR_USERGROUP_IDS or to add you to EDITOR_USER_IDS. "
            "You can still read everything."
        )
    raise NotAnEditor(
        f"{refusal}; ask an admin to add you to EDITOR_USER_IDS or an editor user group. You "
        "can still read everything."
    )


def check_key(idempotency_key: str) -> None:
    # A programming error of the caller, not the user's: every surface must make a key.
    if not idempotency_key or len(idempotency_key) > 128:
        raise ValueError("idempotency_key must be 1–128 characters")


async def audit(
    session: AsyncSession,
    actor: Actor,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int,
    values: dict[str, Any],
) -> None:
    await repo_audit.append_audit(
        session,
        at=now,
        actor_user=actor.user_id,
        actor_team=actor.team_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        values={**values, "user_name": actor.user_name},
    )
