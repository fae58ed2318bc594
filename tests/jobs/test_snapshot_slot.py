"""The snapshot job in one process (SPEC 7): a slot's exchanges scanned and stored through their own
run ledger claims, the slot assessed once into one finished scan, and nothing run twice when the
job fires again for the same slot."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db import repo_ledger, repo_market
from bot.db.tables import SCANS, SNAPSHOTS
from bot.usecases.services import Services
from bot.usecases.snapshot import exchange_job
from jobs.scheduler import snapshot_period
from jobs.snapshot import snapshot_job
from tests.builders import NOW
from tests.conftest import MakeServices


async def test_a_slot_is_scanned_per_exchange_then_assessed_once(
    make_services: MakeServices,
) -> None:
    services: Services = make_services(exchanges="binance,okx,bybit")
    period = snapshot_period(services.settings, NOW)

    first = await snapshot_job(services)
    again = await snapshot_job(services)

    assert (first.status, again.status) == ("done", "already_done")
    for exchange in ("binance", "okx", "bybit"):
        run = await repo_ledger.get_run(services.engine, exchange_job(exchange), period)
        assert run is not None and (run.status, run.attempts) == ("done", 1)
        assert run.result["requests"] >= 2 + run.result["markets"] > 2
    async with services.session() as session:
        [scan] = (await session.execute(select(SCANS).where(SCANS.c.slot == period))).mappings()
        rows = await session.execute(
            select(func.count(), func.min(SNAPSHOTS.c.taken_at), func.max(SNAPSHOTS.c.taken_at))
            .select_from(SNAPSHOTS)
            .where(SNAPSHOTS.c.scan_id == scan["id"])
        )
        count, earliest, latest = rows.one()
        latest_scan = await repo_market.latest_scan(session)
    assert count == scan["markets_count"] > 0
    assert earliest == latest == scan["finished_at"]  # every snapshot taken at the scan's finish
    assert latest_scan is not None and latest_scan.id == scan["id"] == first.result.scan_id
    assert set(scan["exchanges"]) == {"binance", "okx", "bybit"}
