"""Use cases: the outreach case of each token (SPEC 6): its writes, reads, follow-ups, export.

A case is an append-only timeline of events (``bot.domain.outreach`` derives its stage, owner and
answers). Every write is one transaction with its audit row (Slack user, team, time, action,
values; ``.events.append_event``), idempotent on a key per submission (e.g. the Slack view id:
a repeat stores nothing and returns the stored event with ``duplicate=True``). Only editors
write (``EDITOR_USER_IDS`` / ``EDITOR_USERGROUP_IDS``, both empty = everyone): anyone else gets
``NotAnEditor`` before anything is read or written, and so does ``EditorCheckUnavailable`` when
Slack could not say in time who is in the editor groups.

The forms, one spec per kind (button, modal, fields, validation, the event it appends): the
contact and the replies in ``.kinds``, the case's own steps in ``.kinds_case``, correct and
retract in ``.corrections`` (the type: ``.form``). Callers without a form write through
``.writes``; the owner is given in ``.assign``. Reads: ``.case`` (`/outreach`, the one-line
state of other answers), ``.followups`` (reminders, escalations), ``.export``.
"""

from __future__ import annotations

from bot.usecases.outreach.assign import assign_owner
from bot.usecases.outreach.case import (
    CaseList,
    CaseView,
    OutreachState,
    case_list,
    outreach_case,
    outreach_state,
)
from bot.usecases.outreach.common import (
    Actor,
    EditorCheckUnavailable,
    LogResult,
    NotAnEditor,
    is_editor,
)
from bot.usecases.outreach.events import NeedsConfirmation
from bot.usecases.outreach.figures import ContributionPreview, contribution_preview
from bot.usecases.outreach.form import FormValues, OutreachForm
from bot.usecases.outreach.forms import FieldErrors, InvalidSubmission
from bot.usecases.outreach.kinds import OUTREACH_FORMS
from bot.usecases.outreach.kinds_case import ALL_FORMS
from bot.usecases.outreach.writes import (
    close_case,
    correct_entry,
    end_engagement,
    log_agreed,
    log_outreach,
    log_received,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    retract_entry,
    snooze,
)

__all__ = [
    "ALL_FORMS",
    "OUTREACH_FORMS",
    "Actor",
    "CaseList",
    "CaseView",
    "ContributionPreview",
    "EditorCheckUnavailable",
    "FieldErrors",
    "FormValues",
    "InvalidSubmission",
    "LogResult",
    "NeedsConfirmation",
    "NotAnEditor",
    "OutreachForm",
    "OutreachState",
    "assign_owner",
    "case_list",
    "close_case",
    "contribution_preview",
    "correct_entry",
    "end_engagement",
    "is_editor",
    "log_agreed",
    "log_outreach",
    "log_received",
    "log_reply_contribution",
    "log_reply_declined",
    "log_reply_has_mm",
    "outreach_case",
    "outreach_state",
    "retract_entry",
    "snooze",
]
