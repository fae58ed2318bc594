"""The run ledger (SPEC 7): which process runs a job's period, and what it already posted.

Contract, identical on SQLite and PostgreSQL:
- ``claim_run`` inserts (job, period) with ``INSERT … ON CONFLICT DO NOTHING``; the unique key
  lets exactly one process win. A claim that exists is taken over only when it is not done and
  either failed or its heartbeat is older than ``stale_after`` (its runner died) — by one
  conditional ``UPDATE``, so of two processes seeing the same stale claim exactly one wins. A
  takeover keeps the run's ``started_at`` (its first claim): whatever an earlier claimant posted
  was posted after it.
- A claim is not re-entrant: the same worker claiming again gets False (a scheduler firing a job
  twice in one process must not run it twice).
- ``record_post`` stores each Slack message right after it is posted; a runner that takes over a
  crashed run sees it in ``get_run(...).posts`` and does not post again.

Each function takes an ``AsyncEngine`` (its own short transaction, committed at once: what the
jobs want) or a session / connection (the caller's transaction).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.dialect import Executor, upsert_insert
from bot.db.records import JobRunRecord, PostRecord
from bot.db.tables import POSTS, RUNS

Bind = AsyncEngine | Executor


@asynccontextmanager
async def _tx(bind: Bind) -> AsyncIterator[Executor]:
    if isinstance(bind, AsyncEngine):
        async with bind.begin() as conn:
            yield conn
    else:
        yield bind


async def claim_run(
    bind: Bind, job: str, period: str, worker_id: str, now: datetime, stale_after: timedelta
) -> bool:
    """Claim ``job`` for ``period`` (e.g. "digest", "2026-11-25") for ``worker_id``. True when
    this caller must run it: a fresh claim, or a takeover of a failed or stale one."""
    async with _tx(bind) as conn:
        stmt = upsert_insert(conn, RUNS).values(
            job=job,
            period=period,
            status="claimed",
            claimed_by=worker_id,
            started_at=now,
            claimed_at=now,
            heartbeat_at=now,
            attempts=1,
        )
        inserted = await conn.execute(
            stmt.on_conflict_do_nothing(index_elements=["job", "period"]).returning(RUNS.c.id)
        )
        if inserted.first() is not None:
            return True
        c = RUNS.c
        taken = await conn.execute(
            update(RUNS)
            .where(
                c.job == job,
                c.period == period,
                c.status != "done",
                or_(c.status == "failed", c.heartbeat_at < now - stale_after),
            )
            .values(
                status="claimed",
                claimed_by=worker_id,
                claimed_at=now,
                heartbeat_at=now,
                finished_at=None,
                attempts=c.attempts + 1,
            )
        )
        return _rowcount(taken) == 1


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


async def heartbeat(bind: Bind, job: str, period: str, worker_id: str, now: datetime) -> bool:
    """Refresh the claim's heartbeat; False when ``worker_id`` no longer holds the claim."""
    c = RUNS.c
    async with _tx(bind) as conn:
        result = await conn.execute(
            update(RUNS)
            .where(
                c.job == job, c.period == period, c.claimed_by == worker_id, c.status == "claimed"
            )
            .values(heartbeat_at=now)
        )
        return _rowcount(result) == 1


async def finish_run(
    bind: Bind,
    job: str,
    period: str,
    *,
    now: datetime,
    result: dict[str, Any] | None = None,
    failed: bool = False,
    worker_id: str | None = None,
) -> bool:
    """Mark the run done (or failed: it may then be claimed again at once) with its ``result``
    (e.g. counts, the Slack channel and ts). With ``worker_id``, only if that worker still holds
    the claim. Returns whether the row was updated."""
    c = RUNS.c
    stmt = update(RUNS).where(c.job == job, c.period == period, c.status == "claimed")
    if worker_id is not None:
        stmt = stmt.where(c.claimed_by == worker_id)
    values: dict[str, Any] = {
        "status": "failed" if failed else "done",
        "finished_at": now,
        "heartbeat_at": now,
    }
    if result is not None:
        values["result"] = result
    async with _tx(bind) as conn:
        return _rowcount(await conn.execute(stmt.values(**values))) == 1


async def record_post(
    bind: Bind,
    job: str,
    period: str,
    channel: str,
    ts: str,
    *,
    now: datetime,
    kind: str = "main",
    symbol: str | None = None,
    blocks: list[Any] | None = None,
) -> None:
    """Remember a Slack message (channel, ts) posted for the run; call it right after posting."""
    async with _tx(bind) as conn:
        await conn.execute(
            insert(POSTS).values(
                job=job,
                period=period,
                kind=kind,
                channel=channel,
                ts=ts,
                symbol=symbol,
                blocks=blocks,
                posted_at=now,
            )
        )


async def get_run(bind: Bind, job: str, period: str) -> JobRunRecord | None:
    """The ledger row of (job, period) with its posts (oldest first), or None if never claimed."""
    async with _tx(bind) as conn:
        row = (
            (await conn.execute(select(RUNS).where(RUNS.c.job == job, RUNS.c.period == period)))
            .mappings()
            .first()
        )
        if row is None:
            return None
        posts = await conn.execute(
            select(POSTS).where(POSTS.c.job == job, POSTS.c.period == period).order_by(POSTS.c.id)
        )
        return JobRunRecord(
            job=row["job"],
            period=row["period"],
            status=row["status"],
            claimed_by=row["claimed_by"],
            started_at=row["started_at"],
            claimed_at=row["claimed_at"],
            heartbeat_at=row["heartbeat_at"],
            finished_at=row["finished_at"],
            attempts=row["attempts"],
            result=row["result"],
            posts=tuple(
                PostRecord(
                    job=p["job"],
                    period=p["period"],
                    kind=p["kind"],
                    channel=p["channel"],
                    ts=p["ts"],
                    symbol=p["symbol"],
                    posted_at=p["posted_at"],
                )
                for p in posts.mappings()
            ),
        )


async def latest_done_result(
    bind: Bind, job_prefix: str, before_period: str
) -> dict[str, Any] | None:
    """The result of the newest finished run of any job named ``job_prefix…`` whose period sorts
    before ``before_period`` (e.g. the digest of the last day before today, in any channel)."""
    r = RUNS.c
    stmt = (
        select(r.result)
        .where(r.job.startswith(job_prefix), r.status == "done", r.period < before_period)
        .order_by(r.period.desc(), r.finished_at.desc())
        .limit(1)
    )
    async with _tx(bind) as conn:
        result = (await conn.execute(stmt)).scalar_one_or_none()
    return dict(result) if isinstance(result, dict) else None
