"""The audit log: append and read, nothing else (SPEC 8: the log is append-only).

The database refuses UPDATE and DELETE on ``audit_log`` (triggers from migration 0001), so no
code path, ours or a hand-typed SQL session, can rewrite history. Append the audit row in the same
transaction as the change it describes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from bot.db.dialect import Executor
from bot.db.records import AuditRecord
from bot.db.tables import AUDIT


async def append_audit(
    session: Executor,
    *,
    at: datetime,
    actor_user: str,
    actor_team: str | None,
    action: str,
    entity: str,
    entity_id: str | int | None,
    values: dict[str, Any] | None,
) -> int:
    """Append one audit row (who, when, what, to which record, with which values); its id."""
    stmt = (
        insert(AUDIT)
        .values(
            at=at,
            actor_user=actor_user,
            actor_team=actor_team,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            values=values,
        )
        .returning(AUDIT.c.id)
    )
    return int((await session.execute(stmt)).scalar_one())


async def audit_rows(
    session: Executor, entity: str | None = None, entity_id: str | int | None = None
) -> list[AuditRecord]:
    """Audit rows, oldest first; optionally only those about ``entity`` (and ``entity_id``)."""
    stmt = select(AUDIT).order_by(AUDIT.c.id)
    if entity is not None:
        stmt = stmt.where(AUDIT.c.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AUDIT.c.entity_id == str(entity_id))
    return [
        AuditRecord(
            id=row["id"],
            at=row["at"],
            actor_user=row["actor_user"],
            actor_team=row["actor_team"],
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            values=row["values"],
        )
        for row in (await session.execute(stmt)).mappings()
    ]
