"""Use case: give a case its owner (SPEC 6: `/outreach assign TOKEN @user`, the owner picker).

The owner is who the reminders go to and whom an escalation names. A case's first owner is
whoever first contacted the project; a reassignment is an event of the case like any other
(who, when, the new owner and the one before, with the display names of that moment), audited.
"""

from __future__ import annotations

import re

from bot.errors import UserFacingError
from bot.usecases.outreach.common import Actor, LogResult, authorize
from bot.usecases.outreach.events import Draft, Submission, append_event
from bot.usecases.services import Services

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


def check_user_id(user_id: str) -> str:
    """A Slack user id (``U…`` / ``W…``); ``UserFacingError`` for anything else."""
    if not _USER_ID.fullmatch(user_id or ""):
        raise UserFacingError("Name the new owner with a mention, e.g. @alice.")
    return user_id


async def assign_owner(
    services: Services,
    actor: Actor,
    symbol: str,
    owner_id: str,
    owner_name: str | None,
    idempotency_key: str,
) -> LogResult:
    """Make ``owner_id`` (display name ``owner_name``) the owner of ``symbol``'s case; the
    editor check first. ``UserFacingError`` when they own it already."""
    authorize(services, actor)
    owner_id = check_user_id(owner_id)

    async def previous_owner(draft: Draft) -> None:
        case = draft.case
        if case.owner == owner_id:
            who = case.owner_name or owner_id
            raise UserFacingError(f"{who} owns the {case.symbol} case already.")
        draft.values.update(previous_id=case.owner, previous_name=case.owner_name)

    values = {"owner_id": owner_id, "owner_name": owner_name}
    submission = Submission(actor, symbol, idempotency_key)
    return await append_event(services, submission, "assign", values, previous_owner)
