"""Benchmark: answers and stored records under faults (the "Hardening" issue).

    python benchmarks/faults.py [--rounds 20] [--commands 50] [--seed 7] [--only paused|kill]

Everything goes over HTTP to a real ``liqbot serve --no-scheduler`` subprocess (the real Bolt app
under uvicorn), set up as in ``benchmarks/ack.py`` (whose helpers this imports): a temporary
SQLite database with the demo supply, a copy of the demo cassette (DEMO DATA), the Slack Web API
stand-in of the tests in this process, and requests signed as Slack signs them. The database is
read with plain SQL (``sqlite3``), never through liqbot's code. Cold: no warm-up request.

(a) ``paused``: the home exchange is rate-limited for 5 minutes. Set-up, in this order:
    1. ``liqbot scan`` once against the unmodified demo cassette (replay, no latency): one stored
       scan, so every demo token has snapshots.
    2. That scan is made 2 hours old with SQL: every timestamp the scan wrote (``scans``,
       ``liquidity_snapshots.taken_at``, ``markets.first_seen/last_seen/last_snapshot_at``,
       ``risk_assessments.assessed_at``) is moved back 2 h, so the snapshots exist but are older
       than ``SNAPSHOT_INTERVAL_MINUTES`` (default 60) and do not answer on their own.
    3. ``binance.jsonl`` (the home exchange) of the cassette copy is replaced by one line per
       URL the demo cassette has, each answering HTTP 429 with ``Retry-After: 300`` (the replay
       matches method + path + query set); okx and bybit keep their demo recordings.
       ``REPLAY_LATENCY_MS=300`` for every exchange (ccxt's throttler on).
    4. ``liqbot serve`` starts; as soon as ``/healthz`` answers, 50 signed slash commands go out at
       once (one connection each): ``/liquidity TOKEN`` for 20 different demo tokens, then in
       turn ``/atrisk``, ``/mm TOKEN``, ``/outreach TOKEN`` and ``/liquidity help``.
    Measured per command: time from sending it to its first answer at its ``response_url`` (the
    stand-in's clock, same process); answers are awaited up to 20 s. Printed per command kind and
    in all: answered within 5 s of sending (SPEC 6; target 100%), p50 / p99 / max answer latency,
    HTTP 200 within Slack's 3 s, how many ``/liquidity`` answers name binance as paused and
    carry its rows from the stored snapshot, and how many gave up on okx or bybit as well.

(b) ``kill``: outreach modal submissions while the server is killed. One SQLite database file
    (no stored scan; ``/liquidity`` reads the replayed demo cassette live, no latency) and one
    Slack stand-in for all rounds. Each round starts ``liqbot serve`` on a fresh port over that
    file, then does what Slack and a user do: the first round sends ``/liquidity ZIBBKA`` and
    takes the real "Log outreach" button from the answer; each round clicks it (an ephemeral
    click, as Slack sends it) once per submission, so the bot opens real modals with
    ``views.open`` on the stand-in; each opened view is filled in (a select's first option, text
    in the text inputs, the default date) and the submissions are sent at once (default 4,
    ``--submissions``). At a random moment 0–300 ms after sending (seeded RNG: reproducible) the
    server gets SIGKILL (even rounds) or SIGTERM (odd rounds); a process still alive 30 s after
    SIGTERM is killed. A submission counts as *acknowledged* when it got HTTP 200 within Slack's
    3 s with an empty body or a JSON body without ``response_action`` or with
    ``response_action: clear`` (Slack closes the modal as a success); anything else (an error
    shown in the modal, a non-200, a connection error, no answer within 3 s) is *refused/failed*:
    Slack keeps the modal open or shows an error and the user retries, so nothing is lost. After
    the last round the server is started once more over the same file (a restart after the last
    kill, and time for any recovery at start), stopped gracefully, and the outreach events are
    read: a submission is stored when an ``idempotency_key`` names its view id. Printed: one line
    per round (when the signal went, and the drawn delay when the busy machine sent it over 20 ms
    late; when the acknowledgements came back; how many were lost), then acknowledged-but-lost
    (target 0), acknowledged-and-stored, refused/failed (and how many of those were stored anyway)
    per signal and in all, and outreach events vs ``audit_log`` rows. The seed fixes the kill
    delays, not what the server has done by then: that depends on the machine's load, so the
    counts vary from run to run while losses are possible at all; 0 is only meaningful run after
    run.

Exit code 0 whatever the figures (a benchmark, not a test); 1 when the set-up failed (the server
did not start, the scan failed, no "Log outreach" button or modal). Bounded: every wait has a
deadline and the rounds stop when the total budget (``--budget``, default 240 s) runs out,
which the output then says. Servers and temporary directories are cleaned up on Ctrl-C too.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the Slack stand-in lives in tests/fakes, not in the package
sys.path.insert(0, str(REPO / "benchmarks"))

from ack import (  # noqa: E402
    SIGNING_SECRET,
    SLACK_ACK_LIMIT_S,
    TOKENS,
    free_port,
    percentile,
    prepare,
    start_server,
    wait_ready,
)

from bot.market.demo import DEMO_BANNER, demo_cassette_lines  # noqa: E402
from tests.fakes.slack_api import SlackApiStandIn  # noqa: E402
from tests.fakes.slack_requests import FORM, SignedRequest, SlackRequests, slack_signature  # noqa: E402

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


# ---- (b) killed during modal submissions -------------------------------------------------------


@dataclass
class Submission:
    signal: str
    view_id: str
    outcome: str = "no answer"  # "acknowledged" | "refused: …" | "failed: …"
    answered_ms: float | None = None  # from sending to the HTTP answer

    @property
    def acknowledged(self) -> bool:
        return self.outcome == "acknowledged"


@dataclass(frozen=True)
class Round:
    number: int
    signal: str
    drawn_ms: float  # the seeded random delay
    delay_ms: float  # from sending the submissions to the signal, as it happened
    submissions: list[Submission]
    exited: bool  # the process was gone within TERM_GRACE_S of the signal


def closes_modal(status: int, body: bytes) -> bool:
    """Would Slack close the modal as a success? (HTTP 200, empty body or no response_action
    other than ``clear``.)"""
    if status != 200:
        return False
    if not body.strip():
        return True
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("response_action") in (None, "clear")


def filled_in(view: dict[str, Any], note: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The modal's input blocks as a user fills them in: a select's first option, ``note`` in
    text inputs (within max_length), the default date and number, no checkbox."""
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        kind = element.get("type")
        state: dict[str, Any] = {"type": kind}
        if kind == "static_select":
            option = (element.get("options") or [None])[0]
            state["selected_option"] = option
        elif kind == "plain_text_input":
            state["value"] = note[: int(element.get("max_length") or len(note))]
        elif kind == "number_input":
            state["value"] = element.get("initial_value") or "1"
        elif kind == "datepicker":
            later = (date.today() + timedelta(days=7)).isoformat()
            state["selected_date"] = element.get("initial_date") or later
        elif kind == "checkboxes":
            state["selected_options"] = []
        values[str(block["block_id"])] = {str(element.get("action_id")): state}
    return values


def click(requests: SlackRequests, button: dict[str, Any], block_id: str) -> SignedRequest:
    """A click on a button of an ephemeral answer, as Slack sends it (no ``message``)."""
    base = requests.block_actions(
        str(button["action_id"]), str(button.get("value") or ""), block_id=block_id
    )
    payload = json.loads(base.payload["payload"])
    del payload["message"]
    payload["container"] = {
        "type": "message",
        "message_ts": "1700000099.000100",
        "channel_id": "C0RISKDESK",
        "is_ephemeral": True,
    }
    return signed(urlencode({"payload": json.dumps(payload)}))


async def log_outreach_button(
    http: aiohttp.ClientSession, base_url: str, requests: SlackRequests, stand_in: SlackApiStandIn
) -> tuple[dict[str, Any], str]:
    """(the "Log outreach" button, its block_id) from a real ``/liquidity`` answer."""
    request = requests.slash_command("/liquidity", OUTREACH_SYMBOL)
    async with http.post(f"{base_url}/slack/events", data=request.body, headers=request.headers):
        pass
    url = request.payload["response_url"]
    deadline = time.monotonic() + 20
    while not stand_in.responses(url):
        if time.monotonic() > deadline:
            raise SetupFailed(f"no answer to /liquidity {OUTREACH_SYMBOL} within 20 s")
        await asyncio.sleep(0.05)
    for block in stand_in.responses(url)[0].payload.get("blocks") or []:
        for element in block.get("elements") or [] if block.get("type") == "actions" else []:
            label = (element.get("text") or {}).get("text")
            if element.get("type") == "button" and label == "Log outreach":
                return element, str(block.get("block_id"))
    raise SetupFailed(f"no 'Log outreach' button in the /liquidity {OUTREACH_SYMBOL} answer")


async def open_modals(
    http: aiohttp.ClientSession,
    base_url: str,
    requests: SlackRequests,
    stand_in: SlackApiStandIn,
    button: tuple[dict[str, Any], str],
    count: int,
) -> list[dict[str, Any]]:
    """``count`` clicks on the button; the views the bot opened (as the stand-in stored them)."""
    before = len(stand_in.ok_calls("views.open"))

    async def one() -> None:
        request = click(requests, *button)
        async with http.post(
            f"{base_url}/slack/events", data=request.body, headers=request.headers
        ) as response:
            await response.read()

    await asyncio.gather(*(one() for _ in range(count)))
    deadline = time.monotonic() + 10
    while len(stand_in.ok_calls("views.open")) < before + count:
        if time.monotonic() > deadline:
            raise SetupFailed(f"the bot opened no modal for a click: {stand_in.summary()[-500:]}")
        await asyncio.sleep(0.02)
    calls = stand_in.ok_calls("views.open")[before : before + count]
    return [stand_in.workspace.views[call.answer["view"]["id"]] for call in calls]


async def submit(
    http: aiohttp.ClientSession,
    base_url: str,
    request: SignedRequest,
    submission: Submission,
    sent_at: float,
) -> None:
    try:
        async with asyncio.timeout(SLACK_ACK_LIMIT_S):
            async with http.post(
                f"{base_url}/slack/events", data=request.body, headers=request.headers
            ) as response:
                body = await response.read()
        submission.answered_ms = (time.monotonic() - sent_at) * 1000
        if closes_modal(response.status, body):
            submission.outcome = "acknowledged"
        else:
            submission.outcome = f"refused: HTTP {response.status} {body[:60]!r}"
    except TimeoutError:
        submission.outcome = "failed: no answer within 3 s"
    except aiohttp.ClientError as error:
        submission.outcome = f"failed: {type(error).__name__}"


async def kill_round(
    number: int,
    workdir: Path,
    database_url: str,
    cassette: Path,
    stand_in: SlackApiStandIn,
    requests: SlackRequests,
    button: tuple[dict[str, Any], str] | None,
    args: argparse.Namespace,
    rng: random.Random,
) -> tuple[Round, tuple[dict[str, Any], str]]:
    """One round, and the "Log outreach" button (taken from a real answer in the first)."""
    sig = signal.SIGKILL if number % 2 == 0 else signal.SIGTERM
    delay = rng.uniform(0, KILL_WINDOW_S)
    here = workdir / f"round-{number + 1:02d}"
    server, base_url = launch(here, database_url, cassette, 0, stand_in)
    timeout = aiohttp.ClientTimeout(total=15)
    try:
        await ready(base_url, server, here / "serve.log")
        async with aiohttp.ClientSession(timeout=timeout) as http:
            if button is None:
                button = await log_outreach_button(http, base_url, requests, stand_in)
            views = await open_modals(http, base_url, requests, stand_in, button, args.submissions)
        submissions = [Submission(sig.name, str(v["id"])) for v in views]
        posts = [
            requests.view_submission(
                str(view["callback_id"]),
                filled_in(view, f"kill bench round {number + 1} #{k + 1}"),
                private_metadata=str(view.get("private_metadata") or ""),
                view_id=str(view["id"]),
                view_hash=str(view["hash"]),
            )
            for k, view in enumerate(views)
        ]
        connector = aiohttp.TCPConnector(limit=len(posts), force_close=True)
        async with aiohttp.ClientSession(connector=connector) as http:
            sent_at = time.monotonic()
            tasks = [
                asyncio.ensure_future(submit(http, base_url, post, s, sent_at))
                for post, s in zip(posts, submissions, strict=True)
            ]
            await asyncio.sleep(delay)
            server.send_signal(sig)
            signalled_ms = (time.monotonic() - sent_at) * 1000
            await asyncio.gather(*tasks)
        clean_exit = await exited(server, TERM_GRACE_S)
    finally:
        reap(server)
    result = Round(number + 1, sig.name, delay * 1000, signalled_ms, submissions, clean_exit)
    return result, button


def stored_view_ids(database: Path) -> tuple[set[str], int, int]:
    """(view ids named by an outreach idempotency key, outreach events, audit_log rows)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        contacts = "SELECT idempotency_key FROM case_events WHERE kind = 'contact'"
        keys = [row[0] for row in db.execute(contacts)]
        audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    ids = {part for key in keys for part in re.split(r"[^A-Za-z0-9_-]+", str(key)) if part}
    return ids, len(keys), int(audit)


def report_kill(
    rounds: Sequence[Round], asked: int, seed: int, stored: set[str], rows: tuple[int, int]
) -> None:
    print("== (b) server killed during outreach modal submissions ==")
    submissions = [s for r in rounds for s in r.submissions]
    per_round = len(submissions) // len(rounds) if rounds else 0
    print(
        f"{len(rounds)}/{asked} rounds (SIGKILL and SIGTERM alternating, kill 0–300 ms after "
        f"sending, seed {seed}), {per_round} concurrent 'Log outreach' submissions each, "
        f"{len(submissions)} in all; stored = in the outreach table after a restart"
    )
    if len(rounds) < asked:
        print(f"  only {len(rounds)} rounds ran: the time budget ran out")
    for r in rounds:
        acked = [s for s in r.submissions if s.acknowledged]
        lost = sum(1 for s in acked if s.view_id not in stored)
        times = sorted(s.answered_ms for s in acked if s.answered_ms is not None)
        when = f" at {times[0]:.0f}–{times[-1]:.0f} ms" if times else ""
        late = r.delay_ms - r.drawn_ms
        drawn = f" (drawn {r.drawn_ms:.0f})" if late > LATE_SIGNAL_MS else ""
        print(
            f"  round {r.number:>2} {r.signal} at {r.delay_ms:3.0f} ms{drawn}: "
            f"{len(acked)} acknowledged{when} ({lost} lost), "
            f"{len(r.submissions) - len(acked)} refused/failed"
            + ("" if r.exited else f"; still running {TERM_GRACE_S:g} s later, killed")
        )
    groups = [
        (name, [s for s in submissions if s.signal == name]) for name in ("SIGKILL", "SIGTERM")
    ]
    groups.append(("all", list(submissions)))
    for name, group in groups:
        lost = sum(1 for s in group if s.acknowledged and s.view_id not in stored)
        kept = sum(1 for s in group if s.acknowledged and s.view_id in stored)
        refused = [s for s in group if not s.acknowledged]
        refused_stored = sum(1 for s in refused if s.view_id in stored)
        print(
            f"  {name:<7}  acknowledged-but-lost {lost:>3}   acknowledged-and-stored {kept:>3}   "
            f"refused/failed {len(refused):>3} (stored anyway: {refused_stored})"
        )
    reasons: dict[str, int] = {}
    for s in submissions:
        if not s.acknowledged:
            reasons[s.outcome] = reasons.get(s.outcome, 0) + 1
    if reasons:
        listed = "; ".join(f"{why} ×{n}" for why, n in sorted(reasons.items()))
        print(f"  refused/failed as: {listed}")
    print(f"  rows in the database: outreach {rows[0]}, audit_log {rows[1]}")
    lost_all = sum(1 for s in submissions if s.acknowledged and s.view_id not in stored)
    print(f"target: 0 acknowledged-but-lost: {'PASS' if lost_all == 0 else 'MISS'} ({lost_all})")


async def killed(args: argparse.Namespace, workdir: Path, deadline: float) -> None:
    database_url, cassette = await prepared(workdir)
    rng = random.Random(args.seed)
    rounds: list[Round] = []
    button: tuple[dict[str, Any], str] | None = None
    with SlackApiStandIn() as stand_in:
        requests = SlackRequests(SIGNING_SECRET, response_urls=stand_in.new_response_url)
        for number in range(args.rounds):
            if time.monotonic() > deadline:
                break
            result, button = await kill_round(
                number, workdir, database_url, cassette, stand_in, requests, button, args, rng
            )
            rounds.append(result)
        # The restart after the last kill: whatever liqbot recovers at start is counted.
        server, base_url = launch(workdir / "restart", database_url, cassette, 0, stand_in)
        try:
            await ready(base_url, server, workdir / "restart" / "serve.log")
            await asyncio.sleep(1.0)
        finally:
            await graceful_stop(server)
    stored, outreach_rows, audit_rows = stored_view_ids(workdir / "liqbot.db")
    report_kill(rounds, args.rounds, args.seed, stored, (outreach_rows, audit_rows))


# ---- main --------------------------------------------------------------------------------------


async def run(args: argparse.Namespace, workdir: Path) -> None:
    # Ctrl-C and SIGTERM cancel this task: every ``finally`` below stops its server.
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    if task is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
    deadline = time.monotonic() + args.budget
    print(DEMO_BANNER)
    if args.only in (None, "paused"):
        began = time.monotonic()
        await paused(args, workdir / "paused")
        print(f"(part a took {time.monotonic() - began:.0f} s)")
    if args.only in (None, "kill"):
        began = time.monotonic()
        await killed(args, workdir / "kill", deadline)
        print(f"(part b took {time.monotonic() - began:.0f} s)")


def interrupted(signum: int, frame: object) -> None:
    """SIGTERM (and SIGINT, even when the shell started us with it ignored) outside the event
    loop stop the benchmark as Ctrl-C does; inside it, ``run`` cancels its task instead."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def servers_reaped() -> Iterator[None]:
    """Whatever happens (Ctrl-C, SIGTERM), no subprocess outlives the benchmark."""
    previous = {sig: signal.signal(sig, interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the reaping
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for server in SERVERS:
            reap(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20, help="kill rounds (b)")
    parser.add_argument("--commands", type=int, default=50, help="slash commands at once (a)")
    parser.add_argument("--submissions", type=int, default=4, help="submissions per round (b)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the kill delays (b)")
    parser.add_argument("--only", choices=("paused", "kill"), help="run one part only")
    parser.add_argument(
        "--budget", type=float, default=240.0, help="seconds after which no new round starts"
    )
    parser.add_argument("--keep", type=Path, help="keep databases, cassettes and server logs here")
    args = parser.parse_args(argv)
    if args.commands < 1 or args.rounds < 1 or args.submissions < 1:
        parser.error("--commands, --rounds and --submissions must be at least 1")
    os.environ.update(PINNED_ENV)  # inherited by ack.start_server's subprocesses
    for name in UNSET_ENV:
        os.environ.pop(name, None)
    with contextlib.ExitStack() as stack:
        stack.enter_context(servers_reaped())
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            workdir = args.keep
        else:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="liqbot-faults-"))
            )
        for part in ("paused", "kill"):
            (workdir / part).mkdir(exist_ok=True)
        try:
            asyncio.run(run(args, workdir))
        except SetupFailed as error:
            print(f"benchmark set-up failed: {error}", file=sys.stderr)
            return 1
        except (KeyboardInterrupt, asyncio.CancelledError):
            print("interrupted: servers stopped, temporary files removed", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
