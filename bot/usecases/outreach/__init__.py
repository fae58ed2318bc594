"""Use cases: log outreach and the project's replies (SPEC 6, issue 3 item 3).

Every submission is one transaction: the record(s) and an audit row (Slack user, team, time,
action, values). Only editors write (``EDITOR_USER_IDS`` / ``EDITOR_USERGROUP_IDS``, both empty =
everyone): anyone else gets ``NotAnEditor`` before anything is read or written.

Idempotency: the caller passes a key per submission (e.g. the Slack view id). The first call
stores; any later call with the same key, however concurrent, stores nothing and returns the
stored record with ``duplicate=True`` (``INSERT … ON CONFLICT DO NOTHING``, see
``bot.db.repo_outreach``).

The replies (has market maker, will contribute, declined, snooze) are in ``.replies``; this
package re-exports them, so the Slack layer and the CLI import every write from here.

Field validation lives in ``.forms``, the reads (state, timeline, export) in ``.log``, follow-ups
in ``.followups``: all re-exported here.
"""

from __future__ import annotations

from bot.db import repo_outreach
from bot.domain.outreach import OutreachRecord
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import (
    Actor,
    LogResult,
    NotAnEditor,
    audit,
    authorize,
    check_key,
    is_editor,
)
from bot.usecases.outreach.followups import FollowUp, due_followups, followups_of, mark_reminded
from bot.usecases.outreach.forms import (
    DateInput,
    FieldErrors,
    InvalidSubmission,
    NumberInput,
    clean_outreach,
    validate_contribution,
    validate_declined,
    validate_has_mm,
    validate_outreach,
    validate_snooze,
)
from bot.usecases.outreach.log import (
    EXPORT_COLUMNS,
    OutreachState,
    OutreachTimeline,
    TimelineEntry,
    export_outreach,
    outreach_state,
    outreach_timeline,
)
from bot.usecases.outreach.replies import (
    ContributionPreview,
    contribution_preview,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    snooze,
)
from bot.usecases.services import Services

__all__ = [
    "EXPORT_COLUMNS",
    "Actor",
    "ContributionPreview",
    "DateInput",
    "FieldErrors",
    "FollowUp",
    "InvalidSubmission",
    "LogResult",
    "NotAnEditor",
    "NumberInput",
    "OutreachState",
    "OutreachTimeline",
    "TimelineEntry",
    "contribution_preview",
    "due_followups",
    "export_outreach",
    "followups_of",
    "is_editor",
    "log_outreach",
    "log_reply_contribution",
    "log_reply_declined",
    "log_reply_has_mm",
    "mark_reminded",
    "outreach_state",
    "outreach_timeline",
    "snooze",
    "validate_contribution",
    "validate_declined",
    "validate_has_mm",
    "validate_outreach",
    "validate_snooze",
]


def _outreach_description(record: OutreachRecord) -> str:
    contact = f" to {record.contact}" if record.contact else ""
    followup = f", follow-up {record.followup_on.isoformat()}" if record.followup_on else ""
    return f"Outreach logged: {record.channel}{contact}{followup}"


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
    check_key(idempotency_key)
    symbol = parse_symbol(symbol)
    now = services.clock()
    fields = clean_outreach(
        channel, contact, notes, followup_on, team_today(services.settings, now)
    )
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
