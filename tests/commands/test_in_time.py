"""The editor check and the modal it guards, on Slack's 3 s clock, through the real app over HTTP:
a slow or failing ``usergroups.users.list`` refuses in time and writes nothing (and is not taken
for "no members"), a group Slack does not know is named as unusable, and ``views.open`` is not
retried past its trigger_id's 3 s."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import pytest

from bot.usecases.outreach import EditorCheckUnavailable
from bot.usecases.outreach.kinds import LOG_OUTREACH, SNOOZE
from bot.usecases.services import Services
from commands import editor_groups
from commands.outreach_buttons import FormNotOpened
from tests.builders import NOTHING_WRITTEN, written_rows
from tests.commands.flow import SYMBOL, open_modal, submission
from tests.fakes.slack_api import TRIGGER_LIFETIME_S, SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests, static_select

Start = Callable[[Services], Awaitable[ServedBot]]
MakeServices = Callable[..., Services]
GROUP = "S0LISTING"
SLOW_S = 4.0  # slower than Slack's 3 s for the whole answer
LISTINGS = "usergroups.users.list"


async def click(bot: ServedBot, slack_api: SlackApiStandIn, requests: SlackRequests) -> str:
    """Clicks Log outreach; the text the user is answered at the click's response_url, or
    ``"opened"`` once the modal is open."""
    opened = len(slack_api.ok_calls("views.open"))
    request = requests.block_actions(LOG_OUTREACH.action_id, SYMBOL, block_id=f"actions:{SYMBOL}")
    assert (await bot.post(request)).status_code == 200
    url = json.loads(request.payload["payload"])["response_url"]

    def answered() -> bool:
        return bool(slack_api.responses(url)) or len(slack_api.ok_calls("views.open")) > opened

    await slack_api.async_wait_for(answered, timeout=8)
    responses = slack_api.responses(url)
    return str(responses[0].payload["text"]) if responses else "opened"


async def test_a_slow_group_lookup_refuses_in_time_and_the_retry_stores_once(
    start_liqbot: Start,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    slack_api.workspace.usergroups[GROUP] = ["U0ANALYST"]
    services = make_services(editor_usergroup_ids=GROUP)
    view = await open_modal(await start_liqbot(services), slack_api, slack_requests, LOG_OUTREACH)
    # Submitted to another replica (or after a restart): no members kept there, Slack slow.
    replica = await start_liqbot(services)
    slack_api.delay_next(LISTINGS, SLOW_S)
    values = {"channel": static_select("email")}

    started = time.monotonic()
    refused = await replica.post(submission(slack_requests, view, values))
    waited = time.monotonic() - started

    # Answered within Slack's 3 s with the write's 2 s still to spare: the modal stays open.
    assert waited < 1.5, waited
    try_again = EditorCheckUnavailable().message
    assert refused.json() == {"response_action": "errors", "errors": {"channel": try_again}}
    assert "try again in a moment" in try_again and "admin" not in try_again
    assert await written_rows(services) == NOTHING_WRITTEN

    # Slack's late answer is kept: Save a moment later is answered from it, and stores once.
    await slack_api.async_wait_for(lambda: len(slack_api.calls(LISTINGS)) == 2, timeout=SLOW_S + 5)
    for _ in range(2):
        saved = await replica.post(submission(slack_requests, view, values))
        assert saved.status_code == 200 and saved.text == ""
    assert len(slack_api.calls(LISTINGS)) == 2
    rows = await written_rows(services)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)


@pytest.mark.parametrize("status", [503, 429])
async def test_a_failed_group_lookup_is_not_taken_for_no_members(
    start_liqbot: Start,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    monkeypatch.setattr(editor_groups, "RETRY_AFTER_S", 0.0)
    slack_api.workspace.usergroups[GROUP] = ["U0ANALYST"]
    bot = await start_liqbot(make_services(editor_usergroup_ids=GROUP))
    attempts = 4 if status == 429 else 3  # slack_sdk's retries of a 429 and of a 5xx
    slack_api.fail_next(LISTINGS, times=attempts, status=status, retry_after=0)

    assert await click(bot, slack_api, slack_requests) == EditorCheckUnavailable().message
    await slack_api.async_wait_for(lambda: len(slack_api.calls(LISTINGS)) == attempts)
    await asyncio.sleep(0.2)  # the failed read ends
    # Slack answers again: the editor gets the form (the failure was not kept as no members).
    assert await click(bot, slack_api, slack_requests) == "opened"
    assert len(slack_api.ok_calls(LISTINGS)) == 1


async def test_a_group_slack_does_not_know_is_kept_and_named_unusable(
    start_liqbot: Start,
    make_services: MakeServices,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(make_services(editor_usergroup_ids="S0GONE"))

    first = await click(bot, slack_api, slack_requests)
    second = await click(bot, slack_api, slack_requests)

    assert first == second
    assert first.startswith("Only the listing and risk editors can log outreach and replies")
    assert "S0GONE (no_such_subteam): it is not usable" in first
    assert [c.answer["error"] for c in slack_api.calls(LISTINGS)] == ["no_such_subteam"]
    assert slack_api.calls("views.open") == []


@pytest.mark.parametrize("fault", ["ratelimited", "slow"])
async def test_views_open_is_not_retried_past_its_trigger(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
    fault: str,
) -> None:
    bot = await start_liqbot(services)
    if fault == "ratelimited":  # slack_sdk would wait out the Retry-After, then try again
        slack_api.fail_next("views.open", status=429, retry_after=int(TRIGGER_LIFETIME_S))
    else:
        slack_api.delay_next("views.open", SLOW_S)

    started = time.monotonic()
    answer = await click(bot, slack_api, slack_requests)

    assert (
        answer
        == FormNotOpened().message
        == ("Slack could not open the form in time; click the button again.")
    )
    assert time.monotonic() - started < TRIGGER_LIFETIME_S + 1.0
    await slack_api.async_wait_for(lambda: len(slack_api.calls("views.open")) == 1, timeout=8)
    # The next click opens the form.
    request = slack_requests.block_actions(SNOOZE.action_id, SYMBOL, block_id=f"actions:{SYMBOL}")
    await bot.post(request)
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    assert len(slack_api.calls("views.open")) == 2
