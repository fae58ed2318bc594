"""An outreach modal is submitted: verify, store once, close, then show the note in place.

Order matters for the user (SPEC 6): the modal closes only once the submission is stored.
1. The private_metadata seal is verified (``commands.seal``): a forged one is refused before
   anything is read, written or posted.
2. The form's use case runs once (``OutreachForm.submit``): the editor check, the field rules,
   then one transaction with the audit row, idempotent on the modal's view id + action (a
   double click or a retried request stores one record). Field errors go under their inputs
   (``response_action: errors``); a refused editor sees the error handler's message over the
   modal.
3. Slack's 3 s: the editor check's user-group lookup has at most 0.7 s
   (``commands.editor_groups``), the write ``WRITE_DEADLINE_S``. When either cannot finish in
   time nothing is stored and the modal stays open with the error on its first input ("try
   again"); a late write rolls back when it reaches its commit (``bot.usecases.deadline``).
4. Stored: ``ack()`` closes the modal, then the originating message is redrawn
   (``commands.redraw``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_modals import submitted_values
from bot.usecases.deadline import WriteTooLate, write_deadline
from bot.usecases.outreach import EditorCheckUnavailable, InvalidSubmission
from bot.usecases.outreach.form import OutreachForm
from bot.usecases.services import Services
from commands.origin import Origin
from commands.redraw import show_note
from commands.seal import seal_key
from commands.slack_state import SlackState

logger = logging.getLogger(__name__)

WRITE_DEADLINE_S = 2.0
T = TypeVar("T")
SubmissionListener = Callable[
    [AsyncAck, dict[str, Any], dict[str, Any], AsyncWebClient, Services, SlackState],
    Awaitable[None],
]


LATE_WRITES: set[asyncio.Task[Any]] = set()
"""Writes still running after their request was answered "not saved" (each rolls back when it
reaches its commit); held here so they are not garbage-collected mid-way and can be awaited."""


def _log_late_outcome(task: asyncio.Task[Any]) -> None:
    LATE_WRITES.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if isinstance(error, WriteTooLate):
        logger.info("a write that missed its deadline rolled back")
    elif error is not None:
        logger.warning("a write that missed its deadline failed", exc_info=error)
    else:  # committed just as the deadline passed: the user's retry finds it (idempotency key)
        logger.info("a write that missed its deadline committed as it passed")


async def within(seconds: float, write: Coroutine[Any, Any, T]) -> T:
    """``write``'s result, or ``WriteTooLate`` once ``seconds`` have passed, without waiting for
    the write any longer (a database stuck on a lock must not make the answer late). The write
    runs on under the same deadline and rolls back when it reaches its commit too late."""
    with write_deadline(seconds):
        task = asyncio.ensure_future(write)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    LATE_WRITES.add(task)
    task.add_done_callback(_log_late_outcome)
    raise WriteTooLate()


FormOf = Callable[[Services, Origin], Awaitable[OutreachForm[Any]]]
"""The form a submitted modal was drawn from, given where it was opened (an entry's
correction is drawn from that entry)."""


def on_outreach_submission(form: OutreachForm[Any]) -> SubmissionListener:
    """The listener of ``form``'s modal (Bolt passes the arguments by name)."""

    async def this_form(_services: Services, _origin: Origin) -> OutreachForm[Any]:
        return form

    return on_submission(form.callback_id, this_form)


def on_submission(callback_id: str, form_of: FormOf) -> SubmissionListener:
    """The listener of the ``callback_id`` modals, whose form is ``form_of`` their origin."""

    async def store_and_show(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        services: Services,
        slack_state: SlackState,
    ) -> None:
        metadata = str(view.get("private_metadata") or "")
        origin = Origin.unsealed(metadata, callback_id, seal_key(services.settings))
        actor = await slack_state.actor(client, services.settings, body)
        form = await form_of(services, origin)
        key = f"{form.action_id}:{view['id']}"
        values = submitted_values(view)
        submit = form.submit(services, actor, origin.symbol, values, key, origin.target)
        try:
            result = await within(WRITE_DEADLINE_S, submit)
        except InvalidSubmission as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        except (WriteTooLate, EditorCheckUnavailable) as retry:
            # Nothing stored; the modal stays open with the error on its first input, so that
            # Save works again in a moment.
            logger.warning("%s not stored: %s", form.action_id, type(retry).__name__)
            await ack(response_action="errors", errors={form.inputs[0].name: retry.message})
            return
        await ack()
        await show_note(
            origin,
            result,
            client=client,
            services=services,
            state=slack_state,
            user_id=actor.user_id,
        )

    return store_and_show
