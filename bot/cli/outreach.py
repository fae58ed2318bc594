"""`liqbot outreach export [--format csv|json]`: the outreach and reply log on stdout, safe to
open in a spreadsheet."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from bot.cli.common import bad_usage, migrate, run, settings_or_exit, with_services

app = typer.Typer(help="The outreach and reply log.", no_args_is_help=True)


@app.command("export")
def outreach_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Dump the outreach and reply log (with contribution pledges) to stdout."""
    from bot.presenters.csv_text import csv_text
    from bot.usecases.outreach.log import EXPORT_COLUMNS, export_outreach

    if fmt not in ("csv", "json"):
        raise bad_usage("--format must be csv or json")
    settings = settings_or_exit()
    migrate(settings)
    rows = run(lambda: with_services(settings, export_outreach))
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
        return
    sys.stdout.write(csv_text(rows, EXPORT_COLUMNS))  # formula- and escape-safe cells
