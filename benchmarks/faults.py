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
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the Slack stand-in lives in tests/fakes, not in the package
sys.path.insert(0, str(REPO / "benchmarks"))

from faults_common import (  # noqa: E402
    PINNED_ENV,
    SERVERS,
    UNSET_ENV,
    SetupFailed,
    reap,
)
from faults_kill import (  # noqa: E402
    killed,
)
from faults_paused import (  # noqa: E402
    paused,
)

from bot.market.demo import DEMO_BANNER  # noqa: E402

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
