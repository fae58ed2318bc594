"""`liqbot serve [--port N] [--no-scheduler]`: the migrations, then the bot (``bot.serve``)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.cli.common import fail, migrate, settings_or_exit
from bot.cli.errors import one_line_reason


def serve(
    port: Annotated[int | None, typer.Option(help="HTTP port (default: PORT).")] = None,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Serve Slack only; run no jobs.")
    ] = False,
) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP (POST /slack/events)."""
    from bot.serve import serve as serve_bot

    settings = settings_or_exit()
    try:
        # The migrations run while the exchanges' market lists load (``bot.serve``).
        asyncio.run(
            serve_bot(settings, port, scheduler=not no_scheduler, prepare=lambda: migrate(settings))
        )
    except KeyboardInterrupt:
        pass
    except typer.Exit:  # the migrations failed; the reason is printed
        raise
    except Exception as exc:
        raise fail(one_line_reason(exc)) from None
