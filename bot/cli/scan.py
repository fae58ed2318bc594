"""`liqbot scan [--exchange ID]... [--source S] [--json]`: one scan of every active spot market,
stored, shown as the at-risk table (progress bars on stderr) or printed as the scan document.

After the table come the alerts this snapshot raises, as a dry run: checked against the stored
episodes, neither stored nor posted (only a scheduled snapshot posts them to ``ALERT_CHANNEL``).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.common import bad_usage, err, migrate, out, run, settings_or_exit
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.usecases.alerts import AlertBatch
    from bot.usecases.scan import ScanResult


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

    if source is not None and source not in ("live", "demo") and not source.startswith("replay:"):
        raise bad_usage(f"--source must be live, demo or replay:DIR (got {source!r})")
    settings = settings_or_exit(**({"market_source": source} if source else {}))
    exchanges = [e.lower() for e in exchange or []]
    unknown = [e for e in (exchange or []) if e.lower() not in settings.exchanges]
    if unknown:
        known = ",".join(settings.exchanges)
        raise bad_usage(f"--exchange {unknown[0]} is not in EXCHANGES ({known})")
    # A scan of some venues only is shown but not stored: the stored scans feed the at-risk list,
    # the digest and the history, whose global figures and home share need every venue.
    partial = bool(exchanges) and set(exchanges) != set(settings.exchanges)
    migrate(settings)
    if settings.market_source == "demo":
        err.print(DEMO_BANNER, style="bold yellow")
    result, alerts = _run_scan(settings, exchanges, store=not partial, transient=as_json)
    if partial:
        err.print(
            "partial scan (--exchange): shown, not stored; stored scans cover every venue",
            markup=False,
            highlight=False,
        )
    if as_json:
        sys.stdout.write(json.dumps(scan_document(result), separators=(",", ":")) + "\n")
    else:
        _print_at_risk(settings, result, top)
        if alerts is not None:
            _print_alerts(alerts)


def _run_scan(
    settings: Settings, exchanges: list[str], store: bool, transient: bool
) -> tuple[ScanResult, AlertBatch | None]:
    """One scan with progress bars on stderr (``transient``: erased when done), and the alerts
    it raises (a dry run; None for a scan not stored)."""
    from bot.usecases.alerts import check_alerts
    from bot.usecases.scan import run_scan
    from bot.wiring import build_services, freeze_startup

    async def go() -> tuple[ScanResult, AlertBatch | None]:
        services = build_services(settings)
        freeze_startup()
        try:
            with Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=transient,
            ) as progress:
                result = await run_scan(services, exchanges or None, _Bar(progress), store=store)
            if result.scan_id is None:
                return result, None
            return result, await check_alerts(services, result.scan_id, persist=False)
        finally:
            await services.close()

    return run(go)


def _print_alerts(batch: AlertBatch) -> None:
    """The alerts of the scan, as a scheduled snapshot would post them."""
    from bot.presenters.alerts import render_alerts_text

    out.print()
    if batch.baseline:
        line = "Alerts: none, this first snapshot is the baseline they are checked against."
    elif not (batch.opened or batch.recovered):
        line = "Alerts: no new alert and no recovery from this snapshot."
    else:
        line = (
            "Alerts of this snapshot (dry run: a scheduled snapshot posts them to ALERT_CHANNEL):"
        )
    out.print(line, markup=False, highlight=False)
    if batch.opened or batch.recovered:
        out.print(render_alerts_text(batch), markup=False, highlight=False, soft_wrap=True)


def _print_at_risk(settings: Settings, result: ScanResult, top: int) -> None:
    """The per-exchange lines and the ``top`` rows of the at-risk table on stdout."""
    from bot.market.demo import DEMO_BANNER
    from bot.presenters.table import apart_lines, at_risk_table, exchange_lines

    for line in exchange_lines(result):
        out.print(line, markup=False, highlight=False)
    title = (
        f"At-risk tokens on {settings.home_exchange}: "
        f"{len(result.at_risk)} of {len(result.tokens)} assessed"
    )
    if settings.market_source == "demo":
        title += f" — {DEMO_BANNER}"
    out.print(at_risk_table(list(result.at_risk[:top]), title))
    if len(result.at_risk) > top:
        out.print(f"… and {len(result.at_risk) - top} more (liqbot scan --top N, or --json)")
    for line in apart_lines(result):
        out.print(line, markup=False, highlight=False)
