"""Text users typed (a contact, notes, a market maker's name, a reason) never reaches Slack as
markup: `<!channel>` would ping the whole channel and `<https://…|x>` would show a disguised
link. Checked in every field of everything liqbot sends (the notification ``text`` included) for
/mm, /outreach, /liquidity, /atrisk (and an answer redrawn after a modal), the digest and App
Home, through the real app over HTTP."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from pydantic import SecretStr

from bot.usecases.outreach import Actor, log_outreach, log_reply_declined, log_reply_has_mm
from bot.usecases.outreach.kinds import LOG_OUTREACH
from bot.usecases.services import Services
from jobs.digest import run_digest
from tests.builders import DIGEST_CHANNEL
from tests.commands.flow import (
    SYMBOL,
    actions_block,
    command,
    ephemeral_click,
    opened_view,
    submission,
)
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests, plain_input, static_select

Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]
MakeServices = Callable[..., Services]
TYPED = "<!channel> <https://evil.example|x>"
MARKUP = ("<!channel>", "<https://evil")


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


async def log_typed_text(services: Services) -> None:
    """An outreach, a declined reply and then a "has MM" reply, each with ``TYPED`` in it."""
    me = Actor("U0ANALYST", "T0LIQBOT", "alice")
    await log_outreach(services, me, SYMBOL, "email", TYPED, TYPED, None, "k-outreach")
    await log_reply_declined(services, me, SYMBOL, TYPED, "k-declined")
    await log_reply_has_mm(services, me, SYMBOL, TYPED, "2026-11-01", None, None, None, "k-mm")


async def test_typed_markup_reaches_slack_escaped_everywhere(
    start_liqbot: Start,
    make_services: MakeServices,
    store_demo_scan: Store,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    services = make_services(
        slack_bot_token=SecretStr(slack_api.token),
        slack_api_url=slack_api.api_url,
        digest_channel=DIGEST_CHANNEL,
    )
    await store_demo_scan(services)
    await log_typed_text(services)
    bot = await start_liqbot(services)

    asked = [("/mm", SYMBOL), ("/outreach", SYMBOL), ("/liquidity", SYMBOL), ("/atrisk", "")]
    answers = {
        name: await command(bot, slack_api, slack_requests, name, text) for name, text in asked
    }
    # Outreach logged from the /outreach answer's button: the answer is redrawn in place.
    buttons = actions_block(answers["/outreach"].payload["blocks"], SYMBOL)
    click = ephemeral_click(slack_requests, LOG_OUTREACH.action_id, SYMBOL, buttons["block_id"])
    assert (await bot.post(click)).status_code == 200
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("views.open")) == 1)
    values = {"channel": static_select("call"), "contact": plain_input(TYPED + " again")}
    await bot.post(submission(slack_requests, opened_view(slack_api), values))
    redrawn = json.loads(click.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(redrawn)) == 1)
    assert "&lt;!channel&gt;" in slack_api.responses(redrawn)[0].payload["text"]

    assert (await bot.post(slack_requests.app_home_opened("U0ANALYST"))).status_code == 200
    await slack_api.async_wait_for(lambda: "U0ANALYST" in slack_api.workspace.home_views)
    assert (await run_digest(services)).status == "posted"

    # The typed text is shown (escaped) in each answer's text and blocks.
    for name, answer in answers.items():
        if name != "/atrisk":
            assert "&lt;!channel&gt;" in " ".join(strings(answer.payload["blocks"])), name
    assert "&lt;!channel&gt;" in answers["/mm"].payload["text"]
    assert "&lt;!channel&gt;" in answers["/outreach"].payload["text"]
    sent = [r.payload for r in slack_api.responses()] + [c.args for c in slack_api.calls()]
    leaks = [s for s in strings(sent) if any(markup in s for markup in MARKUP)]
    assert leaks == []
