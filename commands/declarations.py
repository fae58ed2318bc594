"""A slash command, declared once: what Slack's app settings show, its help, and its answer.

Each command module ends with its ``SlashCommand``; ``commands.slash.SLASH_COMMANDS`` lists them.
From that one tuple come the Bolt listeners (``commands.register``), the dispatcher shared by Slack
and `liqbot ask` (``commands.slash.answer``), every command's ``help`` answer, and the app manifest
(``liqbot manifest`` hands the tuple to ``bot.slack.manifest.render_manifest``, which reads only
``name``, ``description`` and ``usage_hint``).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.presenters.blocks_common import Reply
from bot.settings import Settings
from bot.usecases.outreach import Actor
from bot.usecases.services import Services
from commands.args import help_reply

Args = TypeVar("Args")
HELP_WORDS = ("", "help")


@dataclass(frozen=True)
class Asker:
    """Who asks, and by when the answer is due: ``answer_by`` is a ``time.monotonic()`` instant
    (Slack: 3.5 s after the command arrived, so the answer shows within 5 s; None for `liqbot
    ask`, which waits the default budget from now). A command that writes acts as ``actor``
    (team, display name, editor groups) under ``request_id`` (one per command: its idempotency
    key). ``team_id``: the user's Slack team, for the audit of a command that writes (None for
    `liqbot ask`)."""

    user_id: str
    answer_by: float | None = None
    actor: Actor | None = None
    request_id: str = field(default_factory=lambda: secrets.token_hex(8))
    team_id: str | None = None

    @property
    def as_actor(self) -> Actor:
        """Who writes: the actor the edge resolved, else just the user id (and team)."""
        return self.actor or Actor(self.user_id, self.team_id, None)


@dataclass(frozen=True)
class SlashCommand(Generic[Args]):
    """One slash command.

    ``name`` (``/liquidity``), ``arguments`` (``TOKEN [EXCHANGE] [chart]``) and ``description``
    are what Slack shows while the user types (``usage_hint``); the ``help`` answer starts with
    the same ``*/liquidity TOKEN [EXCHANGE] [chart]*`` and goes on with ``details`` (mrkdwn).
    ``parse`` turns the command's text into its arguments, once, at the edge: None when the user
    asked for help, ``UserFacingError`` for text it refuses. ``reply`` answers from those
    arguments (``Asker``: who asks, and by when the answer is due). ``asks_exchanges``: the
    answer may fetch from the exchanges (it then waits its turn among the answers being fetched;
    answers from the database never wait for it). ``personal``: the answer to this text depends
    on who asks (`/outreach mine`, a write), so it is never shared with another user's.
    ``escapes``: Slack sends user mentions as ``<@U123|name>`` (the manifest's ``should_escape``).
    """

    name: str
    arguments: str
    description: str
    details: Callable[[Settings], str]
    parse: Callable[[str, Settings], Args | None]
    reply: Callable[[Services, Args, Asker], Awaitable[Reply]]
    asks_exchanges: bool = False
    personal: Callable[[str], bool] = lambda text: False
    escapes: bool = False

    @property
    def usage_hint(self) -> str:
        """Slack's hint next to the command: its arguments, or ``help``."""
        return f"{self.arguments} | help" if self.arguments else "help"

    def usage(self, settings: Settings) -> str:
        """The ``help`` answer's text: ``*/name ARGUMENTS*: details``."""
        syntax = f"{self.name} {self.arguments}".strip()
        return f"*{syntax}*: {self.details(settings)}"

    def help(self, settings: Settings) -> Reply:
        """The ``help`` answer (also the answer to the command without arguments)."""
        return help_reply(self.usage(settings))

    def fetches_for(self, text: str) -> bool:
        """Whether answering ``text`` may wait for an exchange (never for ``help``)."""
        return self.asks_exchanges and text.strip().lower() not in HELP_WORDS

    async def answer(self, services: Services, text: str, asker: Asker) -> Reply:
        """The reply to this command with ``text``: its help, or its answer."""
        args = self.parse(text, services.settings)
        if args is None:
            return self.help(services.settings)
        return await self.reply(services, args, asker)
