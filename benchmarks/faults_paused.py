"""Part (a) of ``faults.py``: 50 cold slash commands while the home exchange is paused."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the Slack stand-in lives in tests/fakes, not in the package
sys.path.insert(0, str(REPO / "benchmarks"))

from ack import (  # noqa: E402
    SIGNING_SECRET,
    SLACK_ACK_LIMIT_S,
    TOKENS,
)
from faults_common import (  # noqa: E402
    ANSWER_LIMIT_S,
    ANSWER_WAIT_S,
    BINANCE_429_BODY,
    PAUSE_S,
    PAUSED_LATENCY_MS,
    SCAN_TIMEOUT_S,
    SCAN_TIMESTAMPS,
    SERVERS,
    SHIFT,
    SetupFailed,
    exited,
    graceful_stop,
    launch,
    prepared,
    ready,
    reap,
    summary,
)

from bot.market.demo import demo_cassette_lines  # noqa: E402
from tests.fakes.slack_api import SlackApiStandIn  # noqa: E402
from tests.fakes.slack_requests import SlackRequests  # noqa: E402

# ---- (a) a paused home exchange ----------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    kind: str
    name: str
    text: str


@dataclass
class Sent:
    command: Command
    response_url: str
    sent_at: float
    status: int | None = None
    ack_s: float | None = None


def command_mix(count: int) -> list[Command]:
    """Two in five are ``/liquidity TOKEN`` (a different token each, 20 of 50), the others take
    turns: ``/atrisk``, ``/mm TOKEN``, ``/outreach TOKEN``, ``/liquidity help``."""
    commands: list[Command] = []
    liquidity = others = 0
    for i in range(count):
        if i % 5 < 2:
            token = TOKENS[liquidity % len(TOKENS)]
            commands.append(Command("/liquidity TOKEN", "/liquidity", token))
            liquidity += 1
            continue
        token = TOKENS[others % len(TOKENS)]
        commands.append(
            [
                Command("/atrisk", "/atrisk", ""),
                Command("/mm TOKEN", "/mm", token),
                Command("/outreach TOKEN", "/outreach", token),
                Command("/liquidity help", "/liquidity", "help"),
            ][others % 4]
        )
        others += 1
    return commands


async def run_scan(workdir: Path, database_url: str, cassette: Path) -> None:
    """``liqbot scan`` once, stored, against the (still unpaused) cassette copy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RISK_"))}
    env.update(
        DATABASE_URL=database_url,
        MARKET_SOURCE=f"replay:{cassette}",
        REPLAY_LATENCY_MS="0",
        LOG_LEVEL="WARNING",
    )
    log = workdir / "scan.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "bot.cli", "scan"]
        scan = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=out)
        SERVERS.append(scan)
        if not await exited(scan, SCAN_TIMEOUT_S):
            reap(scan)
            raise SetupFailed(f"liqbot scan took over {SCAN_TIMEOUT_S:g} s")
    if scan.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise SetupFailed(f"liqbot scan exited with {scan.returncode}\n{tail}")


def age_scan(database: Path) -> str:
    """Moves every timestamp the scan wrote back by ``SHIFT``; returns the newest snapshot time.
    SQLite holds them as naive UTC text ``YYYY-MM-DD HH:MM:SS[.ffffff]``: the fraction is kept."""
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        for table, columns in SCAN_TIMESTAMPS.items():
            for column in columns:
                db.execute(
                    f"UPDATE {table} SET {column} = "
                    f"datetime({column}, '{SHIFT}') || substr({column}, 20) "
                    f"WHERE {column} IS NOT NULL"
                )
        newest = db.execute("SELECT max(last_snapshot_at) FROM markets").fetchone()[0]
        count = db.execute("SELECT count(*) FROM liquidity_snapshots").fetchone()[0]
    if not count or newest is None:
        raise SetupFailed("the scan stored no snapshot")
    return f"{count} snapshots, newest taken {newest} UTC"


def pause_binance(cassette: Path) -> int:
    """binance.jsonl → one 429 (Retry-After: 300) per distinct request of the demo cassette."""
    seen: dict[tuple[str, str], str] = {}
    for line in demo_cassette_lines("binance"):
        if line.strip():
            raw = json.loads(line)
            method = str(raw.get("method", "GET")).upper()
            seen.setdefault((method, raw["url"]), line)
    lines = [
        json.dumps(
            {
                "method": method,
                "url": url,
                "status": 429,
                "headers": {"Content-Type": "application/json", "Retry-After": str(PAUSE_S)},
                "body": BINANCE_429_BODY,
            },
            separators=(",", ":"),
        )
        for method, url in seen
    ]
    (cassette / "binance.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


async def send_commands(
    base_url: str, requests: SlackRequests, commands: Sequence[Command]
) -> list[Sent]:
    connector = aiohttp.TCPConnector(limit=len(commands))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def one(command: Command) -> Sent:
            request = requests.slash_command(command.name, command.text)
            sent = Sent(command, request.payload["response_url"], time.monotonic())
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.post(
                    f"{base_url}/slack/events", data=request.body, headers=request.headers
                ) as response:
                    await response.read()
                    sent.status = response.status
                    sent.ack_s = time.monotonic() - sent.sent_at
            return sent

        return list(await asyncio.gather(*(one(c) for c in commands)))


async def collect_answers(
    stand_in: SlackApiStandIn, sent: Sequence[Sent], timeout: float
) -> dict[str, tuple[float, dict[str, Any]]]:
    """response id → (seconds from sending to the first answer, its payload)."""
    wanted = {s.response_url.rsplit("/", 1)[-1]: s for s in sent}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if {r.response_id for r in stand_in.responses()} >= wanted.keys():
            break
        await asyncio.sleep(0.1)
    first: dict[str, tuple[float, dict[str, Any]]] = {}
    for post in stand_in.responses():
        if post.response_id in wanted and post.response_id not in first:
            first[post.response_id] = (post.at - wanted[post.response_id].sent_at, post.payload)
    return first


def report_paused(
    sent: Sequence[Sent], answers: dict[str, tuple[float, dict[str, Any]]], setup: str
) -> None:
    print("== (a) home exchange paused ==")
    print(setup)
    print(
        f"{len(sent)} slash commands sent at once right after /healthz answered (cold start); "
        f"answers awaited up to {ANSWER_WAIT_S:g} s"
    )
    kinds = list(dict.fromkeys(s.command.kind for s in sent))
    rows = [(kind, [s for s in sent if s.command.kind == kind]) for kind in kinds]
    rows.append(("all", list(sent)))
    width = max(len(kind) for kind, _ in rows)
    for kind, group in rows:
        latencies = [answers[_rid(s)][0] for s in group if _rid(s) in answers]
        within = sum(1 for t in latencies if t <= ANSWER_LIMIT_S)
        print(
            f"  {kind:<{width}}  answered within 5 s {within:>2}/{len(group):<2} "
            f"({within / len(group):6.1%}); answer latency {summary(latencies)}; "
            f"unanswered after {ANSWER_WAIT_S:g} s: {len(group) - len(latencies)}"
        )
    acked = sum(1 for s in sent if s.status == 200 and (s.ack_s or 99) <= SLACK_ACK_LIMIT_S)
    ack_times = [s.ack_s for s in sent if s.ack_s is not None]
    print(
        f"HTTP 200 within Slack's 3 s: {acked}/{len(sent)} (max {max(ack_times):.2f} s)"
        if ack_times
        else f"HTTP 200 within Slack's 3 s: 0/{len(sent)}"
    )
    liquidity = [s for s in sent if s.command.kind == "/liquidity TOKEN" and _rid(s) in answers]
    texts = [json.dumps(answers[_rid(s)][1], ensure_ascii=False) for s in liquidity]
    paused = sum(1 for t in texts if re.search(r"binance[^\"]*paused", t))
    stored = sum(1 for t in texts if re.search(r"binance[^\"]*snapshot", t))
    print(
        f"/liquidity TOKEN answers naming binance as paused: {paused}/{len(liquidity)}; "
        f"with binance rows from the stored snapshot (and its age): {stored}/{len(liquidity)}"
    )
    given_up = {
        venue: sum(1 for t in texts if re.search(rf"Unavailable now:[^\"]*\b{venue}: ", t))
        for venue in ("okx", "bybit")
    }
    print(
        "/liquidity TOKEN answers where a venue read live was also given up (unavailable): "
        + ", ".join(f"{venue} {n}/{len(liquidity)}" for venue, n in given_up.items())
    )
    share = sum(
        1 for s in sent if _rid(s) in answers and answers[_rid(s)][0] <= ANSWER_LIMIT_S
    ) / len(sent)
    print(f"target: 100% answered within 5 s: {'PASS' if share == 1 else 'MISS'} ({share:.1%})")


def _rid(sent: Sent) -> str:
    return sent.response_url.rsplit("/", 1)[-1]


async def paused(args: argparse.Namespace, workdir: Path) -> None:
    database_url, cassette = await prepared(workdir)
    await run_scan(workdir, database_url, cassette)
    scan = age_scan(workdir / "liqbot.db")
    lines = pause_binance(cassette)
    setup = (
        f"stored scan moved back 2 h ({scan}); binance answers 429 Retry-After: {PAUSE_S} to "
        f"all {lines} recorded URLs; okx, bybit replayed; REPLAY_LATENCY_MS={PAUSED_LATENCY_MS}"
    )
    with SlackApiStandIn() as stand_in:
        server, base_url = launch(
            workdir / "serve", database_url, cassette, PAUSED_LATENCY_MS, stand_in
        )
        try:
            await ready(base_url, server, workdir / "serve" / "serve.log")
            requests = SlackRequests(SIGNING_SECRET, response_urls=stand_in.new_response_url)
            sent = await send_commands(base_url, requests, command_mix(args.commands))
            answers = await collect_answers(stand_in, sent, ANSWER_WAIT_S)
        finally:
            await graceful_stop(server)
    report_paused(sent, answers, setup)
