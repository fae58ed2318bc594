"""Each slash command is declared once: the manifest Slack gets, the listeners on the Bolt app and
the `help` answers must name the same commands, with the same arguments."""

from __future__ import annotations

from typing import Any, get_args

import yaml
from slack_bolt.async_app import AsyncApp

import commands
from bot.domain.models import MMStatus
from bot.slack.manifest import render_manifest
from bot.usecases.services import Services
from commands.mm import DETAILS as MM_DETAILS
from commands.slash import SLASH_COMMANDS
from tests.commands.flow import command
from tests.conftest import sqlite_only
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import StartBot
from tests.fakes.slack_requests import SlackRequests


class RecordingApp:
    """The real Bolt app, noting the slash commands ``commands.register`` adds to it."""

    def __init__(self, app: AsyncApp, commands: list[str]) -> None:
        self.app = app
        self.commands = commands

    def command(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.commands.append(name)
        return self.app.command(name, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)


@sqlite_only
async def test_manifest_listeners_and_help_name_the_same_commands(
    serve_bot: StartBot,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    manifest = yaml.safe_load(render_manifest("https://liqbot.example.com", SLASH_COMMANDS))
    hints = {c["command"]: c["usage_hint"] for c in manifest["features"]["slash_commands"]}
    registered: list[str] = []
    bot = await serve_bot(
        lambda app: commands.register(RecordingApp(app, registered)),  # type: ignore[arg-type]
        services=services,
    )

    helped = {}
    for name in registered:  # through the real app: a listener answers `help` with its usage
        reply = await command(bot, slack_api, slack_requests, name, "help")
        helped[name] = reply.payload["blocks"][1]["text"]["text"].split("*")[1]

    assert len(hints) == len(manifest["features"]["slash_commands"])  # none listed twice
    assert sorted(registered) == sorted(hints) == sorted(helped)
    assert registered
    for name, hint in hints.items():  # "/atrisk [N] [high|medium]" and "[N] [high|medium] | help"
        arguments = helped[name].removeprefix(name).strip()
        assert hint == (f"{arguments} | help" if arguments else "help")  # "/review": "help"


def test_only_outreach_has_slack_escape_its_mentions() -> None:
    # `/outreach assign PEPE @alice` then reaches liqbot as `<@U123|alice>`.
    manifest = yaml.safe_load(render_manifest(None, SLASH_COMMANDS))
    escapes = {c["command"]: c["should_escape"] for c in manifest["features"]["slash_commands"]}
    assert escapes == {
        "/liquidity": False,
        "/mm": False,
        "/atrisk": False,
        "/outreach": True,
        "/watch": False,
        "/unwatch": False,
        "/review": False,
    }


def test_mm_help_names_every_market_maker_status() -> None:
    assert [s for s in get_args(MMStatus) if s not in MM_DETAILS] == []
