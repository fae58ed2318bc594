"""The case's own steps, one spec each: Agreed · Received · End engagement · End contribution ·
Close, shown by `/outreach TOKEN` as the next steps of the case (``next_steps``); Correct and
Retract act on one entry of its timeline (``.corrections``).

Action ids are a contract with the messages already posted: never rename one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.outreach import OutreachCase
from bot.usecases.outreach import prepare
from bot.usecases.outreach.form import Field, FormDefaults, FormValues, OutreachForm
from bot.usecases.outreach.forms_case import (
    EndFields,
    ReceivedFields,
    clean_agreed,
    clean_contribution_ended,
    clean_end_engagement,
    clean_reason,
    clean_received,
)
from bot.usecases.outreach.kinds import (
    LOG_OUTREACH,
    OUTREACH_FORMS,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
    iso,
)


def _today(defaults: FormDefaults) -> str:
    return defaults.today.isoformat()


TOKENS = Field("tokens", "Tokens", "number", placeholder="e.g. 7985768")

AGREED = OutreachForm(
    action_id="case_agreed",
    button="Agreed",
    title="Contribution agreed",
    intro="The {symbol} project agreed on the tokens it contributes to the savings pools. They "
    "are valued at the home mid of the latest scan.",
    kind="agreed",
    fields=(TOKENS,),
    read=lambda values, _today: clean_agreed(values.text("tokens")),
    details=lambda tokens: {"tokens": tokens},
    prepare=prepare.agreed_figures,
)


def _read_received(values: FormValues, today: date) -> ReceivedFields:
    text = values.text
    return clean_received(text("tokens"), text("received_on"), text("lockup_until"), today)


RECEIVED = OutreachForm(
    action_id="case_received",
    button="Received",
    title="Contribution received",
    intro="The {symbol} project's tokens arrived in the savings pools. They are valued at the "
    "home mid of that day's last scan; a shortfall against the agreed amount is shown.",
    kind="received",
    fields=(
        TOKENS,
        Field("received_on", "Received on", "date", initial=_today),
        Field("lockup_until", "Locked up until", "date", optional=True),
    ),
    read=_read_received,
    details=lambda f: {
        "tokens": f.tokens,
        "received_on": iso(f.received_on),
        "lockup_until": iso(f.lockup_until),
    },
    prepare=prepare.received_figures,
)


def _read_end_engagement(values: FormValues, today: date) -> EndFields:
    return clean_end_engagement(values.text("mm_name"), values.text("ended_on"), today)


END_ENGAGEMENT = OutreachForm(
    action_id="case_end_engagement",
    button="End engagement",
    title="End engagement",
    intro="A market maker of the {symbol} project stopped (or stops) quoting for it.",
    kind="end_engagement",
    fields=(
        Field("mm_name", "Market maker", "text", optional=True, placeholder="blank: the only one"),
        Field("ended_on", "Ended on", "date", initial=_today),
    ),
    read=_read_end_engagement,
    details=lambda f: {"mm_name": f.name, "ended_on": iso(f.ended_on)},
    prepare=prepare.engagement_ended,
)


def _read_contribution_ended(values: FormValues, today: date) -> EndFields:
    return clean_contribution_ended(values.text("ended_on"), values.text("reason"), today)


END_CONTRIBUTION = OutreachForm(
    action_id="case_end_contribution",
    button="End contribution",
    title="Contribution ended",
    intro="The {symbol} project's contribution left the savings pools (lock-up over, tokens "
    "withdrawn…).",
    kind="contribution_ended",
    fields=(
        Field("ended_on", "Ended on", "date", initial=_today),
        Field("reason", "What happened", "paragraph", optional=True),
    ),
    read=_read_contribution_ended,
    details=lambda f: {"ended_on": iso(f.ended_on), "reason": f.reason},
)


CLOSE = OutreachForm(
    action_id="case_close",
    button="Close case",
    title="Close case",
    intro="Close the {symbol} case: no more follow-ups. Anything logged later opens it again.",
    kind="close",
    fields=(Field("reason", "Why", "paragraph"),),
    read=lambda values, _today: clean_reason(values.text("reason")),
    details=lambda reason: {"reason": reason},
)


STEP_FORMS: tuple[OutreachForm[Any], ...] = (
    AGREED,
    RECEIVED,
    END_ENGAGEMENT,
    END_CONTRIBUTION,
    CLOSE,
)
_ENTRY_FORMS: tuple[OutreachForm[Any], ...] = (
    LOG_OUTREACH,
    REPLY_HAS_MM,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    *STEP_FORMS,
)
CORRECTABLE: dict[str, OutreachForm[Any]] = {form.kind: form for form in _ENTRY_FORMS}
"""Per kind of entry, the form a correction of it reopens with its values."""


def next_steps(case: OutreachCase) -> tuple[OutreachForm[Any], ...]:
    """The forms `/outreach TOKEN` offers for ``case``: contact, the replies and the steps that
    can follow from where it stands (agreed once pledged, received once pledged or agreed, end
    engagement while one runs, end contribution once received, close while open)."""
    state = case.contribution.state
    steps: list[OutreachForm[Any]] = [LOG_OUTREACH, REPLY_HAS_MM, REPLY_CONTRIBUTE, REPLY_DECLINED]
    if state in ("pledged", "agreed", "received"):
        steps += [AGREED, RECEIVED]
    if any(e.ended_on is None for e in case.market_maker.engagements):
        steps.append(END_ENGAGEMENT)
    if state == "received":
        steps.append(END_CONTRIBUTION)
    if case.is_open:
        steps.append(CLOSE)
    return (*steps, SNOOZE)


ALL_FORMS: tuple[OutreachForm[Any], ...] = (*OUTREACH_FORMS, *STEP_FORMS)
"""Every form a button opens (each registered once, ``commands.register``)."""
