"""The snapshot job (SPEC 7): every ``SNAPSHOT_INTERVAL_MINUTES``, one scan of all markets and the
history down-sampled (``bot.usecases.snapshot.take_snapshot``), then the slot's alerts
(``jobs.alerts``).

One run per interval slot (the ledger period is the slot start), whoever fires it: the interval
trigger, the catch-up after a restart, or another replica. The alerts run follows the snapshot
run of the slot whether this call ran it or found it done, so alerts a crash left behind are
caught up; a worker that finds the snapshot still running leaves both to its runner.
"""

from __future__ import annotations

from typing import Any

from bot.usecases.ledger import RunOutcome, run_once
from bot.usecases.services import Services
from bot.usecases.snapshot import SnapshotRun, snapshot_summary, take_snapshot
from jobs.alerts import alerts_job
from jobs.scheduler import snapshot_period

JOB = "snapshot"


async def snapshot_job(services: Services) -> RunOutcome:
    """Snapshot the current slot unless it is done (or being done) already."""
    period = snapshot_period(services.settings, services.clock())

    async def work() -> SnapshotRun:
        return await take_snapshot(services)

    outcome = await run_once(services, JOB, period, work, summarize=snapshot_summary)
    scan_id = stored_scan_id(outcome)
    if scan_id is not None:
        await alerts_job(services, period, scan_id)
    return outcome


def stored_scan_id(outcome: RunOutcome) -> int | None:
    """The scan a done snapshot run stored (from its result, or its ledger summary)."""
    result: Any = outcome.result
    if outcome.status == "done" and isinstance(result, SnapshotRun):
        return result.scan_id
    if outcome.status == "already_done" and isinstance(result, dict):
        scan_id = result.get("scan_id")
        return scan_id if isinstance(scan_id, int) else None
    return None
