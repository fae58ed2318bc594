"""The snapshot job (SPEC 7): every ``SNAPSHOT_INTERVAL_MINUTES``, one scan of all markets and the
history down-sampled (``bot.usecases.snapshot.take_snapshot``).

One run per interval slot (the ledger period is the slot start), whoever fires it: the interval
trigger, the catch-up after a restart, or another replica.
"""

from __future__ import annotations

from bot.usecases.ledger import RunOutcome, run_once
from bot.usecases.services import Services
from bot.usecases.snapshot import SnapshotRun, snapshot_summary, take_snapshot
from jobs.scheduler import snapshot_period

JOB = "snapshot"


async def snapshot_job(services: Services) -> RunOutcome:
    """Snapshot the current slot unless it is done (or being done) already."""
    period = snapshot_period(services.settings, services.clock())

    async def work() -> SnapshotRun:
        return await take_snapshot(services)

    return await run_once(services, JOB, period, work, summarize=snapshot_summary)
