"""Four liqbot processes, each with its own engine, post the digest (or a snapshot's alerts) at
the same moment: the run ledger lets exactly one of them post."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import repo_ledger
from bot.usecases.services import Services
from jobs.digest import digest_job_name
from jobs.scheduler import snapshot_period
from tests.builders import DIGEST_CHANNEL, NOW, many_tokens, store_batch
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.jobs.alert_scans import deep, no_asks, snapshot

PROCESSES = 4
ROOT = Path(__file__).resolve().parents[2]


def launch(db_url: str, slack_api: SlackApiStandIn, *job: str) -> Counter[str]:
    """Run ``tests.jobs.job_worker`` (the digest, or with PERIOD SCAN the alerts) in PROCESSES
    processes at once; how many reported each status."""
    launched = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.jobs.job_worker",
            str(PROCESSES),
            db_url,
            slack_api.api_url,
            slack_api.token,
            DIGEST_CHANNEL,
            *job,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert launched.returncode == 0, launched.stderr[-3000:]
    return Counter(launched.stdout.split())


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_four_processes_post_one_digest(
    db_url: str, make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services: Services = make_services(use_clock=False)
    await store_batch(services, datetime.now(UTC) - timedelta(minutes=5), many_tokens(30))
    statuses = launch(db_url, slack_api)
    print(f"four processes: {dict(statuses)}")
    main_posts = [c for c in slack_api.ok_calls("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(main_posts) == 1
    assert statuses["posted"] == 1
    assert statuses["posted"] + statuses["busy"] + statuses["already_posted"] == PROCESSES
    day = datetime.now(UTC).date().isoformat()
    run = await repo_ledger.get_run(services.engine, digest_job_name(DIGEST_CHANNEL), day)
    assert run is not None and run.status == "done" and run.attempts == 1
    assert [p.kind for p in run.posts] == ["main", "thread:1"]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_four_processes_post_one_alert(
    db_url: str, make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services: Services = make_services()
    await snapshot(services, 0, deep())
    scan_id = await snapshot(services, 1, no_asks())
    period = snapshot_period(services.settings, NOW + timedelta(hours=1))

    statuses = launch(db_url, slack_api, period, str(scan_id))

    assert statuses["done"] == 1
    assert statuses["done"] + statuses["busy"] + statuses["already_done"] == PROCESSES
    main_posts = [c for c in slack_api.ok_calls("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(main_posts) == 1 and "ZORB · book one-sided" in main_posts[0].args["text"]
    run = await repo_ledger.get_run(services.engine, "alerts", period)
    assert run is not None and [p.kind for p in run.posts] == ["main", "thread:1"]
