"""Several replicas on one PostgreSQL share a snapshot slot (SPEC 7): each exchange is scanned
once per slot, by whichever replica claimed it, and the slot is assessed once; a replica that dies
mid-scan has its exchange taken over once its claim goes stale."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import repo_ledger
from bot.db.tables import SCANS, SNAPSHOTS
from bot.usecases.services import Services
from bot.usecases.snapshot import exchange_job
from jobs.scheduler import snapshot_period
from tests.builders import DIGEST_CHANNEL
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn

ROOT = Path(__file__).resolve().parents[2]
EXCHANGES = ("binance", "okx", "bybit")


def worker(db_url: str, slack_api: SlackApiStandIn, processes: int, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.jobs.job_worker",
        str(processes),
        db_url,
        slack_api.api_url,
        slack_api.token,
        DIGEST_CHANNEL,
        "snapshot",
        *args,
    ]


def reports(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


async def slot_state(services: Services, period: str) -> dict[str, Any]:
    """The slot's ledger runs and its scan as stored."""
    runs = {
        e: await repo_ledger.get_run(services.engine, exchange_job(e), period) for e in EXCHANGES
    }
    assessed = await repo_ledger.get_run(services.engine, "snapshot", period)
    async with services.session() as session:
        scans = (
            (await session.execute(select(SCANS).where(SCANS.c.slot == period))).mappings().all()
        )
        [scan] = scans
        rows = (
            await session.execute(
                select(func.count()).select_from(SNAPSHOTS).where(SNAPSHOTS.c.scan_id == scan["id"])
            )
        ).scalar_one()
    return {"runs": runs, "assessed": assessed, "scan": scan, "rows": rows}


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_three_replicas_scan_each_exchange_once_and_assess_the_slot_once(
    db_url: str, make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services: Services = make_services(use_clock=False)
    launched = subprocess.run(
        worker(db_url, slack_api, 3, "180", "0"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert launched.returncode == 0, launched.stderr[-3000:]
    done = reports(launched.stdout)
    print(f"three replicas: {done}")
    period = snapshot_period(services.settings, datetime.now(UTC))
    state = await slot_state(services, period)

    assert len(done) == 3
    assert sorted(r["status"] for r in done).count("done") == 1  # one replica assessed the slot
    for exchange in EXCHANGES:
        run = state["runs"][exchange]
        # claimed and scanned once: its market list, tickers and one book per market
        assert run is not None and run.status == "done" and run.attempts == 1
        summary = state["scan"]["exchanges"][exchange]
        assert run.result["requests"] == 2 + summary["markets"]
        # no replica asked anything the scan did not count (the rest: the assessing replica's
        # deeper re-fetches of thin at-risk books, and the market list they needed)
        assert sum(r["requests"][exchange] for r in done) == summary["requests"]
    scanned_by = [sum(1 for r in done if r["requests"][e] >= 2) for e in EXCHANGES]
    print(f"replicas that scanned binance, okx, bybit: {scanned_by}")
    assert state["assessed"] is not None and state["assessed"].attempts == 1
    scan = state["scan"]
    assert scan["finished_at"] is not None and state["rows"] == scan["markets_count"] > 0
    assert state["assessed"].result["scan_id"] == scan["id"]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_an_exchange_of_a_replica_killed_mid_scan_is_taken_over(
    db_url: str, make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services: Services = make_services(use_clock=False)
    period = snapshot_period(services.settings, datetime.now(UTC))
    # One replica, slowed down (replayed latency 300 ms, the throttler on), killed once it holds
    # its claims and has stored part of the slot.
    doomed = subprocess.Popen(
        worker(db_url, slack_api, 1, "2", "300"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            claims = await _claims(services, period)
            if "unclaimed" not in claims and "claimed" in claims and await _rows(services) > 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the replica never claimed the slot's exchanges")
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
    stored_before = await _rows(services)
    interrupted = {e for e in EXCHANGES if (await _claims(services, period, [e])) == {"claimed"}}
    time.sleep(2.5)  # its heartbeat goes stale (stale after 2 s in this test)

    taken = subprocess.run(
        worker(db_url, slack_api, 1, "2", "0"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert taken.returncode == 0, taken.stderr[-3000:]
    [report] = reports(taken.stdout)
    state = await slot_state(services, period)
    print(f"killed after {stored_before} rows, holding {sorted(interrupted)}: {report}")
    assert report["status"] == "done"
    assert interrupted  # the replica died while it held at least one exchange's claim
    for exchange in EXCHANGES:
        run = state["runs"][exchange]
        assert run is not None and run.status == "done"
        assert run.attempts == (2 if exchange in interrupted else 1)
    # the dead replica's rows were dropped and the exchanges stored again: one row per market
    assert state["rows"] == state["scan"]["markets_count"] > 0
    assert state["assessed"] is not None and state["assessed"].attempts == 1


async def _claims(
    services: Services, period: str, exchanges: tuple[str, ...] | list[str] = EXCHANGES
) -> set[str]:
    runs = [await repo_ledger.get_run(services.engine, exchange_job(e), period) for e in exchanges]
    return {run.status if run else "unclaimed" for run in runs}


async def _rows(services: Services) -> int:
    async with services.session() as session:
        return int(
            (await session.execute(select(func.count()).select_from(SNAPSHOTS))).scalar_one()
        )
