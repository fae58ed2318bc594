"""`liqbot manifest [--url URL]`: the Slack app manifest, with the slash commands as declared in
``commands`` (the renderer in ``bot.slack.manifest`` takes them as data)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.cli.common import bad_usage


def manifest(
    url: Annotated[
        str | None,
        typer.Option(help="Public https URL of liqbot (omit for a Socket Mode manifest)."),
    ] = None,
) -> None:
    """Print the Slack app manifest (paste it at api.slack.com/apps → Create New App)."""
    # Imported here: the declarations load the Slack presenters, which other commands never need.
    from bot.slack.manifest import render_manifest
    from commands.slash import SLASH_COMMANDS

    try:
        text = render_manifest(url.rstrip("/") if url else None, SLASH_COMMANDS)
    except ValueError as exc:
        raise bad_usage(str(exc)) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
