"""An outreach modal is submitted: stored once through its form's use case, then the modal closes
and the originating message shows the note.

Order matters for the user (SPEC 6): the form's use case runs once (``OutreachForm.submit``): the
editor check, the field rules, then one transaction with the audit row, idempotent on the
modal's view id + action (a double click or a retried request stores one record). Field errors
go under their inputs (``response_action: errors``); a refused editor sees the error handler's
message over the modal. Only a stored submission is acknowledged, which closes the modal; then
the originating message shows "Outreach logged by @alice" under the token's row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_common import escape, mention
from bot.presenters.blocks_modals import submitted_values
from bot.usecases.outreach import InvalidSubmission, LogResult
from bot.usecases.outreach.form import OutreachForm
from bot.usecases.services import Services
from commands.origin import Origin, show_note
from commands.slack_state import SlackState

SubmissionListener = Callable[
    [AsyncAck, dict[str, Any], dict[str, Any], AsyncWebClient, Services, SlackState],
    Awaitable[None],
]


def outreach_note(result: LogResult) -> str:
    """``:memo: Outreach logged by <@U123>: telegram to @pepe_team, follow-up 2026-12-01``"""
    what = result.description.removeprefix("Outreach logged: ")
    return f":memo: Outreach logged by {mention(result.logged_by)}: {escape(what)}"


def on_outreach_submission(form: OutreachForm[Any]) -> SubmissionListener:
    """The listener of ``form``'s modal (Bolt passes the arguments by name)."""

    async def store_and_show(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        services: Services,
        slack_state: SlackState,
    ) -> None:
        origin = Origin.from_metadata(view.get("private_metadata") or "")
        actor = await slack_state.actor(client, services.settings, body)
        key = f"{form.action_id}:{view['id']}"
        values = submitted_values(view)
        try:
            result = await form.submit(services, actor, origin.symbol, values, key)
        except InvalidSubmission as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        await ack()
        await show_note(
            origin,
            outreach_note(result),
            client=client,
            services=services,
            state=slack_state,
            user_id=actor.user_id,
        )

    return store_and_show
