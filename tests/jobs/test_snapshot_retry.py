"""A slot's assessment that committed, then failed before the run ledger recorded it (the ledger
write lost, the process gone, the down-sampling after it failing): the retry of the slot finds
the scan finished and stores nothing a second time, neither the assessments nor the
market-maker checks, nor re-stamps the snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import repo_ledger
from bot.db.tables import ASSESSMENTS, MM_DAYS, SCANS, SNAPSHOTS
from bot.usecases.services import Services
from bot.usecases.snapshot import ASSESS_JOB, SnapshotRun
from jobs.scheduler import snapshot_period
from jobs.snapshot import snapshot_job
from tests.builders import NOW, Clock
from tests.conftest import MakeServices
from tests.fakes.db_faults import InjectedFault, failing


def _values(parameters: Any) -> list[Any]:
    # One row's parameters: a tuple (SQLite) or a mapping (psycopg).
    return list(parameters.values()) if isinstance(parameters, dict) else list(parameters)


def ledger_records_the_assessment(sql: str, parameters: Any) -> bool:
    values = _values(parameters)
    return sql.startswith("UPDATE job_runs") and ASSESS_JOB in values and "done" in values


def history_is_downsampled(sql: str, parameters: Any) -> bool:
    return sql.startswith("SELECT min(liquidity_snapshots.taken_at)")


async def stored(services: Services, scan_id: int) -> dict[str, Any]:
    """What the slot's scan stored: its finish, its snapshots' times, assessments and checks."""
    async with services.session() as session:

        async def one(stmt: Any) -> Any:
            return (await session.execute(stmt)).scalar_one()

        return {
            "finished_at": await one(select(SCANS.c.finished_at).where(SCANS.c.id == scan_id)),
            "taken_at": (
                await session.execute(
                    select(SNAPSHOTS.c.taken_at).where(SNAPSHOTS.c.scan_id == scan_id).distinct()
                )
            )
            .scalars()
            .all(),
            "assessments": await one(select(func.count()).where(ASSESSMENTS.c.scan_id == scan_id)),
            "checked_snapshots": await one(select(func.sum(MM_DAYS.c.snapshots))),
            "check_rows": await one(select(func.count()).select_from(MM_DAYS)),
        }


@pytest.mark.parametrize(
    "fault",
    [ledger_records_the_assessment, history_is_downsampled],
    ids=["ledger-write-fails", "downsampling-fails"],
)
async def test_a_slot_retried_after_its_assessment_committed_stores_it_once(
    make_services: MakeServices, clock: Clock, fault: Callable[[str, Any], bool]
) -> None:
    crashed = make_services(exchanges="binance,okx")
    period = snapshot_period(crashed.settings, NOW)
    with failing(crashed.engine, fault) as failed, pytest.raises(InjectedFault):
        await snapshot_job(crashed, stagger_s=0)
    assert failed
    async with crashed.session() as session:
        scan_id = (
            await session.execute(select(SCANS.c.id).where(SCANS.c.slot == period))
        ).scalar_one()
    first = await stored(crashed, scan_id)
    assert first["finished_at"] is not None and first["assessments"] > 0
    assert first["checked_snapshots"] > 0

    clock.advance(minutes=5)  # the dead runner's claim goes stale; still the same slot
    assert snapshot_period(crashed.settings, clock.now) == period
    restarted = make_services(exchanges="binance,okx")
    outcome = await snapshot_job(restarted, stagger_s=0)

    assert outcome.status == "done"
    assert isinstance(outcome.result, SnapshotRun) and outcome.result.scan_id == scan_id
    assert outcome.result.tokens == first["assessments"]
    assert await stored(restarted, scan_id) == first
    run = await repo_ledger.get_run(restarted.engine, ASSESS_JOB, period)
    assert run is not None and (run.status, run.attempts) == ("done", 2)
    assert run.result["scan_id"] == scan_id and run.result["tokens"] == first["assessments"]
