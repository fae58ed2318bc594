"""An outreach modal is submitted: check, validate, store once, and show the note in place.

Order matters for the user: the editor check and the field validation answer before the modal
closes (field errors under their inputs, ``response_action: errors``); only then is the
submission acknowledged, stored in one transaction with its audit row (idempotency key: the
modal's view id + action, so a retried or doubled submission stores one record), and the
originating message shows "Outreach logged by @alice" under the token's row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.actions import (
    LOG_OUTREACH,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
)
from bot.presenters.blocks_common import escape, mention
from bot.presenters.blocks_modals import ACTION_OF_CALLBACK, NO_MM_OPTION, submitted_values
from bot.usecases.args import team_today
from bot.usecases.outreach import (
    Actor,
    FieldErrors,
    LogResult,
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    snooze,
    validate_contribution,
    validate_declined,
    validate_has_mm,
    validate_outreach,
    validate_snooze,
)
from bot.usecases.outreach.common import authorize
from bot.usecases.services import Services
from commands.origin import Origin, show_note
from commands.slack_state import SlackState

FIELDS: dict[str, tuple[str, ...]] = {
    LOG_OUTREACH: ("channel", "contact", "notes", "followup_on"),
    REPLY_HAS_MM: ("mm_name", "since", "until", "max_spread_bps", "min_depth_usd"),
    REPLY_CONTRIBUTE: ("pct_of_supply",),
    REPLY_DECLINED: ("reason",),
    SNOOZE: ("days",),
}
"""Each modal's inputs: the block_ids, and the keyword names of its validator and use case."""
VALIDATORS: dict[str, Callable[..., FieldErrors]] = {
    LOG_OUTREACH: validate_outreach,
    REPLY_HAS_MM: validate_has_mm,
    REPLY_CONTRIBUTE: validate_contribution,
    REPLY_DECLINED: validate_declined,
    SNOOZE: validate_snooze,
}
USE_CASES: dict[str, Callable[..., Awaitable[LogResult]]] = {
    LOG_OUTREACH: log_outreach,
    REPLY_HAS_MM: log_reply_has_mm,
    REPLY_CONTRIBUTE: log_reply_contribution,
    REPLY_DECLINED: log_reply_declined,
    SNOOZE: snooze,
}
DATED = (LOG_OUTREACH, REPLY_HAS_MM)  # validated against the team's today


def field_errors(action_id: str, values: dict[str, Any], today: date) -> FieldErrors:
    """The use case's field errors for the submitted values (keys are the inputs' block_ids)."""
    fields = {name: values.get(name) for name in FIELDS[action_id]}
    if action_id in DATED:
        fields["today"] = today
    return VALIDATORS[action_id](**fields)


async def store(
    services: Services,
    actor: Actor,
    action_id: str,
    symbol: str,
    values: dict[str, Any],
    idempotency_key: str,
) -> LogResult:
    """One submission through its use case (one transaction with its audit row, idempotent on
    ``idempotency_key``)."""
    fields = {name: values.get(name) for name in FIELDS[action_id]}
    if action_id == REPLY_DECLINED:
        fields["no_market_maker"] = NO_MM_OPTION in (values.get("no_market_maker") or [])
    return await USE_CASES[action_id](
        services, actor, symbol, idempotency_key=idempotency_key, **fields
    )


def outreach_note(result: LogResult) -> str:
    """``:memo: Outreach logged by <@U123>: telegram to @pepe_team, follow-up 2026-12-01``"""
    what = result.description.removeprefix("Outreach logged: ")
    return f":memo: Outreach logged by {mention(result.logged_by)}: {escape(what)}"


async def on_modal_submitted(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """Any of the five outreach modals (callback_id ``<action>_modal``)."""
    action_id = ACTION_OF_CALLBACK[view["callback_id"]]
    origin = Origin.from_metadata(view.get("private_metadata") or "")
    actor = await slack_state.actor(client, services.settings, body)
    authorize(services, actor)  # raised before ack: the error handler shows it over the modal
    values = submitted_values(view)
    errors = field_errors(action_id, values, team_today(services.settings, services.clock()))
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    result = await store(
        services, actor, action_id, origin.symbol, values, f"{action_id}:{view['id']}"
    )
    await show_note(
        origin,
        outreach_note(result),
        client=client,
        services=services,
        state=slack_state,
        user_id=actor.user_id,
    )
