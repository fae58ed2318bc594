"""`liqbot report [--dry-run] [--week YYYY-Www]`: the weekly report of the previous ISO week (in
``TIMEZONE``) or of the given one, posted once to REPORT_CHANNEL (default DIGEST_CHANNEL) with its
charts, or printed."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import (
    bad_usage,
    err,
    fail,
    migrate,
    out,
    run,
    settings_or_exit,
    with_services,
)
from bot.domain.calendar import week_monday
from bot.domain.text_safety import terminal_text


def report(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print it; post nothing.")] = False,
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2026-W47 (default: the previous one).")
    ] = None,
) -> None:
    """Build the weekly report and post it (once per channel and week), or print it."""
    from jobs.report import run_report

    if week is not None:
        try:
            week_monday(week)
        except ValueError as exc:
            raise bad_usage(f"--week: {exc}") from None
    settings = settings_or_exit()
    migrate(settings)
    done = run(lambda: with_services(settings, lambda s: run_report(s, week, dry_run)))
    if dry_run:
        out.print(terminal_text(done.text), markup=False, highlight=False)
    if done.status == "gave_up":
        raise fail(done.message)
    err.print(done.message, markup=False, highlight=False)
