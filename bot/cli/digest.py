"""`liqbot digest [--dry-run] [--channel C] [--force]`: today's at-risk digest, posted (once per
channel and day unless --force) or printed."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import err, fail, migrate, out, run, settings_or_exit, with_services
from bot.domain.text_safety import terminal_text


def digest(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print it; post nothing.")] = False,
    channel: Annotated[
        str | None, typer.Option(help="Channel id (default: DIGEST_CHANNEL).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Post even if today's digest was posted.")
    ] = False,
) -> None:
    """Build today's at-risk digest and post it (idempotent per channel and day)."""
    from jobs.digest import run_digest

    settings = settings_or_exit()
    migrate(settings)
    done = run(
        lambda: with_services(
            settings, lambda s: run_digest(s, channel=channel, dry_run=dry_run, force=force)
        )
    )
    if dry_run:
        out.print(terminal_text(done.text), markup=False, highlight=False)
    if done.status == "gave_up":
        raise fail(done.message)  # nothing went out: scripts must see a failure
    err.print(done.message, markup=False, highlight=False)
