"""The snapshot job (SPEC 7): every ``SNAPSHOT_INTERVAL_MINUTES``, the slot's exchanges scanned and
stored, the slot assessed and the history down-sampled (``bot.usecases.snapshot.take_slot``),
then the slot's alerts (``jobs.alerts``).

Whoever fires it (the interval trigger, the catch-up after a restart, another replica) takes its
share of the slot: the exchanges nobody has claimed (or whose runner died), and the assessment
once every exchange is stored. The alerts run follows the slot's assessment whether this call ran
it or found it done, so alerts a crash left behind are caught up; a worker that finds the slot
still being scanned or assessed elsewhere leaves both to the others.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.usecases.ledger import STALE_AFTER, RunOutcome
from bot.usecases.services import Services
from bot.usecases.snapshot import ASSESS_JOB, CLAIM_STAGGER_S, SnapshotRun, take_slot
from jobs.alerts import alerts_job
from jobs.scheduler import snapshot_period

JOB = ASSESS_JOB


async def snapshot_job(
    services: Services,
    *,
    stale_after: timedelta = STALE_AFTER,
    stagger_s: float = CLAIM_STAGGER_S,
) -> RunOutcome:
    """This replica's share of the current slot, then its alerts once the slot is assessed."""
    period = snapshot_period(services.settings, services.clock())
    outcome = await take_slot(services, period, stale_after=stale_after, stagger_s=stagger_s)
    scan_id = stored_scan_id(outcome)
    if scan_id is not None:
        await alerts_job(services, period, scan_id)
    return outcome


def stored_scan_id(outcome: RunOutcome) -> int | None:
    """The scan a done slot assessment stored (from its result, or its ledger summary)."""
    result: Any = outcome.result
    if outcome.status == "done" and isinstance(result, SnapshotRun):
        return result.scan_id
    if outcome.status == "already_done" and isinstance(result, dict):
        scan_id = result.get("scan_id")
        return scan_id if isinstance(scan_id, int) else None
    return None
