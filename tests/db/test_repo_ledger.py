"""The run ledger: one runner per (job, period), takeover of dead runs, posts remembered."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import make_engine
from bot.db.repo_ledger import claim_run, finish_run, get_run, heartbeat, record_post
from tests.builders import NOW

STALE = timedelta(minutes=10)
DAY = "2026-11-25"


async def test_the_second_claim_loses(engine: AsyncEngine) -> None:
    assert await claim_run(engine, "digest", DAY, "w1", NOW, STALE)
    assert not await claim_run(engine, "digest", DAY, "w2", NOW + timedelta(minutes=1), STALE)
    # Not re-entrant: the same worker firing the job twice does not run it twice.
    assert not await claim_run(engine, "digest", DAY, "w1", NOW + timedelta(minutes=1), STALE)
    # Another period, or another job, is its own claim.
    assert await claim_run(engine, "digest", "2026-11-26", "w2", NOW, STALE)
    assert await claim_run(engine, "reminders", DAY, "w2", NOW, STALE)
    run = await get_run(engine, "digest", DAY)
    assert run is not None
    assert (run.status, run.claimed_by, run.attempts, run.claimed_at) == ("claimed", "w1", 1, NOW)
    assert await get_run(engine, "digest", "1999-01-01") is None


async def test_a_stale_claim_is_taken_over_a_live_one_is_not(engine: AsyncEngine) -> None:
    assert await claim_run(engine, "digest", DAY, "w1", NOW, STALE)
    assert await heartbeat(engine, "digest", DAY, "w1", NOW + timedelta(minutes=8))
    # 8 + 10 minutes: the heartbeat is exactly stale_after old, not older: still alive.
    assert not await claim_run(engine, "digest", DAY, "w2", NOW + timedelta(minutes=18), STALE)
    later = NOW + timedelta(minutes=18, seconds=1)
    assert await claim_run(engine, "digest", DAY, "w2", later, STALE)
    run = await get_run(engine, "digest", DAY)
    assert run is not None
    assert (run.claimed_by, run.attempts, run.heartbeat_at) == ("w2", 2, later)
    assert (run.started_at, run.claimed_at) == (NOW, later)  # the run started with w1's claim
    # The old runner learns it lost the claim and cannot finish the run.
    assert not await heartbeat(engine, "digest", DAY, "w1", later)
    assert not await finish_run(engine, "digest", DAY, now=later, worker_id="w1")


async def test_done_is_final_failed_is_retried(engine: AsyncEngine) -> None:
    far = NOW + timedelta(days=3)
    assert await claim_run(engine, "digest", DAY, "w1", NOW, STALE)
    assert await finish_run(
        engine, "digest", DAY, now=NOW, result={"channel": "C1", "ts": "1.2"}, worker_id="w1"
    )
    assert not await claim_run(engine, "digest", DAY, "w2", far, STALE)
    done = await get_run(engine, "digest", DAY)
    assert done is not None
    assert (done.status, done.finished_at, done.result) == (
        "done",
        NOW,
        {"channel": "C1", "ts": "1.2"},
    )

    assert await claim_run(engine, "snapshot", DAY, "w1", NOW, STALE)
    assert await finish_run(engine, "snapshot", DAY, now=NOW, failed=True)
    assert await claim_run(engine, "snapshot", DAY, "w2", NOW + timedelta(seconds=1), STALE)
    retried = await get_run(engine, "snapshot", DAY)
    assert retried is not None
    assert (retried.status, retried.claimed_by, retried.finished_at) == ("claimed", "w2", None)


async def test_posts_are_remembered_for_a_takeover(engine: AsyncEngine) -> None:
    assert await claim_run(engine, "digest", DAY, "w1", NOW, STALE)
    await record_post(engine, "digest", DAY, "C1", "1732525200.000100", now=NOW)
    await record_post(
        engine, "digest", DAY, "C1", "1732525201.000200", now=NOW, kind="thread", symbol="PEPE"
    )
    # w1 crashes here; w2 takes over and sees what was already posted.
    assert await claim_run(engine, "digest", DAY, "w2", NOW + timedelta(hours=1), STALE)
    run = await get_run(engine, "digest", DAY)
    assert run is not None
    assert [(p.kind, p.channel, p.ts, p.symbol) for p in run.posts] == [
        ("main", "C1", "1732525200.000100", None),
        ("thread", "C1", "1732525201.000200", "PEPE"),
    ]


async def _race(db_url: str, claimers: int, job: str, at_minutes: int) -> list[bool]:
    engines = [make_engine(db_url) for _ in range(claimers)]
    try:
        now = NOW + timedelta(minutes=at_minutes)
        return list(
            await asyncio.gather(
                *(
                    claim_run(engine, job, DAY, f"w{i}", now, STALE)
                    for i, engine in enumerate(engines)
                )
            )
        )
    finally:
        for engine in engines:
            await engine.dispose()


async def test_concurrent_claimers_exactly_one_wins(db_url: str) -> None:
    for job in ("digest", "reminders", "snapshot"):
        results = await _race(db_url, 6, job, at_minutes=0)
        assert results.count(True) == 1, results


async def test_concurrent_takeover_of_a_stale_claim_exactly_one_wins(
    db_url: str, engine: AsyncEngine
) -> None:
    assert await claim_run(engine, "digest", DAY, "dead", NOW, STALE)
    results = await _race(db_url, 6, "digest", at_minutes=30)
    assert results.count(True) == 1, results
    run = await get_run(engine, "digest", DAY)
    assert run is not None and run.attempts == 2
    assert run.claimed_by == f"w{results.index(True)}"
