"""Several liqbot processes running a job at once, for the multi-process tests:

    python -m tests.jobs.job_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL
    python -m tests.jobs.job_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL PERIOD SCAN

This launcher imports liqbot once, then forks PROCESSES children (no event loop or thread exists
yet, so forking is clean). Each child builds its own Services (own engine and connections, own
worker id), waits at a barrier so all start together, runs ``run_digest`` (or, given a snapshot
slot PERIOD and its SCAN id, ``alerts_job``) and reports its status; the launcher prints one
status per line.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
from multiprocessing.synchronize import Barrier
from typing import Any

from pydantic import SecretStr

from bot.wiring import build_services
from jobs.alerts import alerts_job
from jobs.digest import run_digest
from tests.builders import demo_settings


async def run_job(args: list[str], barrier: Barrier) -> str:
    database_url, api_url, token, channel, *alerts = args
    settings = demo_settings(
        database_url,
        exchanges="binance",
        slack_api_url=api_url,
        slack_bot_token=SecretStr(token),
        digest_channel=channel,
    )
    services = build_services(settings)
    try:
        await asyncio.to_thread(barrier.wait, 30)
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
    statuses = [results.get(timeout=60) for _ in children]
    for process in children:
        process.join(30)
    return statuses


if __name__ == "__main__":
    for status in main(int(sys.argv[1]), sys.argv[2:]):
        print(status)
