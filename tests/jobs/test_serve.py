"""`liqbot serve` posts the digest at its configured time: the real serve() with its scheduler,
the clock moved by time-machine to just before DIGEST_CRON, the Slack stand-in receiving it.

Served in Socket Mode (the stand-in has the WebSocket too): cancelling it closes cleanly, while a
cancelled uvicorn leaves its listening socket open (HTTP mode stops on SIGINT/SIGTERM)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from pydantic import SecretStr

from bot.db import repo_ledger
from bot.serve import serve
from bot.usecases.services import Services
from jobs.digest import digest_job_name
from tests.builders import DIGEST_CHANNEL, demo_settings
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import SIGNING_SECRET

BERLIN = ZoneInfo("Europe/Berlin")


async def finished(services: Services, day: str) -> None:
    """Wait until the digest run of ``day`` is done (thread replies posted, ledger finished)."""
    for _ in range(500):
        run = await repo_ledger.get_run(services.engine, digest_job_name(DIGEST_CHANNEL), day)
        if run is not None and run.status == "done":
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the digest run did not finish")


async def test_serve_posts_the_digest_at_digest_cron(
    db_url: str,
    make_services: MakeServices,
    services_settings: dict[str, Any],
    slack_api: SlackApiStandIn,
) -> None:
    settings = demo_settings(
        db_url,
        **services_settings,
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_app_token=SecretStr(slack_api.app_token),
        digest_cron="0 9 * * *",
        timezone="Europe/Berlin",
        snapshot_interval_minutes=24 * 60,  # one snapshot (at start), none at 09:00
    )

    services = make_services()  # to read the ledger

    def digests() -> list[object]:  # the catch-up at start also posts last week's report
        calls = slack_api.ok_calls("chat.postMessage")
        return [
            c
            for c in calls
            if not c.args.get("thread_ts") and c.args["metadata"]["event_type"] == "liqbot_digest"
        ]

    nine = datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(nine - timedelta(seconds=3), tick=True):
        bot = asyncio.create_task(serve(settings, scheduler=True))
        try:
            await asyncio.sleep(0.5)  # started; the catch-up at start finds no digest due
            assert datetime.now(BERLIN) < nine, "the test machine is too slow for this test"
            assert digests() == []
            await slack_api.async_wait_for(lambda: len(digests()) == 1, timeout=15)
            seen_at = datetime.now(BERLIN)
            await finished(services, "2026-11-25")
        finally:
            bot.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await bot

    assert seen_at >= nine
    run = await repo_ledger.get_run(services.engine, digest_job_name(DIGEST_CHANNEL), "2026-11-25")
    assert run is not None and run.status == "done"
    assert run.claimed_at >= nine
    assert len(digests()) == 1
