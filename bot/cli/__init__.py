"""`liqbot` command line: one console entry point (SPEC section 2).

Exit codes: 0 success, 1 runtime failure (one-line reason on stderr), 2 bad usage (typer/click).
Every command that touches the database applies the migrations first.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.demo import demo_app
from bot.cli.errors import one_line_reason
from bot.settings import Settings, load_settings

T = TypeVar("T")

app = typer.Typer(
    name="liqbot",
    help="liqbot: token liquidity, at-risk digest and outreach log for exchange risk teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
supply_app = typer.Typer(help="Circulating supply and market cap.", no_args_is_help=True)
outreach_app = typer.Typer(help="The outreach and reply log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(supply_app, name="supply")
app.add_typer(outreach_app, name="outreach")
app.add_typer(demo_app, name="demo", hidden=True)

# Piped output (make demo, CI logs) gets a wide table instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 180)
err = Console(stderr=True)


def fail(reason: str) -> typer.Exit:
    sys.stderr.write(f"liqbot: {reason}\n")  # one line, never wrapped
    return typer.Exit(1)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        settings = load_settings(**overrides)
    except Exception as exc:  # SettingsError, already one line and secret-free
        raise fail(one_line_reason(exc)) from None
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("alembic", "httpx", "aiosqlite"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return settings


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    """Run one async use case; any failure becomes a one-line reason and exit code 1."""
    try:
        return asyncio.run(coro_fn())  # type: ignore[arg-type]
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise fail("interrupted") from None
    except Exception as exc:
        logging.getLogger("liqbot").debug("command failed", exc_info=True)
        raise fail(one_line_reason(exc)) from None


def migrate(settings: Settings) -> None:
    from bot.db.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except Exception as exc:
        raise fail(f"database upgrade failed: {one_line_reason(exc)}") from None


# --- db ------------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (Alembic)."""
    settings = settings_or_exit()
    migrate(settings)
    out.print("database is up to date")


# --- scan ----------------------------------------------------------------------------------------


class _Bar:
    """Scan progress on stderr: one bar per exchange."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, Any] = {}

    def exchange_started(self, exchange: str, markets: int) -> None:
        self.tasks[exchange] = self.progress.add_task(exchange, total=markets or None)

    def market_done(self, exchange: str) -> None:
        if exchange in self.tasks:
            self.progress.advance(self.tasks[exchange])


@app.command()
def scan(
    exchange: Annotated[
        list[str] | None, typer.Option("--exchange", help="ccxt id; repeat for several.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="live, demo or replay:DIR (default: MARKET_SOURCE).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scan document.")] = False,
    top: Annotated[int, typer.Option(help="Rows in the at-risk table.")] = 25,
) -> None:
    """Scan all active spot markets, store snapshots, print the at-risk table (or --json)."""
    from bot.market.demo import DEMO_BANNER
    from bot.presenters.scan_doc import scan_document
    from bot.presenters.table import at_risk_table, exchange_lines
    from bot.usecases.scan import run_scan
    from bot.wiring import build_services

    if source is not None and source not in ("live", "demo") and not source.startswith("replay:"):
        sys.stderr.write(f"liqbot: --source must be live, demo or replay:DIR (got {source!r})\n")
        raise typer.Exit(2)
    settings = settings_or_exit(**({"market_source": source} if source else {}))
    # A scan of some venues only is shown but not stored: the stored scans feed the at-risk list,
    # the digest and the history, whose global figures and home share need every venue.
    partial = bool(exchange) and {e.lower() for e in exchange or []} != set(settings.exchanges)
    unknown = [e for e in (exchange or []) if e.lower() not in settings.exchanges]
    if unknown:
        known = ",".join(settings.exchanges)
        sys.stderr.write(f"liqbot: --exchange {unknown[0]} is not in EXCHANGES ({known})\n")
        raise typer.Exit(2)
    migrate(settings)
    demo = settings.market_source == "demo"
    if demo:
        err.print(DEMO_BANNER, style="bold yellow")

    async def go() -> Any:
        services = build_services(settings)
        try:
            with Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=as_json,
            ) as progress:
                return await run_scan(
                    services,
                    [e.lower() for e in exchange or []] or None,
                    _Bar(progress),
                    store=not partial,
                )
        finally:
            await services.close()

    result = run(go)
    if partial:
        err.print(
            "partial scan (--exchange): shown, not stored; stored scans cover every venue",
            markup=False,
            highlight=False,
        )
    if as_json:
        sys.stdout.write(json.dumps(scan_document(result), separators=(",", ":")) + "\n")
        return
    for line in exchange_lines(result):
        out.print(line, markup=False, highlight=False)
    title = (
        f"At-risk tokens on {settings.home_exchange}: "
        f"{len(result.at_risk)} of {len(result.tokens)} assessed"
    )
    if demo:
        title += f" — {DEMO_BANNER}"
    out.print(at_risk_table(list(result.at_risk[:top]), title))
    if len(result.at_risk) > top:
        out.print(f"… and {len(result.at_risk) - top} more (liqbot scan --top N, or --json)")


# --- supply --------------------------------------------------------------------------------------


@supply_app.command("import")
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
    """Import circulating supply / market cap; a malformed file is rejected whole."""
    from bot.usecases.supply import import_supply, read_demo_supply, read_supply_file

    if (file is None) == (not demo):
        sys.stderr.write("liqbot: give a FILE or --demo (not both)\n")
        raise typer.Exit(2)
    settings = settings_or_exit()
    try:
        records = read_demo_supply() if demo else read_supply_file(file)  # type: ignore[arg-type]
    except Exception as exc:
        raise fail(one_line_reason(exc)) from None
    migrate(settings)
    count = run(lambda: import_supply(settings, records))
    out.print(f"imported supply for {count} tokens")


# --- record --------------------------------------------------------------------------------------


@app.command()
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
    count = run(
        lambda: record_cassette(
            exchange.lower(),
            list(symbol or []) or None,
            out_dir,
            settings.quote_assets,
            settings.orderbook_limit,
        )
    )
    out.print(f"recorded {count} requests into {out_dir / (exchange.lower() + '.jsonl')}")


# --- digest / ask / outreach export --------------------------------------------------------------


async def _with_services(settings: Settings, use: Callable[[Any], Awaitable[T]]) -> T:
    from bot.wiring import build_services

    services = build_services(settings)
    try:
        return await use(services)
    finally:
        await services.close()


@app.command()
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
        lambda: _with_services(
            settings, lambda s: run_digest(s, channel=channel, dry_run=dry_run, force=force)
        )
    )
    if dry_run:
        out.print(done.text, markup=False, highlight=False)
    if done.status == "gave_up":
        raise fail(done.message)  # nothing went out: scripts must see a failure
    err.print(done.message, markup=False, highlight=False)


@app.command()
def ask(
    command_line: Annotated[str, typer.Argument(help='A slash command, e.g. "/liquidity PEPE".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Block Kit JSON.")] = False,
    chart_out: Annotated[
        Path | None, typer.Option("--chart-out", help="Where to write a `chart` PNG.")
    ] = None,
) -> None:
    """Run a slash command through the same handlers as Slack and print the answer."""
    from bot.cli.ask import ask as ask_command

    settings = settings_or_exit()
    migrate(settings)
    answer = run(lambda: _with_services(settings, lambda s: ask_command(s, command_line)))
    if as_json:
        sys.stdout.write(json.dumps({"text": answer.text, "blocks": answer.blocks}) + "\n")
    else:
        out.print(answer.text, markup=False, highlight=False)
    if answer.chart_png is not None:
        target = chart_out or Path(answer.chart_filename or "depth-chart.png")
        try:
            target.write_bytes(answer.chart_png)
        except OSError as exc:
            raise fail(f"cannot write the chart to {target}: {exc.strerror}") from None
        err.print(f"depth chart written to {target}", markup=False, highlight=False)


@outreach_app.command("export")
def outreach_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Dump the outreach and reply log (with contribution pledges) to stdout."""
    import csv

    from bot.usecases.outreach.log import EXPORT_COLUMNS, export_outreach

    if fmt not in ("csv", "json"):
        sys.stderr.write("liqbot: --format must be csv or json\n")
        raise typer.Exit(2)
    settings = settings_or_exit()
    migrate(settings)
    rows = run(lambda: _with_services(settings, export_outreach))
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
        return
    columns: list[str] = list(EXPORT_COLUMNS)  # the header even when nothing is logged yet
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


# --- serve / manifest ----------------------------------------------------------------------------


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="HTTP port (default: PORT).")] = None,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Serve Slack only; run no jobs.")
    ] = False,
) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP (POST /slack/events)."""
    from bot.serve import serve as serve_bot

    settings = settings_or_exit()
    migrate(settings)
    try:
        asyncio.run(serve_bot(settings, port, scheduler=not no_scheduler))
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        raise fail(one_line_reason(exc)) from None


@app.command()
def manifest(
    url: Annotated[
        str | None,
        typer.Option(help="Public https URL of liqbot (omit for a Socket Mode manifest)."),
    ] = None,
) -> None:
    """Print the Slack app manifest (paste it at api.slack.com/apps → Create New App)."""
    from bot.slack.manifest import render_manifest

    try:
        text = render_manifest(url.rstrip("/") if url else None)
    except ValueError as exc:
        sys.stderr.write(f"liqbot: {exc}\n")
        raise typer.Exit(2) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def main() -> None:
    try:
        app()
    except SystemExit:
        raise


if __name__ == "__main__":
    main()
