"""The outreach forms, one spec per kind: Log outreach · Reply: has MM · Reply: will contribute ·
Reply: declined · Snooze (SPEC 6), in the order their buttons are shown.

The action ids are a contract with every message already posted (yesterday's digest keeps its
buttons): never rename one. Field names are the ``clean_*`` rules' parameter names, so a field
error lands under its input.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.db.models.outreach import OUTREACH_CHANNELS
from bot.usecases.outreach.contact import store_outreach
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
from bot.usecases.outreach.pledges import contribution_preview, store_contribution
from bot.usecases.outreach.replies import store_declined, store_has_mm, store_snooze

NO_MM = "no_market_maker"
DEFAULT_SNOOZE_DAYS = 7


def _followup_date(defaults: FormDefaults) -> str:
    return (defaults.today + timedelta(days=defaults.followup_days)).isoformat()


def _read_outreach(values: FormValues, today: date) -> OutreachFields:
    text = values.text
    return clean_outreach(
        text("channel"), text("contact"), text("notes"), text("followup_on"), today
    )


LOG_OUTREACH = OutreachForm(
    action_id="log_outreach",
    button="Log outreach",
    primary=True,
    title="Log outreach",
    intro="Log that the team contacted the {symbol} project.",
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
    store=store_outreach,
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


REPLY_HAS_MM = OutreachForm(
    action_id="reply_has_mm",
    button="Reply: has MM",
    title="Reply: has MM",
    intro="The {symbol} project says it has a market maker.",
    fields=(
        Field("mm_name", "Market maker", "text", max_length=MM_NAME_MAX),
        Field("since", "Engaged since", "date", optional=True),
        Field("until", "Contract ends", "date", optional=True),
        Field("max_spread_bps", "Max spread (bps)", "number", optional=True),
        Field("min_depth_usd", "Min ±2% depth (USD)", "number", optional=True),
    ),
    read=_read_has_mm,
    store=store_has_mm,
)


REPLY_CONTRIBUTE = OutreachForm(
    action_id="reply_contribute",
    button="Reply: will contribute",
    title="Reply: will contribute",
    intro="The {symbol} project will contribute part of its circulating supply to the savings "
    "(lending) pools.",
    fields=(Field("pct_of_supply", "% of circulating supply", "number", placeholder="e.g. 3"),),
    read=lambda values, _today: clean_contribution(values.text("pct_of_supply")),
    store=store_contribution,
    preview=contribution_preview,
)


def _read_declined(values: FormValues, _today: date) -> DeclinedFields:
    return clean_declined(values.text("reason"), NO_MM in values.chosen(NO_MM))


REPLY_DECLINED = OutreachForm(
    action_id="reply_declined",
    button="Reply: declined",
    title="Reply: declined",
    intro="The {symbol} project declined.",
    fields=(
        Field("reason", "Reason they gave", "paragraph"),
        Field(
            NO_MM,
            "Market maker",
            "flags",
            optional=True,
            options=((NO_MM, "They also said they have no market maker"),),
        ),
    ),
    read=_read_declined,
    store=store_declined,
)


SNOOZE = OutreachForm(
    action_id="snooze",
    button="Snooze",
    title="Snooze",
    intro="Keep {symbol} out of the daily digest for a while.",
    fields=(
        Field("days", "Days (1–90)", "whole_number", initial=lambda _: str(DEFAULT_SNOOZE_DAYS)),
    ),
    read=lambda values, _today: clean_snooze(values.text("days")),
    store=store_snooze,
)


OUTREACH_FORMS: tuple[OutreachForm[Any], ...] = (
    LOG_OUTREACH,
    REPLY_HAS_MM,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    SNOOZE,
)
