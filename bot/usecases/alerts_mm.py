"""Use case: what one scheduled snapshot says about each verified market maker's obligations, for
the ``mm_obligations`` alert (SPEC 6 "Alerts").

A token is read when its assessment in the snapshot has the market-maker status ``verified``, or
when its ``mm_obligations`` episode is open (so that a market maker whose status has turned to
``breached`` meanwhile can still recover). Its home book is read per snapshot from the stored
raw snapshots (``bot.db.repo_quoting``, one grouped query for all the tokens) over a few
snapshot intervals back, and each judged snapshot is checked against the obligations of every
engagement running on the snapshot's team day (``bot.domain.alerts.obligation_results``). Only
snapshots taken since the newest of those engagements started count: a contract is not judged
on the days before it. An open episode whose engagements have all ended counts a healthy
snapshot each time (nothing is owed any more), so it closes instead of staying open for good.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.db import repo_quoting
from bot.db.dialect import Executor
from bot.db.records import AssessmentRecord, ScanRecord
from bot.domain.alerts import AlertRules, Facts, obligation_results
from bot.domain.calendar import team_day, team_day_bounds
from bot.domain.mm import home_sample
from bot.usecases.mm_checks import default_obligations, records_on_file
from bot.usecases.services import Services

LOOKBACK_INTERVALS = 4
"""Snapshot intervals read back per snapshot wanted: room for failed snapshots in between."""


@dataclass(frozen=True)
class ObligationReading:
    """A token's obligation results up to one snapshot (oldest first, the last being that
    snapshot's) and the facts the alert shows: the market maker(s), the snapshot's spread and
    thinner ±2% side against the strictest obligations."""

    results: tuple[bool, ...]
    facts: Facts


async def obligation_readings(
    session: Executor,
    services: Services,
    scan: ScanRecord,
    batch: Sequence[AssessmentRecord],
    open_symbols: Collection[str],
    rules: AlertRules,
) -> dict[str, ObligationReading]:
    """Per token of ``batch`` whose market maker is verified (or whose obligations episode is
    open), its obligation results up to ``scan`` (tokens without a result on ``scan`` are left
    out: a failed snapshot is not judged)."""
    settings = services.settings
    symbols = sorted(
        {a.symbol for a in batch if a.mm_status == "verified" or a.symbol in open_symbols}
    )
    if not symbols:
        return {}
    taken = scan.finished_at
    day = team_day(taken, settings.timezone)
    on_record = await records_on_file(session, symbols, settings)
    defaults = default_obligations(services)
    running = {s: on_record[s].active_on(day) for s in symbols}
    span = timedelta(
        minutes=settings.snapshot_interval_minutes * LOOKBACK_INTERVALS * rules.mm_missed_snapshots
    )
    stored = await repo_quoting.home_book_samples(
        session, settings.home_exchange, [s for s in symbols if running[s]], taken - span, taken
    )
    readings: dict[str, ObligationReading] = {}
    for symbol in symbols:
        engagements = running[symbol]
        if not engagements:
            if symbol in open_symbols:  # the contract ended: nothing left to miss
                readings[symbol] = ObligationReading((True,), {"ended": True})
            continue
        since, _ = team_day_bounds(max(e.start for e in engagements), settings.timezone)
        samples = [
            home_sample(
                s.taken_at, s.spread_bps, s.depth_bid_2pct_usd, s.depth_ask_2pct_usd, s.empty_side
            )
            for s in stored.get(symbol, [])
            if s.taken_at >= since
        ]
        obligations = [e.obligations(defaults) for e in engagements]
        results = obligation_results(samples, obligations, taken, rules.mm_missed_snapshots)
        if results is None:
            continue
        now = samples[-1]
        readings[symbol] = ObligationReading(
            results,
            {
                "market_maker": ", ".join(sorted({e.mm_name or "unnamed" for e in engagements})),
                "spread_bps": now.spread_bps,
                "depth_usd": now.depth_2pct_usd,
                "max_spread_bps": min(o.max_spread_bps for o in obligations),
                "min_depth_usd": max(o.min_depth_usd for o in obligations),
            },
        )
    return readings
