"""A modal submission through the real app over HTTP, on SQLite and PostgreSQL: stored before the
modal closes and within the write deadline, refused when its private_metadata was not sealed by
the bot for that modal, and shown to the user even when the answer it came from is unknown."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import text

from bot.usecases.deadline import WriteTooLate
from bot.usecases.outreach.kinds import LOG_OUTREACH, SNOOZE
from bot.usecases.services import Services
from commands import outreach_modals
from tests.builders import NOTHING_WRITTEN, written_rows
from tests.commands.flow import (
    DIGEST_CHANNEL,
    SYMBOL,
    ephemeral_click,
    open_modal,
    opened_view,
    post_digest,
    submission,
)
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests, static_select

Start = Callable[[Services], Awaitable[ServedBot]]
VALUES = {"channel": static_select("email")}
DEADLINE_S = 0.5
POSTS = ("chat.update", "chat.postEphemeral", "chat.postMessage", "views.publish")


@asynccontextmanager
async def database_busy(services: Services) -> AsyncIterator[None]:
    """Another transaction holds the lock an outreach insert waits for (a scan being stored
    holds SQLite's one write lock for seconds), until the block ends; it then rolls back."""
    async with services.engine.connect() as conn:
        transaction = await conn.begin()
        if conn.dialect.name == "sqlite":
            await conn.execute(text("DELETE FROM outreach WHERE id < 0"))  # takes the write lock
        else:
            await conn.execute(text("LOCK TABLE case_events IN SHARE ROW EXCLUSIVE MODE"))
        try:
            yield
        finally:
            await transaction.rollback()


async def test_a_write_past_its_deadline_rolls_back_and_the_modal_stays_open(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outreach_modals, "WRITE_DEADLINE_S", DEADLINE_S)
    bot = await start_liqbot(services)
    view = await open_modal(bot, slack_api, slack_requests, LOG_OUTREACH)

    async with database_busy(services):
        started = time.monotonic()
        late = await bot.post(submission(slack_requests, view, VALUES))
        waited = time.monotonic() - started

    # Answered at the deadline, not when the database let go: the modal stays open.
    assert waited < DEADLINE_S + 1.0
    not_saved = WriteTooLate().message
    assert late.json() == {"response_action": "errors", "errors": {"channel": not_saved}}
    assert await written_rows(services) == NOTHING_WRITTEN
    assert [c.method for c in slack_api.calls() if c.method in POSTS] == []

    # Saved again once the database answers: stored once, and then the modal closes.
    saved = await bot.post(submission(slack_requests, view, VALUES))
    assert saved.status_code == 200 and saved.text == ""
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.postEphemeral")) == 1)
    rows = await written_rows(services)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)
    # The late write rolled back at its commit (and holds no connection past the test).
    await asyncio.wait_for(asyncio.gather(*outreach_modals.LATE_WRITES, return_exceptions=True), 10)
    assert await written_rows(services) == rows


def _forge(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``view`` with its private_metadata changed (None removes a field), its seal kept."""
    fields = json.loads(view["private_metadata"])
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return {**view, "private_metadata": json.dumps(fields)}


async def test_a_submission_whose_metadata_the_bot_did_not_seal_is_refused(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    digest = post_digest(slack_api)
    posted = slack_api.workspace.m_chat_postMessage({"channel": "C0OTHER", "text": "team notes"})
    other = dict(posted["message"])
    view = await open_modal(bot, slack_api, slack_requests, LOG_OUTREACH, message=digest)
    snooze = await open_modal(bot, slack_api, slack_requests, SNOOZE, message=digest)
    elsewhere = slack_api.new_response_url()
    forged = {
        "another channel's message": _forge(view, channel="C0OTHER", ts=other["ts"]),
        "an arbitrary response_url": _forge(
            view, ts=None, response_url=elsewhere, command="/liquidity zibbka"
        ),
        "an unlisted token": _forge(view, symbol="NOTLISTED"),
        "no seal": _forge(view, mac=None),
        "another form's seal": {**view, "private_metadata": snooze["private_metadata"]},
    }
    before = len(slack_api.calls())

    for case, crafted in forged.items():
        response = await bot.post(submission(slack_requests, crafted, VALUES))
        assert response.status_code == 200, case
        refusal = response.json()
        assert refusal["response_action"] == "push", case
        assert "could not be verified, so nothing was saved" in json.dumps(refusal["view"]), case

    await asyncio.sleep(0.1)  # anything a listener would still post
    assert await written_rows(services) == NOTHING_WRITTEN
    assert [c.method for c in slack_api.calls()[before:] if c.method in POSTS] == []
    assert slack_api.responses() == []  # no response_url was posted to, ours or not
    assert slack_api.workspace.message("C0OTHER", other["ts"]) == other

    # The modal as the bot sealed it is stored, and its own message updated.
    response = await bot.post(submission(slack_requests, view, VALUES))
    assert response.status_code == 200 and response.text == ""
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.update")) == 1)
    [update] = slack_api.ok_calls("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (DIGEST_CHANNEL, digest["ts"])
    assert (await written_rows(services))["case_events"] == 1


async def test_an_answer_this_process_did_not_draw_gets_the_note_apart(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    # A click on an ephemeral /liquidity answer drawn before a restart (or by another replica):
    # the answer is not known here, and the command is not run again to redraw it.
    bot = await start_liqbot(services)
    block_id = f"actions:{SYMBOL}|/liquidity {SYMBOL.lower()}"
    click = ephemeral_click(slack_requests, LOG_OUTREACH.action_id, SYMBOL, block_id)
    await bot.post(click)
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)

    response = await bot.post(submission(slack_requests, opened_view(slack_api), VALUES))

    assert response.status_code == 200 and response.text == ""
    click_url = json.loads(click.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(click_url)) == 1)
    [note] = slack_api.responses(click_url)
    assert note.payload == {
        "text": ":memo: Outreach by email — logged by <@U0ANALYST> (#1)",
        "response_type": "ephemeral",
        "replace_original": False,
    }
    assert (await written_rows(services))["case_events"] == 1
