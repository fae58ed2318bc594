"""Benchmark: acknowledgements and answers of a `/liquidity` burst while exchange calls are slow
(issues 3 and 12).

    python benchmarks/ack.py [--requests N] [--clients C] [--tokens T] [--latency-ms MS]
                             [--runs R] [--only cold|warm] [--answers-timeout S] [--keep DIR]

Each run starts from nothing: a fresh SQLite database (migrated, demo supply imported, no
snapshot stored, so every answer needs a live fetch), a copy of the demo cassette (DEMO DATA),
the Slack Web API stand-in of the tests (``tests.fakes``) in this process, and ``liqbot serve
--no-scheduler`` in HTTP mode in a subprocess: the real CLI (migrations, then ``build_app`` +
``build_asgi`` under uvicorn), ``MARKET_SOURCE=replay:DIR`` with ``REPLAY_LATENCY_MS`` (2 s by
default: every replayed exchange request takes that long, on top of the request pacing), and
``SLACK_API_URL`` pointing at the stand-in.

- cold: the first command is sent as soon as ``/healthz`` answers (polled every 10 ms): whatever
  the bot loads at start (the exchanges' market lists) is still on its way, as after a restart.
- warm: one ``/liquidity BTC`` and its answer first, as any bot that has served one request
  (``auth.test`` done, market lists loaded, the bulk tickers fetched).

Then C concurrent clients send N signed ``/liquidity <token>`` requests (N / C each, one after
another, the tokens in turn). Per request: the time to the HTTP 200 (ack), and from sending it
until its answer reaches its response_url (answer). An answer that gives a venue up (its deadline
passed) or never arrives is a miss (infinite time), never left out.

Printed: a line per run, then per mode the median over the runs of p50 and p99 of acks and answers
and the targets with measured/target ratios: answers p99 ≤ min(1.5 × latency + 0.5 s, 5 s); acks
p99 ≤ 100 ms; 100% of acks within 3 s; peak RSS (VmHWM) ≤ 300 MB. About 1.5 min (3 + 3 runs).

Exit code 0 whatever the figures (a benchmark, not a test); 1 when the server did not start or a
request was not answered with HTTP 200.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
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
ACK_P99_TARGET_MS = 100.0
RSS_TARGET_MB = 300.0
# Demo tokens of every kind: at risk, deep, majors, a ticker collision, broken books.
TOKENS = (
    "ZIBBKA", "MOOPIO", "YIBBIX", "SPLUDET", "GRONKAX", "FRONKLE", "QUUXIX", "ZLORBET",
    "BLORPCOIN", "VRIMZA", "GRUBLY", "DRAXOKA", "BLORPAX", "DRAXOIO", "CRUMBIO", "BRIXLET",
    "PRUXIO", "WUMBUM", "BTC", "ETH",
)  # fmt: skip
DEGRADED = ("Unavailable now", "Unavailable right now", "Cannot reach the exchanges")
"""What an answer says when a venue was given up on: not the answer asked for."""


def answer_target_s(latency_ms: float) -> float:
    """Issue 12: one exchange round trip and a half, plus half a second, at most 5 s."""
    return min(1.5 * latency_ms / 1000 + 0.5, 5.0)


@dataclass(frozen=True)
class Ack:
    status: int
    seconds: float
    response_url: str
    sent_at: float


@dataclass(frozen=True)
class Run:
    """One run's figures: ack and answer times in seconds (an answer missing or degraded: inf)."""

    mode: str
    acks: list[Ack]
    answers: list[float]
    ready_s: float  # from starting the process until /healthz answered
    rss_mb: float | None

    @property
    def ack_ms(self) -> list[float]:
        return [a.seconds * 1000 for a in self.acks]

    @property
    def within_3s(self) -> int:
        return sum(1 for a in self.acks if a.status == 200 and a.seconds <= SLACK_ACK_LIMIT_S)

    @property
    def complete(self) -> int:
        return sum(1 for a in self.answers if math.isfinite(a))


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
            await asyncio.sleep(0.01)
    raise RuntimeError("liqbot serve did not answer /healthz in time")


async def load(
    base_url: str, requests: SlackRequests, total: int, clients: int, texts: Sequence[str]
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
                request = requests.slash_command("/liquidity", texts[n % len(texts)])
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
    """`/liquidity BTC` until one answer has every venue live (auth.test done, market lists
    loaded, the bulk tickers fetched): right after the start the first may give a venue up."""
    async with aiohttp.ClientSession() as http:
        for _ in range(3):
            request = requests.slash_command("/liquidity", "BTC")
            async with http.post(
                f"{base_url}/slack/events", data=request.body, headers=request.headers
            ) as response:
                if response.status != 200:
                    raise RuntimeError(f"warm-up request answered {response.status}")
            url = request.payload["response_url"]
            deadline = time.monotonic() + 60
            while not stand_in.responses(url):
                if time.monotonic() > deadline:
                    raise RuntimeError("no answer to the warm-up request within 60 s")
                await asyncio.sleep(0.05)
            answer = json.dumps(stand_in.responses(url)[0].payload)
            if not any(marker in answer for marker in DEGRADED):
                return
    raise RuntimeError("three warm-up answers in a row gave a venue up")


async def wait_answers(
    stand_in: SlackApiStandIn, acks: Sequence[Ack], timeout: float
) -> list[float]:
    """Per request, seconds from sending it to its first answer at the response_url; inf when
    none arrived within ``timeout`` or the answer gave up on a venue (``DEGRADED``)."""
    wanted = {a.response_url.rsplit("/", 1)[-1]: a for a in acks}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len({r.response_id for r in stand_in.responses()} & wanted.keys()) >= len(wanted):
            break
        await asyncio.sleep(0.25)
    first: dict[str, float] = {}
    for post in stand_in.responses():
        if post.response_id in wanted and post.response_id not in first:
            degraded = any(marker in json.dumps(post.payload) for marker in DEGRADED)
            latency = post.at - wanted[post.response_id].sent_at
            first[post.response_id] = math.inf if degraded else latency
    return [first.get(key, math.inf) for key in wanted]


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if math.isfinite(seconds) else "miss"


def run_line(number: int, run: Run) -> str:
    ms, answers = run.ack_ms, run.answers
    rss = f"{run.rss_mb:.0f} MB" if run.rss_mb else "n/a"
    return (
        f"{run.mode} {number}: ready {run.ready_s:.2f} s after start; acks p50 "
        f"{percentile(ms, 50):.1f} / p99 {percentile(ms, 99):.1f} / max {max(ms):.1f} ms, "
        f"{run.within_3s}/{len(run.acks)} within 3 s; answers {run.complete}/{len(answers)} "
        f"complete, p50 {fmt_s(percentile(answers, 50))} / p99 {fmt_s(percentile(answers, 99))}"
        f" / max {fmt_s(max(answers))}; peak RSS {rss}"
    )


def verdict(name: str, measured: float, target: float, unit: str) -> tuple[str, bool]:
    ok = measured <= target
    shown = f"{measured:.1f} {unit}" if math.isfinite(measured) else "not all answered"
    ratio = f"ratio {measured / target:.2f}" if math.isfinite(measured) else "ratio ∞"
    return f"{name} ≤ {target:g} {unit}: {shown} ({ratio}) {'PASS' if ok else 'MISS'}", ok


def summary(runs: Sequence[Run], args: argparse.Namespace) -> None:
    """Median over the runs of each mode's p50/p99, then the targets."""
    target_s = answer_target_s(args.latency_ms)
    lines = []
    for mode in dict.fromkeys(r.mode for r in runs):
        mine = [r for r in runs if r.mode == mode]

        median = statistics.median
        ack50 = median([percentile(r.ack_ms, 50) for r in mine])
        ack99 = median([percentile(r.ack_ms, 99) for r in mine])
        ans50 = median([percentile(r.answers, 50) for r in mine])
        ans99 = median([percentile(r.answers, 99) for r in mine])
        print(
            f"{mode}, median of {len(mine)}: acks p50 {ack50:.1f} ms, p99 {ack99:.1f} ms; "
            f"answers p50 {fmt_s(ans50)}, p99 {fmt_s(ans99)} "
            f"(complete answers per run: {', '.join(str(r.complete) for r in mine)})"
        )
        lines.append(verdict(f"{mode} acks p99", ack99, ACK_P99_TARGET_MS, "ms"))
        lines.append(verdict(f"{mode} answers p99", ans99 * 1000, target_s * 1000, "ms"))
    within = all(r.within_3s == len(r.acks) for r in runs)
    lines.append((f"100% of acks within 3 s in every run: {'PASS' if within else 'MISS'}", within))
    rss = max((r.rss_mb or math.inf) for r in runs)
    lines.append(verdict("peak RSS (max of runs)", rss, RSS_TARGET_MB, "MB"))
    print(f"targets (answers: min(1.5 × {args.latency_ms} ms + 0.5 s, 5 s) = {target_s:g} s):")
    for line, _ in lines:
        print(f"  {line}")


async def one_run(args: argparse.Namespace, mode: str, workdir: Path) -> Run:
    """A fresh database, cassette and ``liqbot serve``; the burst; the answers."""
    database_url, cassette = await asyncio.to_thread(prepare, workdir)  # asyncio.run inside
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    texts = [args.text] if args.text else list(TOKENS[: args.tokens])
    with SlackApiStandIn() as stand_in:
        started = time.monotonic()
        server = start_server(workdir, port, database_url, cassette, args.latency_ms, stand_in)
        try:
            await wait_ready(base_url, server)
            ready_s = time.monotonic() - started
            requests = SlackRequests(SIGNING_SECRET, response_urls=stand_in.new_response_url)
            if mode == "warm":
                await warm_up(base_url, requests, stand_in)
            acks = await load(base_url, requests, args.requests, args.clients, texts)
            answers = await wait_answers(stand_in, acks, args.answers_timeout)
            rss_mb = peak_rss_mb(server.pid)
        except RuntimeError:
            print((workdir / "serve.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            stop(server)
    return Run(mode, acks, answers, ready_s, rss_mb)


async def run_all(args: argparse.Namespace, root: Path) -> int:
    modes = [args.only] if args.only else ["cold", "warm"]
    print(DEMO_BANNER)
    shown = f"'{args.text}'" if args.text else f"{args.tokens} tokens"
    print(
        f"{args.requests} signed /liquidity requests ({shown}) from {args.clients} concurrent "
        f"clients, replay latency {args.latency_ms} ms per exchange request; {args.runs} runs "
        "per mode, each on a fresh database with no snapshot"
    )
    runs: list[Run] = []
    for mode in modes:
        for number in range(1, args.runs + 1):
            workdir = root / f"{mode}-{number}"
            workdir.mkdir(parents=True, exist_ok=True)
            try:
                run = await one_run(args, mode, workdir)
            except RuntimeError as error:
                print(f"benchmark failed: {error}", file=sys.stderr)
                return 1
            runs.append(run)
            print(run_line(number, run), flush=True)
    summary(runs, args)
    failed = [a for r in runs for a in r.acks if a.status != 200]
    if failed:
        print(f"{len(failed)} requests were not answered 200 (e.g. {failed[0].status})")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--tokens", type=int, default=7, help=f"1–{len(TOKENS)} demo tokens")
    parser.add_argument("--latency-ms", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="runs per mode (median reported)")
    parser.add_argument("--only", choices=["cold", "warm"], help="one mode only")
    parser.add_argument(
        "--answers-timeout", type=float, default=60.0, help="seconds to wait for the answers"
    )
    parser.add_argument(
        "--text", help="the same /liquidity text every time (e.g. help), instead of the tokens"
    )
    parser.add_argument("--keep", type=Path, help="keep the databases, cassettes and server logs")
    args = parser.parse_args(argv)
    args.tokens = max(1, min(args.tokens, len(TOKENS)))
    with contextlib.ExitStack() as stack:
        if args.keep:
            root = args.keep
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="liqbot-ack-")))
        return asyncio.run(run_all(args, root))


if __name__ == "__main__":
    sys.exit(main())
