"""Benchmark: Slack's 3-second acknowledgement under load while exchange calls are slow (issue 3).

    python benchmarks/ack.py [--requests N] [--clients C] [--latency-ms MS] [--answers-timeout S]

1. A fresh SQLite database (migrated, demo supply imported) and a copy of the demo cassette
   (DEMO DATA) in a temporary directory.
2. The Slack Web API stand-in of the tests (``tests.fakes``) in this process, and
   ``liqbot serve --no-scheduler`` in HTTP mode in a subprocess: the real ``build_app`` +
   ``build_asgi`` under uvicorn, ``MARKET_SOURCE=replay:DIR`` with ``REPLAY_LATENCY_MS`` (2 s by
   default: every replayed exchange request takes that long, on top of ccxt's throttler), and
   ``SLACK_API_URL`` pointing at the stand-in.
3. Warm-up (skipped with ``--cold``): one ``/liquidity`` and its answer, so the bot has made its
   ``auth.test`` and loaded each exchange's market list, as any bot that has served one request.
   Then C concurrent clients send N signed ``/liquidity <token>`` requests in all (N / C each,
   one after another). No snapshot is stored, so every answer needs a live fetch. Measured per
   request: time to the HTTP 200.
4. Printed: p50 / p99 / max time to HTTP 200, the share within Slack's 3 s, how many answers
   then arrived at their response_url (and how fast), and the serve process's peak RSS (VmHWM from
   /proc/<pid>/status). Targets: p99 ≤ 100 ms, 100% within 3 s, peak RSS ≤ 300 MB.

Exit code 0 whatever the figures (a benchmark, not a test); 1 when the server did not start or a
request was not answered with HTTP 200.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the Slack stand-in lives in tests/fakes, not in the package

from bot.db.migrate import upgrade  # noqa: E402
from bot.market.demo import DEMO_BANNER, DEMO_EXCHANGES, demo_cassette_lines  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.usecases.supply import import_supply, read_demo_supply  # noqa: E402
from tests.fakes.slack_api import SlackApiStandIn  # noqa: E402
from tests.fakes.slack_requests import SlackRequests  # noqa: E402

SIGNING_SECRET = "liqbot-bench-signing-secret"
SLACK_ACK_LIMIT_S = 3.0
P99_TARGET_MS = 100.0
RSS_TARGET_MB = 300.0
# Demo tokens of every kind: at risk, deep, majors, a ticker collision, broken books.
TOKENS = (
    "ZIBBKA", "MOOPIO", "YIBBIX", "SPLUDET", "GRONKAX", "FRONKLE", "QUUXIX", "ZLORBET",
    "BLORPCOIN", "VRIMZA", "GRUBLY", "DRAXOKA", "BLORPAX", "DRAXOIO", "CRUMBIO", "BRIXLET",
    "PRUXIO", "WUMBUM", "BTC", "ETH",
)  # fmt: skip


@dataclass(frozen=True)
class Ack:
    status: int
    seconds: float
    response_url: str
    sent_at: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workdir: Path) -> tuple[str, Path]:
    """(DATABASE_URL, cassette dir): a migrated database with the demo supply, the demo cassette."""
    cassette = workdir / "cassette"
    cassette.mkdir(exist_ok=True)
    for exchange in DEMO_EXCHANGES:
        lines = demo_cassette_lines(exchange)
        (cassette / f"{exchange}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    database = workdir / "liqbot.db"
    database.unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    upgrade(url)
    asyncio.run(import_supply(load_settings(env_file=None, database_url=url), read_demo_supply()))
    return url, cassette


def start_server(
    workdir: Path,
    port: int,
    database_url: str,
    cassette: Path,
    latency_ms: int,
    stand_in: SlackApiStandIn,
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RISK_"))}
    env.update(
        SLACK_BOT_TOKEN=stand_in.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=stand_in.api_url,
        DATABASE_URL=database_url,
        MARKET_SOURCE=f"replay:{cassette}",
        REPLAY_LATENCY_MS=str(latency_ms),
        LOG_LEVEL="WARNING",
    )
    log = (workdir / "serve.log").open("wb")
    # cwd = the temporary dir: no .env of the checkout is read.
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--no-scheduler"]
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_ready(base_url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"liqbot serve exited with code {server.returncode}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(f"{base_url}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError("liqbot serve did not answer /healthz in time")


async def load(
    base_url: str, requests: SlackRequests, total: int, clients: int, text: str | None
) -> list[Ack]:
    """``clients`` concurrent clients sending ``total`` slash commands between them, each client
    sending its next request when the previous one is answered."""
    acks: list[Ack] = []
    # aiohttp, not httpx: at 50 concurrent requests httpx's own overhead dominated the timings.
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def client(index: int) -> None:
            for n in range(index, total, clients):
                request = requests.slash_command("/liquidity", text or TOKENS[n % len(TOKENS)])
                begin = time.monotonic()
                async with http.post(
                    f"{base_url}/slack/events", data=request.body, headers=request.headers
                ) as response:
                    await response.read()
                elapsed = time.monotonic() - begin
                url = request.payload["response_url"]
                acks.append(Ack(response.status, elapsed, url, begin))

        await asyncio.gather(*(client(i) for i in range(clients)))
    return acks


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a running process, in MB; None when unreadable."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def warm_up(base_url: str, requests: SlackRequests, stand_in: SlackApiStandIn) -> None:
    """One command and its answer: auth.test done, every exchange's markets loaded."""
    async with aiohttp.ClientSession() as http:
        request = requests.slash_command("/liquidity", "BTC")
        async with http.post(
            f"{base_url}/slack/events", data=request.body, headers=request.headers
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"warm-up request answered {response.status}")
    url = request.payload["response_url"]
    deadline = time.monotonic() + 120
    while not stand_in.responses(url):
        if time.monotonic() > deadline:
            raise RuntimeError("no answer to the warm-up request within 120 s")
        await asyncio.sleep(0.1)


async def wait_answers(
    stand_in: SlackApiStandIn, acks: Sequence[Ack], timeout: float
) -> list[float]:
    """Seconds from each request to its first answer at the response_url (answered ones only)."""
    wanted = {a.response_url.rsplit("/", 1)[-1]: a for a in acks}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len({r.response_id for r in stand_in.responses()} & wanted.keys()) >= len(wanted):
            break
        await asyncio.sleep(0.25)
    first: dict[str, float] = {}
    for post in stand_in.responses():
        if post.response_id in wanted and post.response_id not in first:
            first[post.response_id] = post.at - wanted[post.response_id].sent_at
    return list(first.values())


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def report(
    acks: Sequence[Ack], answers: Sequence[float], rss_mb: float | None, args: argparse.Namespace
) -> None:
    ms = [a.seconds * 1000 for a in acks]
    within = sum(1 for a in acks if a.status == 200 and a.seconds <= SLACK_ACK_LIMIT_S)
    p99 = percentile(ms, 99)
    share = within / len(acks)
    print(DEMO_BANNER)
    start = "cold start" if args.cold else "after one warm-up command"
    print(
        f"{len(acks)} signed /liquidity requests from {args.clients} concurrent clients, "
        f"replay latency {args.latency_ms} ms per exchange request, {start}"
    )
    print(
        f"time to HTTP 200: p50 {percentile(ms, 50):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(ms):.1f} ms (mean {statistics.fmean(ms):.1f} ms)"
    )
    print(f"within Slack's 3 s: {within}/{len(acks)} ({share:.1%})")
    if answers:
        print(
            f"answers at response_url: {len(answers)}/{len(acks)} within "
            f"{args.answers_timeout:g} s (p50 {percentile(answers, 50):.1f} s, "
            f"max {max(answers):.1f} s after the request)"
        )
    else:
        print(f"answers at response_url: 0/{len(acks)} within {args.answers_timeout:g} s")
    print(f"serve process peak RSS (VmHWM): {rss_mb:.0f} MB" if rss_mb else "peak RSS: n/a")
    verdicts = [
        ("p99 ≤ 100 ms", p99 <= P99_TARGET_MS),
        ("100% within 3 s", within == len(acks)),
        ("peak RSS ≤ 300 MB", rss_mb is not None and rss_mb <= RSS_TARGET_MB),
    ]
    print("targets: " + ", ".join(f"{name} {'PASS' if ok else 'MISS'}" for name, ok in verdicts))


async def run(args: argparse.Namespace, workdir: Path, database_url: str, cassette: Path) -> int:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with SlackApiStandIn() as stand_in:
        server = start_server(workdir, port, database_url, cassette, args.latency_ms, stand_in)
        try:
            await wait_ready(base_url, server)
            requests = SlackRequests(SIGNING_SECRET, response_urls=stand_in.new_response_url)
            if not args.cold:
                await warm_up(base_url, requests, stand_in)
            acks = await load(base_url, requests, args.requests, args.clients, args.text)
            answers = await wait_answers(stand_in, acks, args.answers_timeout)
            rss_mb = peak_rss_mb(server.pid)
        except RuntimeError as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            print((workdir / "serve.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            return 1
        finally:
            stop(server)
    report(acks, answers, rss_mb, args)
    failed = [a for a in acks if a.status != 200]
    if failed:
        print(f"{len(failed)} requests were not answered 200 (e.g. {failed[0].status})")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=2000)
    parser.add_argument(
        "--answers-timeout", type=float, default=120.0, help="seconds to wait for the answers"
    )
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up command: the first requests load markets"
    )
    parser.add_argument(
        "--text", help="the same /liquidity text every time (e.g. help), instead of the tokens"
    )
    parser.add_argument("--keep", type=Path, help="keep the database, cassette and server log here")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            workdir = args.keep
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="liqbot-ack-")))
        database_url, cassette = prepare(workdir)
        return asyncio.run(run(args, workdir, database_url, cassette))


if __name__ == "__main__":
    sys.exit(main())
