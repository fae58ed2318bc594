"""Use cases: log outreach and the project's replies (SPEC 6, issue 3 item 3).

Every submission is one transaction: the record(s) and an audit row (Slack user, team, time,
action, values). Only editors write (``EDITOR_USER_IDS`` / ``EDITOR_USERGROUP_IDS``, both empty =
everyone): anyone else gets ``NotAnEditor`` before anything is read or written, and so does
``EditorCheckUnavailable`` when Slack could not say in time who is in the editor groups.

Idempotency: the caller passes a key per submission (e.g. the Slack view id). The first call
stores; any later call with the same key, however concurrent, stores nothing and returns the
stored record with ``duplicate=True`` (``INSERT … ON CONFLICT DO NOTHING``, see
``bot.db.repo_outreach``).

Logging outreach is in ``.contact``, the replies (has market maker, declined, snooze) in
``.replies``, will contribute in ``.pledges``; this package re-exports them, so the Slack layer
and the CLI import every write from here. The forms that submit them, one spec per kind (button,
modal, fields, validation, use case), are ``.kinds`` (the type: ``.form``).

Field validation lives in ``.forms``, the reads (state, timeline, export) in ``.log``, follow-ups
in ``.followups``: all re-exported here.
"""

from __future__ import annotations

from bot.usecases.outreach.common import (
    Actor,
    EditorCheckUnavailable,
    LogResult,
    NotAnEditor,
    is_editor,
)
from bot.usecases.outreach.contact import log_outreach
from bot.usecases.outreach.followups import FollowUp, due_followups, followups_of, mark_reminded
from bot.usecases.outreach.form import FormValues, OutreachForm
from bot.usecases.outreach.forms import FieldErrors, InvalidSubmission
from bot.usecases.outreach.kinds import OUTREACH_FORMS
from bot.usecases.outreach.log import (
    EXPORT_COLUMNS,
    OutreachState,
    OutreachTimeline,
    TimelineEntry,
    export_outreach,
    outreach_state,
    outreach_timeline,
)
from bot.usecases.outreach.pledges import (
    ContributionPreview,
    contribution_preview,
    log_reply_contribution,
)
from bot.usecases.outreach.replies import log_reply_declined, log_reply_has_mm, snooze

__all__ = [
    "EXPORT_COLUMNS",
    "OUTREACH_FORMS",
    "Actor",
    "ContributionPreview",
    "EditorCheckUnavailable",
    "FieldErrors",
    "FollowUp",
    "FormValues",
    "InvalidSubmission",
    "LogResult",
    "NotAnEditor",
    "OutreachForm",
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
]
