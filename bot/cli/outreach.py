"""`liqbot outreach export [--format csv|json] [--cases] [--since D] [--until D]`: the outreach
cases' events (or one row per case) on stdout, names as stored, amounts rounded, times in
TIMEZONE, safe to open in a spreadsheet."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer

from bot.cli.common import bad_usage, migrate, run, settings_or_exit, with_services

app = typer.Typer(help="The outreach cases.", no_args_is_help=True)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_usage(f"{option} must be a date as YYYY-MM-DD") from None


@app.command("export")
def outreach_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    cases: Annotated[bool, typer.Option("--cases", help="One row per case.")] = False,
    since: Annotated[
        str | None, typer.Option("--since", help="From this day (YYYY-MM-DD, TIMEZONE).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this day, included.")] = None,
) -> None:
    """Dump the cases' events (or, with --cases, one row per case) to stdout."""
    from bot.presenters.csv_text import csv_text
    from bot.usecases.outreach.export import (
        CASE_COLUMNS,
        EVENT_COLUMNS,
        export_cases,
        export_events,
    )

    if fmt not in ("csv", "json"):
        raise bad_usage("--format must be csv or json")
    first, last = _day(since, "--since"), _day(until, "--until")
    if first is not None and last is not None and first > last:
        raise bad_usage("--since must not be after --until")
    settings = settings_or_exit()
    migrate(settings)
    export = export_cases if cases else export_events
    rows = run(lambda: with_services(settings, lambda s: export(s, first, last)))
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, default=str, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(csv_text(rows, CASE_COLUMNS if cases else EVENT_COLUMNS))
