"""`liqbot record --exchange ID [--symbol S]... --out DIR`: a cassette recorded from the live
exchange (SPEC section 5), for replay in tests and demos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import out, run, settings_or_exit


def record(
    exchange: Annotated[str, typer.Option("--exchange", help="ccxt id of the exchange.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Cassette directory to write.")],
    symbol: Annotated[
        list[str] | None,
        typer.Option("--symbol", help="Market, e.g. PEPE/USDT; repeat. Default: all."),
    ] = None,
) -> None:
    """Record a cassette from the live exchange (network needed)."""
    from bot.market.record import record_cassette

    settings = settings_or_exit()
    recording = run(
        lambda: record_cassette(
            exchange.lower(),
            list(symbol or []) or None,
            out_dir,
            settings.quote_assets,
            settings.orderbook_limit,
        )
    )
    out.print(f"recorded {recording.requests} requests into {recording.path}")
