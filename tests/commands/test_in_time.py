"""A button's modal on Slack's 3 s clock, through the real app over HTTP: ``views.open`` is not
retried past its trigger_id's 3 s."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable

import pytest

from bot.usecases.outreach.kinds import LOG_OUTREACH, SNOOZE
from bot.usecases.services import Services
from commands.outreach_buttons import FormNotOpened
from tests.commands.flow import SYMBOL
from tests.fakes.slack_api import TRIGGER_LIFETIME_S, SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests

Start = Callable[[Services], Awaitable[ServedBot]]
SLOW_S = 4.0  # slower than Slack's 3 s for the whole answer


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
