"""Several liqbot processes running a job at once, for the multi-process tests:

    python -m tests.jobs.job_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL
    python -m tests.jobs.job_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL PERIOD SCAN
    python -m tests.jobs.job_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL \
        snapshot STALE_AFTER_S LATENCY_MS

This launcher imports liqbot once, then forks PROCESSES children (no event loop or thread exists
yet, so forking is clean). Each child builds its own Services (own engine and connections, own
worker id), waits at a barrier so all start together, runs ``run_digest`` (or, given a snapshot
slot PERIOD and its SCAN id, ``alerts_job``; given ``snapshot``, the snapshot job of the current
slot on the demo cassettes of binance, okx and bybit, with ``STALE_AFTER_S`` as the run ledger's
stale delay) and reports its status (for the snapshot: a JSON line with the status and the
requests this process sent to each exchange); the launcher prints one report per line.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
from datetime import timedelta
from multiprocessing.synchronize import Barrier
from typing import Any

from pydantic import SecretStr

from bot.usecases.services import Services
from bot.wiring import build_services
from jobs.alerts import alerts_job
from jobs.digest import run_digest
from jobs.snapshot import snapshot_job
from tests.builders import demo_settings


async def snapshot(services: Services, stale_after_s: str) -> str:
    stale_after = timedelta(seconds=float(stale_after_s))
    outcome = await snapshot_job(services, stale_after=stale_after, stagger_s=0.3)
    requests = {name: s.requests for name, s in services.gateway.status().items()}
    return json.dumps({"status": outcome.status, "requests": requests})


async def run_job(args: list[str], barrier: Barrier) -> str:
    database_url, api_url, token, channel, *alerts = args
    snapshots = alerts[:1] == ["snapshot"]
    settings = demo_settings(
        database_url,
        exchanges="binance,okx,bybit" if snapshots else "binance",
        replay_latency_ms=float(alerts[2]) if snapshots else 0.0,
        slack_api_url=api_url,
        slack_bot_token=SecretStr(token),
        digest_channel=channel,
    )
    services = build_services(settings)
    try:
        await asyncio.to_thread(barrier.wait, 30)
        if snapshots:
            return await snapshot(services, alerts[1])
        if alerts:
            period, scan_id = alerts
            return (await alerts_job(services, period, int(scan_id))).status
        return (await run_digest(services)).status
    finally:
        await services.close()


def child(args: list[str], barrier: Barrier, results: Any) -> None:
    try:
        results.put(asyncio.run(run_job(args, barrier)))
    except BaseException as exc:
        results.put(f"error: {type(exc).__name__}: {exc}")
        raise


def main(processes: int, args: list[str]) -> list[str]:
    fork = multiprocessing.get_context("fork")
    barrier = fork.Barrier(processes)
    results = fork.Queue()
    children = [fork.Process(target=child, args=(args, barrier, results)) for _ in range(processes)]
    for process in children:
        process.start()
    statuses = [results.get(timeout=120) for _ in children]
    for process in children:
        process.join(30)
    return statuses


if __name__ == "__main__":
    for status in main(int(sys.argv[1]), sys.argv[2:]):
        print(status)
