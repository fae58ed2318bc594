"""Use case: log that the team contacted a token's project (SPEC 6).

``store_outreach`` writes already validated fields (the outreach row and its audit row, one
transaction, idempotent on the key); ``log_outreach`` is the whole use case for any caller:
the editor check, the field rules (``clean_outreach``), then ``store_outreach``.
"""

from __future__ import annotations

from bot.db import repo_outreach
from bot.db.records_outreach import OutreachRecord
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import Actor, LogResult, audit, authorize, check_key
from bot.usecases.outreach.forms import DateInput, OutreachFields, clean_outreach
from bot.usecases.services import Services


def _outreach_description(record: OutreachRecord) -> str:
    contact = f" to {record.contact}" if record.contact else ""
    followup = f", follow-up {record.followup_on.isoformat()}" if record.followup_on else ""
    return f"Outreach logged: {record.channel}{contact}{followup}"


async def store_outreach(
    services: Services,
    actor: Actor,
    symbol: str,
    fields: OutreachFields,
    idempotency_key: str,
) -> LogResult:
    """Store validated outreach ``fields`` with the audit row; idempotent on ``idempotency_key``
    (a repeat returns the stored record with ``duplicate=True``). The caller checked the editor."""
    check_key(idempotency_key)
    symbol = parse_symbol(symbol)
    now = services.clock()
    async with services.session() as session:
        new_id = await repo_outreach.insert_outreach(
            session,
            idempotency_key=idempotency_key,
            symbol=symbol,
            channel=fields.channel,
            contact=fields.contact,
            notes=fields.notes,
            followup_on=fields.followup_on,
            logged_by=actor.user_id,
            logged_at=now,
        )
        if new_id is not None:
            values = {
                "symbol": symbol,
                "channel": fields.channel,
                "contact": fields.contact,
                "notes": fields.notes,
                "followup_on": fields.followup_on.isoformat() if fields.followup_on else None,
            }
            await audit(session, actor, now, "log_outreach", "outreach", new_id, values)
        record = await repo_outreach.outreach_by_key(session, idempotency_key)
    if record is None:  # pragma: no cover - the row was just inserted or found by its key
        raise RuntimeError("outreach vanished after insert")
    return LogResult(
        action="log_outreach",
        symbol=record.symbol,
        entity="outreach",
        record_id=record.id,
        duplicate=new_id is None,
        logged_by=record.logged_by,
        logged_at=record.logged_at,
        description=_outreach_description(record),
    )


async def log_outreach(
    services: Services,
    actor: Actor,
    symbol: str,
    channel: str | None,
    contact: str | None,
    notes: str | None,
    followup_on: DateInput,
    idempotency_key: str,
) -> LogResult:
    """Log that the team contacted the token's project (channel telegram/email/call/other,
    contact, notes, follow-up date) with its audit row; idempotent on ``idempotency_key``."""
    authorize(services, actor)
    today = team_today(services.settings, services.clock())
    fields = clean_outreach(channel, contact, notes, followup_on, today)
    return await store_outreach(services, actor, symbol, fields, idempotency_key)
