"""`/watch TOKEN` and `/unwatch TOKEN` through the real app: each change is one event and one
audit row with who asked; repeats and unknown tokens write nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import text

from bot.db import repo_audit
from bot.usecases.services import Services
from bot.usecases.watch import watched_symbols
from tests.builders import count_rows
from tests.commands.flow import command
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import SlackRequests

Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]


async def test_watch_and_unwatch_are_audited_events(
    start_liqbot: Start,
    store_demo_scan: Store,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    bot = await start_liqbot(services)

    async def ask(name: str, token: str, user: str = "U0ALICE") -> str:
        reply = await command(bot, slack_api, slack_requests, name, token, user_id=user)
        assert reply.payload["response_type"] == "ephemeral"
        blocks = reply.payload.get("blocks")  # an error answer is text alone
        return str(blocks[-1]["text"]["text"] if blocks else reply.payload["text"])

    first = await ask("/watch", "zibbka")
    assert first.startswith("Watching ZIBBKA: the daily digest shows it every day")
    assert first.endswith("Watched (1): ZIBBKA.")
    again = await ask("/watch", "ZIBBKA", user="U0BOB")
    assert again.startswith("ZIBBKA is already watched since 2026-11-25 (by <@U0ALICE>).")
    await ask("/watch", "WUMBUM")
    assert await watched_symbols(services) == ("WUMBUM", "ZIBBKA")

    stopped = await ask("/unwatch", "ZIBBKA", user="U0BOB")
    assert stopped.startswith("Stopped watching ZIBBKA") and stopped.endswith("(1): WUMBUM.")
    assert (await ask("/unwatch", "ZIBBKA")).startswith("ZIBBKA was not watched: nothing changed")
    unknown = await ask("/watch", "NOPE")
    assert "Nothing known about NOPE" in unknown

    assert await watched_symbols(services) == ("WUMBUM",)
    assert await count_rows(services, "watch_events") == 3  # the repeats wrote nothing
    async with services.session() as session:
        audit = await repo_audit.audit_rows(session, entity="watch_events")
        teams = (await session.execute(text("SELECT actor_team FROM watch_events"))).scalars()
        assert set(teams) == {slack_requests.team_id}
    assert [(a.action, a.actor_user, a.actor_team, a.values) for a in audit] == [
        ("watch", "U0ALICE", slack_requests.team_id, {"symbol": "ZIBBKA"}),
        ("watch", "U0ALICE", slack_requests.team_id, {"symbol": "WUMBUM"}),
        ("unwatch", "U0BOB", slack_requests.team_id, {"symbol": "ZIBBKA"}),
    ]
