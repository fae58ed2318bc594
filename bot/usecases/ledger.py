"""The run ledger: the protocol every scheduled job follows, claim → work → post → finish (SPEC 7).

``run_once(services, job, period, work, post)``:

1. claim (job, period) in the run ledger (``bot.db.repo_ledger``). Already done → skip. Claimed
   by another worker whose heartbeat is fresh → skip. A claim whose runner died (no heartbeat
   for ``STALE_AFTER``) or that failed is taken over; exactly one claimant wins, on SQLite and
   PostgreSQL alike.
2. ``work()`` (a scan, building the digest…) while a heartbeat keeps the claim alive.
3. ``post(result, posts)``: the job posts to Slack and records each message with
   ``posts.record(...)`` right after Slack accepted it. A run taken over after a crash sees the
   messages already recorded (``posts.posted(kind)``) and does not post them again. A crash (or
   a database failure) between Slack's answer and the record leaves a message Slack has and the
   ledger does not: a later attempt (``posts.attempt > 1``) looks for it in Slack, posted since
   ``posts.started_at`` (the period's first claim), before posting (``jobs.slack``).
4. finish: the ledger row becomes ``done`` with a small summary of the result.

An error marks the run ``failed``; the next catch-up (every few minutes) takes it over, up to
``MAX_ATTEMPTS`` claims per period. A process that dies leaves the claim ``claimed``: after
``STALE_AFTER`` without heartbeat, another worker (or the restarted one) takes it over.

A worker is one ``Services`` (``Services.worker_id``): a restarted process is a new worker. The
jobs (``jobs/``) decide the job names and periods and post to Slack; this module alone reads and
writes the ledger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from bot.db import repo_ledger
from bot.db.records import PostRecord
from bot.usecases.services import Services

logger = logging.getLogger(__name__)

T = TypeVar("T")

STALE_AFTER = timedelta(minutes=3)
"""A claim without a heartbeat for this long belongs to a runner that died."""
HEARTBEAT_EVERY_S = 30.0
MAX_ATTEMPTS = 5
"""Claims of one period before the catch-up gives up on it (e.g. a channel that does not exist);
`liqbot digest --force` still posts."""

Outcome = Literal["done", "already_done", "busy", "gave_up", "failed"]


@dataclass
class Posts:
    """The Slack messages of one run: those recorded by earlier attempts, and ``record`` for
    new ones (``kind`` "main", "thread:1", "csv", "dm"…)."""

    services: Services
    job: str
    period: str
    previous: tuple[PostRecord, ...]
    attempt: int = 1  # > 1: an earlier attempt may have posted before it could record
    started_at: datetime | None = None  # the period's first claim: nothing was posted before
    new: list[PostRecord] = field(default_factory=list)

    def posted(self, kind: str) -> PostRecord | None:
        """The message of ``kind`` already recorded for this run, if any."""
        return next((p for p in (*self.previous, *self.new) if p.kind == kind), None)

    async def record(
        self,
        channel: str,
        ts: str,
        kind: str = "main",
        symbol: str | None = None,
        blocks: list[Any] | None = None,
    ) -> None:
        now = self.services.clock()
        await repo_ledger.record_post(
            self.services.engine,
            self.job,
            self.period,
            channel,
            ts,
            now=now,
            kind=kind,
            symbol=symbol,
            blocks=blocks,
        )
        self.new.append(PostRecord(self.job, self.period, kind, channel, ts, symbol, now))


@dataclass(frozen=True)
class RunOutcome:
    """What ``run_once`` did: ``done`` (this call ran it), ``already_done``, ``busy`` (another
    live worker holds it), ``gave_up`` (failed ``MAX_ATTEMPTS`` times), ``failed`` (never
    returned: the error is raised). ``posts`` are the run's messages (earlier and new)."""

    job: str
    period: str
    status: Outcome
    result: Any = None
    posts: tuple[PostRecord, ...] = ()


Work = Callable[[], Awaitable[T]]
Post = Callable[[T, Posts], Awaitable[None]]
Summarize = Callable[[T], Mapping[str, Any]]


async def _heartbeat(services: Services, job: str, period: str, worker: str, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            alive = await repo_ledger.heartbeat(
                services.engine, job, period, worker, services.clock()
            )
        except Exception as exc:  # a database hiccup: the next beat may get through
            logger.warning("run %s/%s: heartbeat failed (%s)", job, period, type(exc).__name__)
            continue
        if not alive:
            logger.warning("run %s/%s: claim lost to another worker", job, period)
            return


async def _skip(services: Services, job: str, period: str) -> RunOutcome | None:
    run = await repo_ledger.get_run(services.engine, job, period)
    if run is None:
        return None
    if run.status == "done":
        return RunOutcome(job, period, "already_done", run.result, run.posts)
    if run.status == "failed" and run.attempts >= MAX_ATTEMPTS:
        return RunOutcome(job, period, "gave_up", run.result, run.posts)
    return None


async def run_once(
    services: Services,
    job: str,
    period: str,
    work: Work[T],
    post: Post[T] | None = None,
    *,
    summarize: Summarize[T] | None = None,
    stale_after: timedelta = STALE_AFTER,
    heartbeat_every_s: float = HEARTBEAT_EVERY_S,
) -> RunOutcome:
    """Run ``work`` (then ``post``) for (``job``, ``period``) at most once across processes;
    see the module docstring. Errors in ``work``/``post`` mark the run failed and propagate."""
    skipped = await _skip(services, job, period)
    if skipped is not None:
        return skipped
    worker = services.worker_id
    claimed = await repo_ledger.claim_run(
        services.engine, job, period, worker, services.clock(), stale_after
    )
    if not claimed:
        return await _skip(services, job, period) or RunOutcome(job, period, "busy")
    beat = asyncio.create_task(_heartbeat(services, job, period, worker, heartbeat_every_s))
    try:
        result = await work()
        run = await repo_ledger.get_run(services.engine, job, period)
        posts = (
            Posts(services, job, period, run.posts, run.attempts, run.started_at)
            if run is not None
            else Posts(services, job, period, ())
        )
        if run is None or run.claimed_by != worker or run.status != "claimed":
            # Our heartbeat went stale (a stalled loop, a database outage) and another worker
            # took the period over: it posts, we must not.
            logger.warning("run %s/%s: claim lost before posting; leaving it", job, period)
            return RunOutcome(job, period, "busy", result)
        if post is not None:
            await post(result, posts)
        summary = dict(summarize(result)) if summarize is not None else {}
    except Exception as exc:
        await repo_ledger.finish_run(
            services.engine,
            job,
            period,
            now=services.clock(),
            result={"error": f"{type(exc).__name__}: {str(exc)[:300]}"},
            failed=True,
            worker_id=worker,
        )
        raise
    finally:
        beat.cancel()
    finished = await repo_ledger.finish_run(
        services.engine, job, period, now=services.clock(), result=summary, worker_id=worker
    )
    if not finished:
        logger.warning("run %s/%s finished after its claim was taken over", job, period)
    return RunOutcome(job, period, "done", result, (*posts.previous, *posts.new))


async def run_states(
    services: Services, jobs: list[str], period: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Status ("claimed", "done", "failed", "gave_up" past ``MAX_ATTEMPTS``, or "unclaimed")
    and result summary of each job's run for ``period``."""
    states: dict[str, tuple[str, dict[str, Any]]] = {}
    for job in jobs:
        run = await repo_ledger.get_run(services.engine, job, period)
        if run is None:
            states[job] = ("unclaimed", {})
            continue
        status = run.status
        if status == "failed" and run.attempts >= MAX_ATTEMPTS:
            status = "gave_up"
        states[job] = (status, dict(run.result or {}))
    return states
