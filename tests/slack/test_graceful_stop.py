"""`liqbot serve` as operators run it, in a subprocess: SIGTERM or SIGINT right after Slack got its
acknowledgement still delivers the slow answer, then the process cleans up and exits 0; a port
in use fails at once with one line.

Guards two workarounds: uvicorn re-raising the captured signal after its shutdown (exit 143, no
cleanup; ``bot.slack.server.LiqbotServer``) and the tracking of Bolt's listener tasks
(``bot.slack.inflight``), which must see the answer still running when the signal arrives.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.db.migrate import upgrade
from bot.market.demo import DEMO_EXCHANGES, demo_cassette_lines
from bot.settings import load_settings
from bot.usecases.supply import import_supply, read_demo_supply
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_requests import SlackRequests, socket_envelope

SIGNING_SECRET = "liqbot-serve-signing-secret"
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ZIBBKA"  # at risk in the demo data; every venue is fetched for it
LATENCY_MS = 600  # per replayed exchange request: the answer takes seconds
CLEANUP_MISSED = ("Traceback", "never closed", "release all resources", "Unclosed", "Task was")


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite database with the demo supply and the demo cassette, replayed slowly."""
    workdir = tmp_path_factory.mktemp("serve")
    cassette = workdir / "cassette"
    cassette.mkdir()
    for exchange in DEMO_EXCHANGES:
        lines = demo_cassette_lines(exchange)
        (cassette / f"{exchange}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{workdir / 'liqbot.db'}"
    upgrade(url)
    asyncio.run(import_supply(load_settings(env_file=None, database_url=url), read_demo_supply()))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RISK_"))}
    env.update(
        DATABASE_URL=url,
        MARKET_SOURCE=f"replay:{cassette}",
        REPLAY_LATENCY_MS=str(LATENCY_MS),
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def liqbot_serve(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)


def start(env: dict[str, str], cwd: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bot.cli", "serve", "--no-scheduler", *args]
    return subprocess.Popen(command, cwd=cwd, env=env, stderr=subprocess.PIPE, text=True)


def wait_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1][-3000:]
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("liqbot serve did not answer /healthz")


def assert_stopped_cleanly(process: subprocess.Popen[str]) -> str:
    _, stderr = process.communicate(timeout=40)
    assert process.returncode == 0, stderr[-3000:]
    missed = [marker for marker in CLEANUP_MISSED if marker in stderr]
    assert missed == [], stderr[-3000:]
    assert "liqbot stopped" in stderr
    return stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_http_serve_finishes_the_acknowledged_answer_then_exits_0(
    demo_env: dict[str, str],
    slack_api: SlackApiStandIn,
    liqbot_serve: list[subprocess.Popen[str]],
    tmp_path: Path,
    signum: signal.Signals,
) -> None:
    port = free_port()
    env = dict(
        demo_env,
        SLACK_BOT_TOKEN=slack_api.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.api_url,
    )
    process = start(env, tmp_path, "--port", str(port))
    liqbot_serve.append(process)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process)
    request = SlackRequests(SIGNING_SECRET, slack_api.new_response_url).slash_command(
        "/liquidity", TOKEN
    )

    acked = httpx.post(f"{url}/slack/events", content=request.body, headers=request.headers)
    assert (acked.status_code, acked.text) == (200, "")
    process.send_signal(signum)
    signalled_at = time.monotonic()

    # The port closes at once, while the answer is still on its way. A poll that the kernel
    # queued just as the listening socket closed is dropped without an answer (closed, or reset
    # by peer) rather than refused: that is the close too (no server can answer a connection it
    # never accepted). Only a timeout is not: it would be a server too busy to answer.
    refused = False
    while not refused and time.monotonic() - signalled_at < 3:
        try:
            httpx.get(f"{url}/healthz", timeout=0.5)
            time.sleep(0.05)
        except (httpx.NetworkError, httpx.RemoteProtocolError):
            refused = True
    assert refused and process.poll() is None
    assert_stopped_cleanly(process)
    (answer,) = slack_api.responses(request.payload["response_url"])
    assert answer.at > signalled_at and TOKEN in str(answer.payload)


def test_a_second_signal_stops_waiting_for_the_acknowledged_work(
    demo_env: dict[str, str],
    slack_api: SlackApiStandIn,
    liqbot_serve: list[subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    port = free_port()
    env = dict(
        demo_env,
        REPLAY_LATENCY_MS="10000",  # the answer would take far longer than the test
        SLACK_BOT_TOKEN=slack_api.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.api_url,
    )
    process = start(env, tmp_path, "--port", str(port))
    liqbot_serve.append(process)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process)
    request = SlackRequests(SIGNING_SECRET, slack_api.new_response_url).slash_command(
        "/liquidity", TOKEN
    )
    assert httpx.post(f"{url}/slack/events", content=request.body, headers=request.headers)

    process.send_signal(signal.SIGTERM)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    began = time.monotonic()

    stderr = assert_stopped_cleanly(process)
    assert time.monotonic() - began < 10
    assert "gave up on 1 acknowledged request(s)" in stderr


def test_socket_mode_serve_finishes_the_acknowledged_answer_on_sigterm(
    demo_env: dict[str, str],
    slack_api: SlackApiStandIn,
    liqbot_serve: list[subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    env = dict(
        demo_env,
        SLACK_BOT_TOKEN=slack_api.token,
        SLACK_APP_TOKEN=slack_api.app_token,
        SLACK_API_URL=slack_api.api_url,
    )
    process = start(env, tmp_path)
    liqbot_serve.append(process)
    slack_api.wait_for(lambda: slack_api.socket_connections() == 1, timeout=60)
    request = SlackRequests(SIGNING_SECRET, slack_api.new_response_url).slash_command(
        "/liquidity", TOKEN
    )

    slack_api.socket_send(socket_envelope(request, "env-1"))
    slack_api.wait_for(lambda: len(slack_api.socket_acks()) == 1)
    process.send_signal(signal.SIGTERM)
    signalled_at = time.monotonic()

    assert_stopped_cleanly(process)
    assert slack_api.socket_connections() == 0
    (answer,) = slack_api.responses(request.payload["response_url"])
    assert answer.at > signalled_at and TOKEN in str(answer.payload)


def test_a_port_in_use_fails_at_once_with_one_line(
    demo_env: dict[str, str], slack_api: SlackApiStandIn, tmp_path: Path
) -> None:
    env = dict(
        demo_env,
        SLACK_BOT_TOKEN=slack_api.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.api_url,
    )
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--no-scheduler"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"liqbot: port {port} is in use"]
    assert slack_api.calls() == []  # nothing started: not even auth.test
