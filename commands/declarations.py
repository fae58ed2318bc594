"""A slash command, declared once: what Slack's app settings show, its help, and its answer.

Each command module ends with its ``SlashCommand``; ``commands.slash.SLASH_COMMANDS`` lists them.
From that one tuple come the Bolt listeners (``commands.register``), the dispatcher shared by Slack
and `liqbot ask` (``commands.slash.answer``), every command's ``help`` answer, and the app manifest
(``liqbot manifest`` hands the tuple to ``bot.slack.manifest.render_manifest``, which reads only
``name``, ``description`` and ``usage_hint``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.presenters.blocks_common import Reply
from bot.settings import Settings
from bot.usecases.services import Services
from commands.args import help_reply

Args = TypeVar("Args")


@dataclass(frozen=True)
class SlashCommand(Generic[Args]):
    """One slash command.

    ``name`` (``/liquidity``), ``arguments`` (``TOKEN [EXCHANGE] [chart]``) and ``description``
    are what Slack shows while the user types (``usage_hint``); the ``help`` answer starts with
    the same ``*/liquidity TOKEN [EXCHANGE] [chart]*`` and goes on with ``details`` (mrkdwn).
    ``parse`` turns the command's text into its arguments, once, at the edge: None when the user
    asked for help, ``UserFacingError`` for text it refuses. ``reply`` answers from those
    arguments (``user_id`` is who asks).
    """

    name: str
    arguments: str
    description: str
    details: Callable[[Settings], str]
    parse: Callable[[str, Settings], Args | None]
    reply: Callable[[Services, Args, str], Awaitable[Reply]]

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

    async def answer(self, services: Services, text: str, user_id: str) -> Reply:
        """The reply to this command with ``text``: its help, or its answer."""
        args = self.parse(text, services.settings)
        if args is None:
            return self.help(services.settings)
        return await self.reply(services, args, user_id)
