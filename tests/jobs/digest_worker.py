"""Several liqbot processes posting the digest at once, for the multi-process test:

    python -m tests.jobs.digest_worker PROCESSES DATABASE_URL SLACK_API_URL TOKEN CHANNEL

This launcher imports liqbot once, then forks PROCESSES children (no event loop or thread exists
yet, so forking is clean). Each child builds its own Services (own engine and connections, own
worker id), waits at a barrier so all start together, runs ``run_digest`` and reports its
status; the launcher prints one status per line.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
from multiprocessing.synchronize import Barrier
from typing import Any

from pydantic import SecretStr

from bot.wiring import build_services
from jobs.digest import run_digest
from tests.builders import demo_settings


async def post_digest(args: list[str], barrier: Barrier) -> str:
    database_url, api_url, token, channel = args
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
        return (await run_digest(services)).status
    finally:
        await services.close()


def child(args: list[str], barrier: Barrier, results: Any) -> None:
    try:
        results.put(asyncio.run(post_digest(args, barrier)))
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
    for status in main(int(sys.argv[1]), sys.argv[2:6]):
        print(status)
