"""Every write to a case for callers without a form (the CLI, scripts, tests): each goes
through the same spec as the Slack form of its kind (``.kinds``, ``.kinds_case``,
``.corrections``) — the editor check, the field rules, the confirmations, one transaction with
its audit row, idempotent on ``idempotency_key``.

Values are given as a form would give them: text, numbers or dates (typed or as text), the
chosen options of a flags field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.usecases.outreach.common import Actor, LogResult
from bot.usecases.outreach.corrections import case_entry, entry_form
from bot.usecases.outreach.form import FormValues, OutreachForm
from bot.usecases.outreach.forms import DateInput, NumberInput
from bot.usecases.outreach.kinds import (
    LOG_OUTREACH,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
)
from bot.usecases.outreach.kinds_case import AGREED, CLOSE, END_ENGAGEMENT, RECEIVED
from bot.usecases.services import Services


def form_values(confirmed: bool = False, **given: Any) -> FormValues:
    """``given`` as a form submits them: numbers and dates as text, lists as chosen options."""
    values: dict[str, str | Sequence[str] | None] = {}
    for name, value in given.items():
        if value is None or isinstance(value, str):
            values[name] = value
        elif isinstance(value, list | tuple):
            values[name] = [str(v) for v in value]
        elif isinstance(value, date):
            values[name] = value.isoformat()
        else:
            values[name] = f"{value}"
    if confirmed:
        values["confirm"] = ["yes"]
    return FormValues(values)


async def submit(
    services: Services,
    form: OutreachForm[Any],
    actor: Actor,
    symbol: str,
    key: str,
    confirmed: bool = False,
    target: int | None = None,
    **values: Any,
) -> LogResult:
    """``form`` submitted with ``values`` by ``actor`` for ``symbol``'s case."""
    given = form_values(confirmed, **values)
    return await form.submit(services, actor, symbol, given, key, target)


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
    """The team contacted the token's project (telegram/email/call/other): both questions are
    asked; the first to contact owns the case."""
    return await submit(
        services, LOG_OUTREACH, actor, symbol, idempotency_key,
        channel=channel, contact=contact, notes=notes, followup_on=followup_on,
    )  # fmt: skip


async def log_reply_has_mm(
    services: Services,
    actor: Actor,
    symbol: str,
    mm_name: str | None,
    since: DateInput,
    until: DateInput,
    max_spread_bps: NumberInput,
    min_depth_usd: NumberInput,
    idempotency_key: str,
) -> LogResult:
    """The project has a market maker (name, contract dates, obligations: max spread in bps,
    min ±2% depth in USD); the engagement is recorded for the market-maker status."""
    return await submit(
        services, REPLY_HAS_MM, actor, symbol, idempotency_key,
        mm_name=mm_name, since=since, until=until,
        max_spread_bps=max_spread_bps, min_depth_usd=min_depth_usd,
    )  # fmt: skip


async def log_reply_contribution(
    services: Services,
    actor: Actor,
    symbol: str,
    pct_of_supply: NumberInput,
    idempotency_key: str,
    confirmed: bool = False,
) -> LogResult:
    """The project pledges ``pct_of_supply`` % of circulating supply (outside 1–5% only when
    ``confirmed``), valued on the latest scan."""
    return await submit(
        services, REPLY_CONTRIBUTE, actor, symbol, idempotency_key, confirmed,
        pct_of_supply=pct_of_supply,
    )  # fmt: skip


async def log_reply_declined(
    services: Services,
    actor: Actor,
    symbol: str,
    reason: str | None,
    idempotency_key: str,
    questions: Sequence[str] = ("contribution",),
    confirmed: bool = False,
) -> LogResult:
    """The project declined ``questions`` (contribution, market_maker = "we have none")."""
    return await submit(
        services, REPLY_DECLINED, actor, symbol, idempotency_key, confirmed,
        reason=reason, questions=list(questions),
    )  # fmt: skip


async def snooze(
    services: Services, actor: Actor, symbol: str, days: NumberInput, idempotency_key: str
) -> LogResult:
    """Keep the token out of the digest, its follow-ups held, for ``days`` (1–90) days."""
    return await submit(services, SNOOZE, actor, symbol, idempotency_key, days=days)


async def log_agreed(
    services: Services, actor: Actor, symbol: str, tokens: NumberInput, idempotency_key: str
) -> LogResult:
    """The project agreed on ``tokens`` to contribute."""
    return await submit(services, AGREED, actor, symbol, idempotency_key, tokens=tokens)


async def log_received(
    services: Services,
    actor: Actor,
    symbol: str,
    tokens: NumberInput,
    received_on: DateInput,
    lockup_until: DateInput,
    idempotency_key: str,
) -> LogResult:
    """``tokens`` arrived in the savings pools on ``received_on``, locked up until
    ``lockup_until`` (None: no lock-up)."""
    return await submit(
        services, RECEIVED, actor, symbol, idempotency_key,
        tokens=tokens, received_on=received_on, lockup_until=lockup_until,
    )  # fmt: skip


async def end_engagement(
    services: Services,
    actor: Actor,
    symbol: str,
    mm_name: str | None,
    ended_on: DateInput,
    idempotency_key: str,
) -> LogResult:
    """The engagement of ``mm_name`` (None: the only one running) ended on ``ended_on``."""
    return await submit(
        services, END_ENGAGEMENT, actor, symbol, idempotency_key,
        mm_name=mm_name, ended_on=ended_on,
    )  # fmt: skip


async def close_case(
    services: Services, actor: Actor, symbol: str, reason: str | None, idempotency_key: str
) -> LogResult:
    """Close the case by hand, saying why."""
    return await submit(services, CLOSE, actor, symbol, idempotency_key, reason=reason)


async def correct_entry(
    services: Services,
    actor: Actor,
    symbol: str,
    event_id: int,
    idempotency_key: str,
    confirmed: bool = False,
    **values: Any,
) -> LogResult:
    """Correct entry ``event_id``: ``values`` as its kind's form takes them (all of them)."""
    form = entry_form("correct", await case_entry(services, symbol, event_id))
    return await submit(
        services, form, actor, symbol, idempotency_key, confirmed, event_id, **values
    )


async def retract_entry(
    services: Services,
    actor: Actor,
    symbol: str,
    event_id: int,
    reason: str | None,
    idempotency_key: str,
) -> LogResult:
    """Withdraw entry ``event_id``, saying why."""
    form = entry_form("retract", await case_entry(services, symbol, event_id))
    return await submit(
        services, form, actor, symbol, idempotency_key, False, event_id, reason=reason
    )
