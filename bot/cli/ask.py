"""`liqbot ask "/liquidity PEPE"`: any slash command run through the same parsing, use cases and
presenters as in Slack (``commands.slash.answer``), without Bolt or Slack.

The CLI prints ``AskAnswer.text`` (or ``blocks`` as JSON with ``--json``); for
``/liquidity … chart`` the PNG Slack would receive is in ``chart_png`` (file name
``chart_filename``), for the CLI to write out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.errors import UserFacingError
from bot.usecases.services import Services


@dataclass(frozen=True)
class AskAnswer:
    """A command's answer: plain text for a terminal and the Block Kit Slack would get."""

    text: str
    blocks: list[dict[str, Any]]
    chart_png: bytes | None = field(default=None, repr=False)
    chart_filename: str | None = None


def split_command_line(command_line: str) -> tuple[str, str]:
    """``"/liquidity PEPE okx"`` → ``("/liquidity", "PEPE okx")``; the leading "/" is optional."""
    command, _, text = command_line.strip().partition(" ")
    if not command:
        raise UserFacingError('Give a command, e.g. liqbot ask "/liquidity PEPE".')
    return ("/" + command.lstrip("/")).lower(), text.strip()


async def ask(services: Services, command_line: str, user_id: str = "cli") -> AskAnswer:
    """Answers ``command_line`` as the Slack command would (``UserFacingError`` for an unknown
    command or bad arguments)."""
    # Imported here: `commands` loads the Slack presenters, which other CLI commands never need.
    from commands.liquidity import chart_png
    from commands.slash import answer

    command, text = split_command_line(command_line)
    reply = await answer(services, command, text, user_id)
    if reply.chart_symbol is None:
        return AskAnswer(reply.text, reply.blocks)
    filename, _, png = await chart_png(services, reply.chart_symbol)
    return AskAnswer(reply.text, reply.blocks, png, filename)
