"""What both parts of ``faults.py`` share: the set-up constants, starting and stopping a
``liqbot serve`` process, signed requests, and a latency summary. See ``faults.py``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the Slack stand-in lives in tests/fakes, not in the package
sys.path.insert(0, str(REPO / "benchmarks"))

from ack import (  # noqa: E402
    SIGNING_SECRET,
    free_port,
    percentile,
    prepare,
    start_server,
    wait_ready,
)

from tests.fakes.slack_api import SlackApiStandIn  # noqa: E402
from tests.fakes.slack_requests import FORM, SignedRequest, slack_signature  # noqa: E402

ANSWER_LIMIT_S = 5.0
ANSWER_WAIT_S = 20.0
PAUSE_S = 300
PAUSED_LATENCY_MS = 300
SHIFT = "-2 hours"
OUTREACH_SYMBOL = "ZIBBKA"  # an at-risk demo token: its answer has the outreach buttons
KILL_WINDOW_S = 0.300
LATE_SIGNAL_MS = 20.0  # a signal sent this much later than drawn (a busy machine) says so
TERM_GRACE_S = 30.0
SCAN_TIMEOUT_S = 180.0
BINANCE_429_BODY = json.dumps(
    {"code": -1003, "msg": "Too much request weight used; current limit is 6000 per 1 MINUTE."}
)
# Every timestamp `liqbot scan` writes, moved back so the snapshots are older than the interval.
SCAN_TIMESTAMPS = {
    "scans": ("started_at", "finished_at"),
    "liquidity_snapshots": ("taken_at",),
    "markets": ("first_seen", "last_seen", "last_snapshot_at"),
    "risk_assessments": ("assessed_at",),
}
SERVERS: list[subprocess.Popen[bytes]] = []  # every subprocess started, killed on any exit
# What a server is started with besides ack.start_server's own settings, so an outer environment
# cannot change the set-up (a longer interval would make the 2-hour-old snapshot "recent").
PINNED_ENV = {
    "SNAPSHOT_INTERVAL_MINUTES": "60",
    "EXCHANGES": "binance,okx,bybit",
    "HOME_EXCHANGE": "binance",
}
UNSET_ENV = ("EDITOR_USER_IDS", "EDITOR_USERGROUP_IDS")  # everyone may log outreach


class SetupFailed(RuntimeError):
    """The thing to measure could not be set up: exit code 1."""


# ---- helpers -----------------------------------------------------------------------------------


def launch(
    workdir: Path, database_url: str, cassette: Path, latency_ms: int, stand_in: SlackApiStandIn
) -> tuple[subprocess.Popen[bytes], str]:
    """``liqbot serve`` on a fresh port (log in ``workdir/serve.log``); (process, base URL)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(workdir, port, database_url, cassette, latency_ms, stand_in)
    SERVERS.append(server)
    return server, f"http://127.0.0.1:{port}"


async def prepared(workdir: Path) -> tuple[str, Path]:
    """``ack.prepare`` (database with the demo supply, demo cassette copy) off the event loop."""
    try:
        return await asyncio.to_thread(prepare, workdir)
    except Exception as error:  # a bad setting, a failed migration: the set-up failed
        raise SetupFailed(f"preparing {workdir}: {error}") from None


async def ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    try:
        await wait_ready(base_url, server)
    except RuntimeError as error:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise SetupFailed(f"{error}\n{tail}") from None


async def exited(server: subprocess.Popen[bytes], timeout: float) -> bool:
    """Waits (without blocking the loop) up to ``timeout`` s for ``server`` to exit."""
    deadline = time.monotonic() + timeout
    while server.poll() is None:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def reap(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``server`` if it still runs, and wait for it."""
    if server.poll() is None:
        server.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(5)


async def graceful_stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        if not await exited(server, TERM_GRACE_S):
            reap(server)


def signed(body: str) -> SignedRequest:
    """``body`` signed as Slack signs it, now."""
    raw = body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": slack_signature(SIGNING_SECRET, timestamp, raw),
    }
    return SignedRequest(raw, headers)


def summary(values: Sequence[float]) -> str:
    if not values:
        return "p50 n/a, p99 n/a, max n/a"
    return (
        f"p50 {percentile(values, 50):.2f} s, p99 {percentile(values, 99):.2f} s, "
        f"max {max(values):.2f} s"
    )
