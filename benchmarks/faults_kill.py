"""Part (b) of ``faults.py``: the server killed (SIGKILL, SIGTERM) during outreach modal
submissions; acknowledged-but-lost records counted after a restart."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
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
)
from faults_common import (  # noqa: E402
    KILL_WINDOW_S,
    LATE_SIGNAL_MS,
    OUTREACH_SYMBOL,
    TERM_GRACE_S,
    SetupFailed,
    exited,
    graceful_stop,
    launch,
    prepared,
    ready,
    reap,
    signed,
)

from tests.fakes.slack_api import SlackApiStandIn  # noqa: E402
from tests.fakes.slack_requests import SignedRequest, SlackRequests  # noqa: E402

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
