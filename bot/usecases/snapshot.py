"""Use case: one snapshot of all markets (SPEC 7), the body of the snapshot job.

A scan stored in bulk by the scan use case, then history older than ``SNAPSHOT_RETENTION_DAYS``
down-sampled to one snapshot per market and UTC day. ``jobs.snapshot`` runs it once per
``SNAPSHOT_INTERVAL_MINUTES`` slot through the run ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db import repo_history
from bot.usecases.scan import run_scan
from bot.usecases.services import Services

DOWNSAMPLE_DAYS_PER_RUN = 31
"""Days collapsed per run at most: a first run over a long history is spread over several slots,
one committed day at a time, so scans keep being stored meanwhile (SQLite has one writer)."""


@dataclass(frozen=True)
class SnapshotRun:
    scan_id: int | None
    markets: int
    markets_ok: int
    tokens: int
    at_risk: int
    venues_not_scanned: tuple[str, ...]
    snapshots_removed: int


async def downsample_history(services: Services, now: datetime) -> int:
    """Collapse raw snapshots older than the retention to daily ones, a day per transaction;
    returns the number of snapshots removed."""
    cutoff = now - timedelta(days=services.settings.snapshot_retention_days)
    removed = 0
    for _ in range(DOWNSAMPLE_DAYS_PER_RUN):
        async with services.session() as session:
            day_removed = await repo_history.downsample_snapshots(session, cutoff, max_days=1)
        removed += day_removed
        if day_removed == 0:
            break
    return removed


async def take_snapshot(services: Services) -> SnapshotRun:
    """The job body: scan and store, then down-sample the old history."""
    result = await run_scan(services)
    removed = await downsample_history(services, services.clock())
    return SnapshotRun(
        scan_id=result.scan_id,
        markets=len(result.markets),
        markets_ok=sum(1 for m in result.markets if m.ok),
        tokens=len(result.tokens),
        at_risk=len(result.at_risk),
        venues_not_scanned=tuple(s.exchange for s in result.exchanges if s.error),
        snapshots_removed=removed,
    )


def snapshot_summary(run: SnapshotRun) -> dict[str, Any]:
    """What the run ledger keeps of a snapshot run."""
    return {
        "scan_id": run.scan_id,
        "markets": run.markets,
        "markets_ok": run.markets_ok,
        "tokens": run.tokens,
        "at_risk": run.at_risk,
        "venues_not_scanned": list(run.venues_not_scanned),
        "snapshots_removed": run.snapshots_removed,
    }
