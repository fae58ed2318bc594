"""The claim → work → post → finish protocol on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import partial

import pytest

from bot.db import repo_ledger
from bot.usecases.ledger import MAX_ATTEMPTS, STALE_AFTER, Posts, run_once
from tests.builders import Clock
from tests.conftest import MakeServices


class Crash(BaseException):
    """The process dies here: no except clause of liqbot's runs (only a BaseException passes)."""


async def test_a_period_runs_once_however_often_it_is_fired(make_services: MakeServices) -> None:
    services = make_services()
    calls: list[str] = []

    async def work() -> int:
        calls.append("work")
        return 7

    first = await run_once(services, "test", "p1", work, summarize=lambda n: {"n": n})
    second = await run_once(services, "test", "p1", work)
    other_period = await run_once(services, "test", "p2", work)

    assert (first.status, second.status, other_period.status) == ("done", "already_done", "done")
    assert calls == ["work", "work"]  # p1 once, p2 once
    run = await repo_ledger.get_run(services.engine, "test", "p1")
    assert run is not None and run.status == "done" and run.result == {"n": 7}


async def test_a_live_claim_of_another_worker_is_left_alone(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await repo_ledger.claim_run(services.engine, "test", "p", "other", clock(), STALE_AFTER)

    async def work() -> None:
        raise AssertionError("must not run")

    assert (await run_once(services, "test", "p", work)).status == "busy"


async def test_a_claim_whose_runner_died_is_taken_over_after_the_timeout(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await repo_ledger.claim_run(services.engine, "test", "p", "dead", clock(), STALE_AFTER)
    ran: list[bool] = []

    async def work() -> None:
        ran.append(True)

    clock.advance(seconds=STALE_AFTER.total_seconds() - 1)
    assert (await run_once(services, "test", "p", work)).status == "busy"
    clock.advance(seconds=2)
    assert (await run_once(services, "test", "p", work)).status == "done"
    run = await repo_ledger.get_run(services.engine, "test", "p")
    assert ran == [True] and run is not None and run.attempts == 2


async def test_the_heartbeat_keeps_a_slow_run_from_being_taken_over(
    make_services: MakeServices, clock: Clock
) -> None:
    slow, other = make_services(), make_services()
    release = asyncio.Event()

    async def slow_work() -> str:
        await release.wait()
        return "slow"

    async def other_work() -> str:
        return "other"

    task = asyncio.create_task(run_once(slow, "test", "p", slow_work, heartbeat_every_s=0.02))
    claimed_at = clock()
    clock.advance(minutes=2)
    for _ in range(500):  # until a heartbeat at claim + 2 min is written
        run = await repo_ledger.get_run(slow.engine, "test", "p")
        if run is not None and run.heartbeat_at == claimed_at + timedelta(minutes=2):
            break
        await asyncio.sleep(0.01)
    clock.advance(minutes=2)  # 4 min after the claim, 2 min after the last heartbeat
    assert (await run_once(other, "test", "p", other_work)).status == "busy"
    release.set()
    assert (await task).status == "done"


async def test_a_failed_run_is_retried_and_given_up_after_max_attempts(
    make_services: MakeServices,
) -> None:
    services = make_services()
    attempts: list[int] = []

    async def failing() -> None:
        attempts.append(1)
        raise RuntimeError("channel_not_found")

    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            await run_once(services, "test", "p", failing)
    outcome = await run_once(services, "test", "p", failing)

    assert outcome.status == "gave_up"
    assert len(attempts) == MAX_ATTEMPTS
    assert outcome.result == {"error": "RuntimeError: channel_not_found"}


async def test_messages_recorded_before_a_crash_are_not_posted_again(
    make_services: MakeServices, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, restarted = make_services(), make_services()
    posted: list[str] = []

    async def work() -> str:
        return "digest"

    async def post(result: str, posts: Posts) -> None:
        if posts.posted("main") is None:
            posted.append(result)
            await posts.record("C1", f"ts{len(posted)}", "main")

    async def crash(*args: object, **kwargs: object) -> bool:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(repo_ledger, "finish_run", crash)
        with pytest.raises(Crash):
            await run_once(first, "test", "p", work, post)
    clock.advance(minutes=STALE_AFTER.total_seconds() / 60 + 1)
    outcome = await run_once(restarted, "test", "p", work, post)

    assert posted == ["digest"]
    assert outcome.status == "done"
    assert [(p.kind, p.ts) for p in outcome.posts] == [("main", "ts1")]


async def test_two_workers_racing_for_one_period_run_it_once(make_services: MakeServices) -> None:
    workers = [make_services() for _ in range(4)]
    ran: list[int] = []

    async def work_of(n: int) -> int:
        await asyncio.sleep(0.05)
        ran.append(n)
        return n

    outcomes = await asyncio.gather(
        *(run_once(s, "test", "p", partial(work_of, n)) for n, s in enumerate(workers))
    )
    assert len(ran) == 1
    assert sorted(o.status for o in outcomes) == ["busy", "busy", "busy", "done"]


async def test_a_run_whose_claim_was_taken_over_does_not_post(
    make_services: MakeServices, clock: Clock
) -> None:
    stalled, other = make_services(), make_services()
    release, started = asyncio.Event(), asyncio.Event()
    posted: list[str] = []

    async def stalled_work() -> str:
        started.set()  # the work runs only once its claim is stored
        await release.wait()
        return "stalled"

    async def quick_work() -> str:
        return "other"

    async def post(result: str, posts: Posts) -> None:
        posted.append(result)

    task = asyncio.create_task(
        run_once(stalled, "test", "p", stalled_work, post, heartbeat_every_s=3600)
    )
    await asyncio.wait_for(started.wait(), 30)  # claimed (a fixed sleep loses under load)
    clock.advance(seconds=STALE_AFTER.total_seconds() + 1)  # no heartbeat meanwhile
    assert (await run_once(other, "test", "p", quick_work, post)).status == "done"
    release.set()
    assert (await task).status == "busy"
    assert posted == ["other"]
