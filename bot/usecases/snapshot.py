"""Use case: the snapshot of one slot (SPEC 7), shared out among the replicas.

A slot (the run ledger period: the start of its ``SNAPSHOT_INTERVAL_MINUTES`` interval) is done in
two kinds of run ledger claims:

1. one per exchange, job ``snapshot:<exchange>``: whoever claims it scans that exchange and
   streams its snapshots into the slot's scan (``scans.slot``); a replica goes through the
   exchanges (from one that depends on its worker id) and, after each claim it wins, leaves the
   others ``CLAIM_STAGGER_S`` to claim theirs before it claims another, so replicas firing
   together take different ones and a lone replica still scans them all concurrently. A claim
   whose runner died (no heartbeat for ``stale_after``) is taken over: the exchange's rows stored
   so far are dropped, it is scanned again.
2. job ``snapshot``, claimed once every exchange is done (or given up): the slot's assessment.
   It reads every exchange's figures back from the database, assesses the tokens, re-fetches the
   truncated books of at-risk candidates deeper, finishes the scan (every snapshot stamped with
   its ``finished_at``, the markets' pointers moved, assessments and market-maker checks), then
   down-samples old history. Its ledger summary holds the scan id the slot's alerts read.
   Finishing the scan is what marks the assessment stored (``finished_at``, committed with the
   assessments and checks): a run retried after that commit, because the ledger could not
   record it, reads the run back instead of storing the slot's assessments a second time.

Each exchange is therefore scanned once per slot however many replicas run, and one replica
assesses it. The replicas share one request budget per exchange (see the README, "Running
several replicas").
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_assessment, repo_history, repo_scan, repo_scan_store
from bot.domain.risk import is_at_risk
from bot.market.session import count_requests
from bot.usecases.ledger import STALE_AFTER, RunOutcome, run_once, run_states
from bot.usecases.scan import (
    ExchangeSummary,
    ScanResult,
    assess_markets,
    finish_scan_in,
    not_listed_on_home,
)
from bot.usecases.scan_pass import SnapshotBatches, fetch_usd_rates, scan_exchange
from bot.usecases.services import Services

ASSESS_JOB = "snapshot"
CLAIM_STAGGER_S = 2.0
"""Seconds between a replica's claims of a slot's exchanges (replicas fire at the same time)."""
DOWNSAMPLE_DAYS_PER_RUN = 31
"""Days collapsed per run at most: a first run over a long history is spread over several slots,
one committed day at a time, so scans keep being stored meanwhile (SQLite has one writer)."""


def exchange_job(exchange: str) -> str:
    """The run ledger job of one exchange's scan in a slot."""
    return f"snapshot:{exchange}"


@dataclass(frozen=True)
class SnapshotRun:
    scan_id: int | None
    markets: int
    markets_ok: int
    tokens: int
    at_risk: int
    venues_not_scanned: tuple[str, ...]
    snapshots_removed: int


async def downsample_history(services: Services, now: datetime) -> int:
    """Collapse raw snapshots older than the retention to daily ones, a day per transaction;
    returns the number of snapshots removed."""
    cutoff = now - timedelta(days=services.settings.snapshot_retention_days)
    removed = 0
    for _ in range(DOWNSAMPLE_DAYS_PER_RUN):
        async with services.session() as session:
            day_removed = await repo_history.downsample_snapshots(session, cutoff, max_days=1)
        removed += day_removed
        if day_removed == 0:
            break
    return removed


async def scan_slot_exchange(services: Services, slot: str, exchange: str) -> dict[str, Any]:
    """One exchange of the slot, streamed into the slot's scan; its ledger summary."""
    async with services.session() as session:
        scan_id = await repo_scan_store.open_scan(
            session, services.settings.market_source, services.clock(), slot
        )
        # A takeover: whatever a runner that died stored of this exchange goes first.
        await repo_scan_store.drop_snapshots(session, scan_id, exchange)
    rates = await fetch_usd_rates(services)
    rows = SnapshotBatches(services, scan_id, services.clock())
    done = await scan_exchange(services, exchange, rates, rows)
    return {
        "scan_id": scan_id,
        "markets": len(done.markets),
        "ok": sum(1 for m in done.markets if m.ok),
        "requests": done.requests,
        "error": done.error,
    }


async def assess_slot(
    services: Services, slot: str, exchanges: dict[str, dict[str, Any]]
) -> SnapshotRun:
    """The slot's assessment over the exchanges' stored figures (``exchanges``: each one's
    ledger summary, or ``{"error": …}`` for one given up), then the history down-sampled.

    A slot whose scan is finished already (an assessment that committed, then failed before the
    run ledger recorded it) is not assessed again: its run is read back from what it stored."""
    async with services.session() as session:
        found = await repo_scan_store.slot_scan(session, slot)
        done = await _stored_run(session, found[0]) if found and found[1] is not None else None
    run = done if done is not None else await _assess_scan(services, slot, exchanges)
    removed = await downsample_history(services, services.clock())
    return dataclasses.replace(run, snapshots_removed=removed)


async def _assess_scan(
    services: Services, slot: str, exchanges: dict[str, dict[str, Any]]
) -> SnapshotRun:
    """Assess the figures stored into the slot's scan and finish it in one transaction."""
    settings = services.settings
    async with services.session() as session:
        found = await repo_scan_store.slot_scan(session, slot)
        scan_id = (
            found[0]
            if found
            else await repo_scan_store.open_scan(
                session, settings.market_source, services.clock(), slot
            )
        )
        started = await repo_scan_store.scan_started(session, scan_id)
        metrics = [m for e in exchanges for m in await repo_scan.scan_metrics(session, scan_id, e)]
    with count_requests() as tally:  # the deeper re-fetches
        metrics, reports, deepened = await assess_markets(services, metrics, started)
    summaries = tuple(
        ExchangeSummary(
            exchange=e,
            markets=sum(1 for m in metrics if m.exchange == e),
            ok=sum(1 for m in metrics if m.exchange == e and m.ok),
            errors=sum(1 for m in metrics if m.exchange == e and not m.ok),
            requests=int(s.get("requests") or 0) + tally.get(e),
            error=s.get("error"),
        )
        for e, s in exchanges.items()
    )
    result = ScanResult(
        source=settings.market_source,
        started_at=started,
        finished_at=services.clock(),
        exchanges=summaries,
        markets=tuple(metrics),
        tokens=tuple(reports),
        scan_id=scan_id,
        not_assessed=not_listed_on_home(metrics, settings.home_exchange),
    )
    async with services.session() as session:
        if not await finish_scan_in(session, services, result, deepened):
            # Another replica finished it meanwhile: its figures are the slot's.
            return await _stored_run(session, scan_id)
    return SnapshotRun(
        scan_id=scan_id,
        markets=len(result.markets),
        markets_ok=sum(1 for m in result.markets if m.ok),
        tokens=len(result.tokens),
        at_risk=len(result.at_risk),
        venues_not_scanned=tuple(s.exchange for s in summaries if s.error),
        snapshots_removed=0,
    )


async def _stored_run(session: AsyncSession, scan_id: int) -> SnapshotRun:
    """The run of a slot whose scan ``scan_id`` is finished, read back from the scan and its
    assessments (``snapshots_removed`` 0: down-sampling is counted by whoever runs it)."""
    scan = await repo_scan.scan_record(session, scan_id)
    assert scan is not None, "the slot's scan is finished"
    batch = await repo_assessment.assessments_of_scan(session, scan_id)
    return SnapshotRun(
        scan_id=scan_id,
        markets=scan.markets,
        markets_ok=scan.ok,
        tokens=len(batch),
        at_risk=sum(1 for a in batch if is_at_risk(a.tier)),
        venues_not_scanned=tuple(
            exchange
            for exchange, summary in scan.exchanges.items()
            if isinstance(summary, dict) and summary.get("error")
        ),
        snapshots_removed=0,
    )


def claim_order(exchanges: Sequence[str], worker_id: str) -> list[str]:
    """The exchanges in the order this worker claims them: a rotation chosen by its id."""
    offset = int(hashlib.sha256(worker_id.encode()).hexdigest(), 16) % max(len(exchanges), 1)
    return [*exchanges[offset:], *exchanges[:offset]]


async def take_slot(
    services: Services,
    slot: str,
    *,
    stale_after: timedelta = STALE_AFTER,
    stagger_s: float = CLAIM_STAGGER_S,
) -> RunOutcome:
    """This replica's share of the slot: the exchanges it can claim, then the assessment if
    every exchange is done ("busy" while another replica still scans one)."""
    exchanges = list(services.settings.exchanges)
    jobs = {e: exchange_job(e) for e in exchanges}
    runs: list[asyncio.Task[RunOutcome]] = []
    for exchange in claim_order(exchanges, services.worker_id):

        async def work(exchange: str = exchange) -> dict[str, Any]:
            return await scan_slot_exchange(services, slot, exchange)

        run = run_once(
            services, jobs[exchange], slot, work, summarize=dict, stale_after=stale_after
        )
        runs.append(asyncio.create_task(run))
        # A claim lost to another replica returns at once: try the next exchange right away.
        # A claim won leaves the others ``stagger_s`` to claim theirs before this one goes on.
        await asyncio.wait({runs[-1]}, timeout=stagger_s)
    await asyncio.gather(*runs)
    states = await run_states(services, list(jobs.values()), slot)
    if any(states[jobs[e]][0] not in ("done", "gave_up") for e in exchanges):
        return RunOutcome(ASSESS_JOB, slot, "busy")
    summaries = {
        e: states[jobs[e]][1] if states[jobs[e]][0] == "done" else {"error": "not scanned"}
        for e in exchanges
    }

    async def assess() -> SnapshotRun:
        return await assess_slot(services, slot, summaries)

    return await run_once(
        services, ASSESS_JOB, slot, assess, summarize=snapshot_summary, stale_after=stale_after
    )


def snapshot_summary(run: SnapshotRun) -> dict[str, Any]:
    """What the run ledger keeps of a slot's assessment."""
    return {
        "scan_id": run.scan_id,
        "markets": run.markets,
        "markets_ok": run.markets_ok,
        "tokens": run.tokens,
        "at_risk": run.at_risk,
        "venues_not_scanned": list(run.venues_not_scanned),
        "snapshots_removed": run.snapshots_removed,
    }
