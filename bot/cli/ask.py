"""`liqbot ask "/liquidity PEPE" [--json]`: any slash command run through the same parsing, use
cases and presenters as in Slack (``commands.slash.answer``), without Bolt or Slack.

``ask_command`` prints ``AskAnswer.text`` (or ``blocks`` as JSON with ``--json``); for
``/liquidity … chart`` or ``… history`` the PNG Slack would receive is in ``chart_png`` (file name
``chart_filename``), which it writes out (``--chart-out F``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.common import err, fail, migrate, out, run, settings_or_exit, with_services
from bot.domain.text_safety import terminal_text
from bot.errors import UserFacingError

if TYPE_CHECKING:  # `liqbot` loads every command's module at start: no database or ccxt yet
    from bot.usecases.services import Services


CLI_USER = "cli"
"""Who `liqbot ask` asks as without ``--user``."""


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


async def ask(services: Services, command_line: str, user_id: str = CLI_USER) -> AskAnswer:
    """Answers ``command_line`` as the Slack command would, asked (and, for a command that
    writes, audited) as ``user_id`` (``UserFacingError`` for an unknown command or bad
    arguments)."""
    # Imported here: `commands` loads Slack and the presenters, which `liqbot scan` never needs.
    from bot.usecases.outreach import Actor
    from commands.declarations import Asker
    from commands.liquidity import chart_png
    from commands.slash import answer

    command, text = split_command_line(command_line)
    reply = await answer(services, command, text, Asker(user_id, actor=Actor(user_id, None)))
    if reply.chart is None:
        return AskAnswer(reply.text, reply.blocks)
    chart = await chart_png(services, reply.chart)
    return AskAnswer(reply.text, reply.blocks, chart.content, chart.filename)


def ask_command(
    command_line: Annotated[str, typer.Argument(help='A slash command, e.g. "/liquidity PEPE".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Block Kit JSON.")] = False,
    chart_out: Annotated[
        Path | None,
        typer.Option("--chart-out", help="Where to write a `chart` or `history` PNG."),
    ] = None,
    user: Annotated[
        str, typer.Option("--user", help="Who asks (a Slack user id); audited as such.")
    ] = CLI_USER,
) -> None:
    """Run a slash command through the same handlers as Slack and print the answer."""
    settings = settings_or_exit()
    migrate(settings)
    answer = run(lambda: with_services(settings, lambda s: ask(s, command_line, user)))
    if as_json:
        sys.stdout.write(json.dumps({"text": answer.text, "blocks": answer.blocks}) + "\n")
    else:
        out.print(terminal_text(answer.text), markup=False, highlight=False)
    if answer.chart_png is not None:
        target = chart_out or Path(answer.chart_filename or "depth-chart.png")
        try:
            target.write_bytes(answer.chart_png)
        except OSError as exc:
            raise fail(f"cannot write the chart to {target}: {exc.strerror}") from None
        err.print(f"chart written to {target}", markup=False, highlight=False)
