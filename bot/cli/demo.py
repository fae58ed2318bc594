"""`liqbot demo history [--days N]`: a week of generated DEMO DATA snapshots before today's demo
scan (``bot.usecases.demo_history``), for `make demo`. Only with MARKET_SOURCE=demo, into a
database without scans."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import migrate, out, run, settings_or_exit, with_services

app = typer.Typer(help="DEMO DATA helpers for `make demo`.", no_args_is_help=True)


@app.command("history")
def demo_history(
    days: Annotated[int, typer.Option(min=2, max=30, help="Days of history before now.")] = 7,
) -> None:
    """Write one generated demo snapshot a day for the last DAYS days (assessed, alerts checked,
    nothing posted), so today's `liqbot scan` and digest have a past to compare with."""
    from bot.usecases.demo_history import DemoHistory, write_demo_history

    settings = settings_or_exit()
    migrate(settings)

    async def write() -> DemoHistory:
        return await with_services(settings, lambda s: write_demo_history(s, days))

    history = run(write)
    alerts = ", ".join(history.alerts) or "none"
    out.print(
        f"DEMO DATA history: {history.snapshots} daily snapshots before today; alerts they "
        f"opened: {alerts}",
        markup=False,
        highlight=False,
    )
