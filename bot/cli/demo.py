"""`liqbot demo history` (hidden): DEMO DATA history for `make demo`, which needs days of
snapshots behind its market-maker statuses (``bot.usecases.demo_history``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

demo_app = typer.Typer(help="DEMO DATA helpers for `make demo`.", no_args_is_help=True)


@demo_app.command("history")
def demo_history(
    days: Annotated[int, typer.Option(min=1, max=30, help="Days of hourly scans.")] = 10,
) -> None:
    """Store DEMO DATA history: hourly scans of the demo cassette over the last DAYS days, and
    the demo's outreach records (MARKET_SOURCE=demo only)."""
    from bot.cli.common import migrate, out, run, settings_or_exit
    from bot.market.demo import DEMO_BANNER
    from bot.usecases.demo_history import DemoHistory, write_demo_history
    from bot.wiring import build_services

    settings = settings_or_exit()
    if settings.market_source != "demo":
        sys.stderr.write("liqbot: demo history writes DEMO DATA: set MARKET_SOURCE=demo\n")
        raise typer.Exit(2)
    migrate(settings)

    async def go() -> DemoHistory:
        services = build_services(settings)
        try:
            return await write_demo_history(services, days)
        finally:
            await services.close()

    done = run(go)
    out.print(
        f"{DEMO_BANNER}: {done.scans} hourly scans stored, {done.first:%Y-%m-%d %H:%M} to "
        f"{done.last:%Y-%m-%d %H:%M} UTC, and {done.replies} outreach replies",
        markup=False,
        highlight=False,
    )
