"""`liqbot supply import FILE`: circulating supply and market cap from a CSV or a CoinGecko JSON
array; a malformed file is rejected whole, naming the line or entry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import bad_usage, fail, migrate, out, run, settings_or_exit
from bot.cli.errors import one_line_reason

app = typer.Typer(help="Circulating supply and market cap.", no_args_is_help=True)


@app.command("import")
def supply_import(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="CSV (symbol,circulating_supply[,market_cap_usd,name]) or CoinGecko JSON."
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Import the demo tokens' supply file.")
    ] = False,
) -> None:
    """Import circulating supply / market cap; a malformed file is rejected whole (at most 20 MB
    and 100,000 tokens, a regular file)."""
    from bot.usecases.supply import import_supply, read_demo_supply, read_supply_file

    if (file is None) == (not demo):
        raise bad_usage("give a FILE or --demo (not both)")
    settings = settings_or_exit()
    try:
        records = read_demo_supply() if demo else read_supply_file(file)  # type: ignore[arg-type]
    except Exception as exc:
        raise fail(one_line_reason(exc)) from None
    migrate(settings)
    count = run(lambda: import_supply(settings, records))
    out.print(f"imported supply for {count} tokens")
