"""The outreach forms of the first contact and the project's replies, one spec per kind: Log
outreach · Reply: has MM · Reply: will contribute · Reply: declined · Snooze (SPEC 6), in the
order their buttons are shown on every row (digest, answers, App Home, reminders).

The action ids are a contract with every message already posted (yesterday's digest keeps its
buttons): never rename one. Field names are the ``clean_*`` rules' parameter names and the keys
of the event's values, so a field error lands under its input and a correction opens with the
values it fixes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.domain.vocabulary import OUTREACH_CHANNELS
from bot.usecases.outreach import prepare
from bot.usecases.outreach.figures import contribution_preview
from bot.usecases.outreach.form import Field, FormDefaults, FormValues, OutreachForm
from bot.usecases.outreach.forms import (
    CONTACT_MAX,
    MM_NAME_MAX,
    DeclinedFields,
    HasMMFields,
    OutreachFields,
    clean_contribution,
    clean_declined,
    clean_has_mm,
    clean_outreach,
    clean_snooze,
)

DEFAULT_SNOOZE_DAYS = 7
QUESTION_OPTIONS = (
    ("contribution", "The contribution to the savings pools"),
    ("market_maker", "Market maker: they say they have none"),
)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _followup_date(defaults: FormDefaults) -> str:
    return (defaults.today + timedelta(days=defaults.followup_days)).isoformat()


def _read_outreach(values: FormValues, today: date) -> OutreachFields:
    text = values.text
    return clean_outreach(
        text("channel"), text("contact"), text("notes"), text("followup_on"), today
    )


def _outreach_details(f: OutreachFields) -> dict[str, Any]:
    values = {"channel": f.channel, "contact": f.contact, "notes": f.notes}
    return {**values, "followup_on": iso(f.followup_on)}


LOG_OUTREACH = OutreachForm(
    action_id="log_outreach",
    button="Log outreach",
    primary=True,
    title="Log outreach",
    intro="Log that the team contacted the {symbol} project: it asks both questions (market "
    "maker, contribution). The first to contact a project owns its case.",
    kind="contact",
    fields=(
        Field(
            "channel",
            "Channel",
            "choice",
            options=tuple((c, c.capitalize()) for c in OUTREACH_CHANNELS),
        ),
        Field(
            "contact",
            "Contact",
            "text",
            optional=True,
            placeholder="@handle or e-mail",
            max_length=CONTACT_MAX,
        ),
        Field("notes", "Notes", "paragraph", optional=True),
        Field("followup_on", "Follow up on", "date", optional=True, initial=_followup_date),
    ),
    read=_read_outreach,
    details=_outreach_details,
)


def _read_has_mm(values: FormValues, today: date) -> HasMMFields:
    text = values.text
    return clean_has_mm(
        text("mm_name"),
        text("since"),
        text("until"),
        text("max_spread_bps"),
        text("min_depth_usd"),
        today,
    )


def _has_mm_details(f: HasMMFields) -> dict[str, Any]:
    return {
        "mm_name": f.mm_name,
        "since": iso(f.since),
        "until": iso(f.until),
        "max_spread_bps": f.max_spread_bps,
        "min_depth_usd": f.min_depth_usd,
    }


REPLY_HAS_MM = OutreachForm(
    action_id="reply_has_mm",
    button="Reply: has MM",
    title="Reply: has MM",
    intro="The {symbol} project says it has a market maker.",
    kind="has_mm",
    fields=(
        Field("mm_name", "Market maker", "text", max_length=MM_NAME_MAX),
        Field("since", "Engaged since", "date", optional=True),
        Field("until", "Contract ends", "date", optional=True),
        Field("max_spread_bps", "Max spread (bps)", "number", optional=True),
        Field("min_depth_usd", "Min ±2% depth (USD)", "number", optional=True),
    ),
    read=_read_has_mm,
    details=_has_mm_details,
    prepare=prepare.engagement_row,
)


REPLY_CONTRIBUTE = OutreachForm(
    action_id="reply_contribute",
    button="Reply: will contribute",
    title="Reply: will contribute",
    intro="The {symbol} project will contribute part of its circulating supply to the savings "
    "(lending) pools.",
    kind="pledged",
    fields=(Field("pct_of_supply", "% of circulating supply", "number", placeholder="e.g. 3"),),
    read=lambda values, _today: clean_contribution(values.text("pct_of_supply")),
    details=lambda pct: {"pct_of_supply": pct},
    prepare=prepare.pledge_figures,
    preview=contribution_preview,
    confirmable=True,
)


def _read_declined(values: FormValues, _today: date) -> DeclinedFields:
    return clean_declined(values.text("reason"), values.chosen("questions"))


REPLY_DECLINED = OutreachForm(
    action_id="reply_declined",
    button="Reply: declined",
    title="Reply: declined",
    intro="The {symbol} project declined. Which question did they decline? The other one stays "
    "open.",
    kind="declined",
    fields=(
        Field("questions", "They declined", "flags", options=QUESTION_OPTIONS),
        Field("reason", "Reason they gave", "paragraph"),
    ),
    read=_read_declined,
    details=lambda f: {"reason": f.reason, "questions": list(f.questions)},
    prepare=prepare.none_row,
    confirmable=True,
)


SNOOZE = OutreachForm(
    action_id="snooze",
    button="Snooze",
    title="Snooze",
    intro="Keep {symbol} out of the daily digest, and hold its follow-ups, for a while.",
    kind="snooze",
    fields=(
        Field("days", "Days (1–90)", "whole_number", initial=lambda _: str(DEFAULT_SNOOZE_DAYS)),
    ),
    read=lambda values, _today: clean_snooze(values.text("days")),
    details=lambda days: {"days": days},
    prepare=prepare.snooze_until,
)


OUTREACH_FORMS: tuple[OutreachForm[Any], ...] = (
    LOG_OUTREACH,
    REPLY_HAS_MM,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    SNOOZE,
)
"""The buttons of every token row (digest, answers, App Home, reminders), in order."""
