"""Use case: the liquidity alerts of one scheduled snapshot (SPEC 6 "Alerts"), as plain data.

``check_alerts(services, scan_id)`` reads what the stored snapshot says about every token the
home exchange lists (``bot.domain.alerts.TokenReading``), applies it to the open episodes and
stores the result with the snapshot's check, once: called again for the same snapshot (a run
taken over after a crash) it finds the check and returns what it stored. With
``persist=False`` (`liqbot scan`) it only says what the snapshot opens and closes.

Where the figures come from: the home ±2% depth is the snapshot's stored assessment (the smaller
of the two side sums, the one definition), its 7-day median that of the assessments before it;
the empty sides come from the snapshot's home books; "newly listed" is the home exchange's first
market of the token appearing after the previous checked snapshot (with none checked yet, after
the previous stored scan; the first snapshot that lists anything on the home exchange is a
baseline for listings); the verified market makers' obligation results per snapshot are
``bot.usecases.alerts_mm``'s. The first snapshot of an empty database is a baseline: checked,
alerting nothing; what it finds (a book already one-sided) opens episodes that are never
announced, so the next snapshot alerts only what changed. An open episode whose post never went
out (Slack down, a restart across the slot) is posted with a later snapshot's alerts
(``AlertBatch.unannounced``, up to ``REANNOUNCE_WITHIN`` after it opened).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_alerts, repo_assessment, repo_scan
from bot.db.records import ScanRecord
from bot.db.repo_alerts import AlertEpisodeRecord
from bot.domain.aggregate import group_by_token, sides_without_orders
from bot.domain.alerts import (
    MEDIAN_WINDOW_DAYS,
    AlertRules,
    EpisodeSteps,
    TokenReading,
    median_depth,
    step_episodes,
)
from bot.settings import Settings
from bot.usecases.alerts_mm import obligation_readings
from bot.usecases.services import Services

__all__ = ["AlertBatch", "AlertEpisodeRecord", "alert_rules", "check_alerts", "mark_posted"]

REANNOUNCE_WITHIN = timedelta(hours=24)
"""An open alert whose post never went out is posted with a later snapshot's alerts up to this
long after it opened (older ones, e.g. from before a channel was set, stay quiet)."""


def alert_rules(settings: Settings) -> AlertRules:
    """The ``RISK_ALERT_…`` settings as the domain's rules."""
    risk = settings.risk
    return AlertRules(
        depth_floor_usd=risk.alert_depth_floor_usd,
        depth_median_ratio=risk.alert_depth_median_ratio,
        recovery_snapshots=risk.alert_recovery_snapshots,
        mm_missed_snapshots=risk.alert_mm_missed_snapshots,
    )


@dataclass(frozen=True)
class AlertBatch:
    """What one scheduled snapshot (scan ``scan_id``, taken at ``taken_at``) alerted: episodes
    it ``opened`` and earlier ones it closed (``recovered``), by token and kind. ``baseline``:
    the first snapshot of an empty database."""

    scan_id: int
    taken_at: datetime
    source: str
    home_exchange: str
    rules: AlertRules
    baseline: bool
    opened: tuple[AlertEpisodeRecord, ...]
    recovered: tuple[AlertEpisodeRecord, ...]
    unannounced: tuple[AlertEpisodeRecord, ...] = ()
    """Episodes still open that an earlier snapshot opened (within ``REANNOUNCE_WITHIN``) but
    whose post never went out: a Slack outage or a restart across a slot must not lose them."""

    def to_announce(self) -> AlertBatch:
        """The batch as it is posted: the new alerts and the ones never announced."""
        return replace(self, opened=self.opened + self.unannounced, unannounced=())

    @property
    def demo(self) -> bool:
        return self.source == "demo"

    @property
    def symbols(self) -> tuple[str, ...]:
        """The tokens with a new alert, in the order of ``opened``."""
        return tuple(dict.fromkeys(e.symbol for e in self.opened))

    def alerts_of(self, symbol: str) -> tuple[AlertEpisodeRecord, ...]:
        return tuple(e for e in self.opened if e.symbol == symbol)


async def read_snapshot(
    session: AsyncSession,
    services: Services,
    scan: ScanRecord,
    rules: AlertRules,
    open_now: Sequence[AlertEpisodeRecord] = (),
) -> list[TokenReading]:
    """What scan ``scan`` says about every token the home exchange lists."""
    settings = services.settings
    home, taken = settings.home_exchange, scan.finished_at
    batch = await repo_assessment.assessments_of_scan(session, scan.id)
    books = group_by_token(await repo_scan.scan_metrics(session, scan.id, home))
    thin = [
        a.symbol
        for a in batch
        if a.home_depth_2pct_usd is not None and a.home_depth_2pct_usd < rules.depth_floor_usd
    ]
    history = await repo_assessment.home_depths(
        session, thin, taken - timedelta(days=MEDIAN_WINDOW_DAYS), taken
    )
    previous = await repo_alerts.previous_check(session, taken)
    since = previous.taken_at if previous else None
    if since is None:
        before = await repo_scan.scan_before(session, taken)
        since = before.finished_at if before else taken
    listed = await repo_scan.first_listed(session, home, [a.symbol for a in batch])
    if not await repo_scan.listed_before(session, home, since):
        listed = {}  # the home exchange's first listing liqbot sees is a baseline too
    open_mm = {e.symbol for e in open_now if e.kind == "mm_obligations"}
    obligations = await obligation_readings(session, services, scan, batch, open_mm, rules)
    return [
        TokenReading(
            symbol=a.symbol,
            usable=a.tier != "unrated",
            depth_2pct_usd=a.home_depth_2pct_usd,
            empty_sides=sides_without_orders([m for m in books.get(a.symbol, []) if m.measured]),
            median_depth_usd=median_depth(history.get(a.symbol, [])),
            newly_listed=since < listed.get(a.symbol, since) <= taken,
            obligations_met=o.results if (o := obligations.get(a.symbol)) else None,
            obligation_facts=o.facts if o else {},
        )
        for a in batch
    ]


def _preview(
    scan: ScanRecord, steps: EpisodeSteps, open_now: Sequence[AlertEpisodeRecord]
) -> tuple[tuple[AlertEpisodeRecord, ...], tuple[AlertEpisodeRecord, ...]]:
    """(opened, recovered) as ``steps`` would store them (opened ones have id 0)."""
    taken = scan.finished_at
    opened = tuple(
        AlertEpisodeRecord(
            id=0,
            symbol=o.symbol,
            kind=o.kind,
            opened_scan_id=scan.id,
            opened_at=taken,
            facts=dict(o.facts),
            healthy_streak=0,
            closed_scan_id=scan.id if o.closes_at_once else None,
            closed_at=taken if o.closes_at_once else None,
            closing_facts=None,
            post_channel=None,
            post_ts=None,
        )
        for o in steps.openings
    )
    by_id = {e.id: e for e in open_now}
    recovered = tuple(
        replace(
            by_id[c.episode_id],
            closed_scan_id=scan.id,
            closed_at=taken,
            closing_facts=dict(c.facts),
        )
        for c in steps.closings
    )
    return opened, recovered


async def _steps(
    session: AsyncSession, services: Services, scan: ScanRecord, rules: AlertRules
) -> tuple[bool, EpisodeSteps, list[AlertEpisodeRecord]]:
    """(baseline, what the snapshot does to the episodes, the episodes open before it)."""
    open_now = await repo_alerts.open_episodes(session)
    baseline = await repo_scan.scan_before(session, scan.finished_at) is None
    readings = await read_snapshot(session, services, scan, rules, open_now)
    steps = step_episodes(readings, [e.as_open() for e in open_now], rules)
    # The baseline opens what it finds (a book already one-sided) without announcing it, so the
    # next snapshot does not either: only changes after the baseline are alerted.
    return baseline, steps, open_now


async def check_alerts(services: Services, scan_id: int, persist: bool = True) -> AlertBatch:
    """The alerts of the scheduled snapshot stored as scan ``scan_id``: checked and stored once
    (see the module docstring); ``persist=False`` stores nothing. ``ValueError`` for an unknown
    scan."""
    rules = alert_rules(services.settings)
    async with services.session() as session:
        scan = await repo_scan.scan_record(session, scan_id)
        if scan is None:
            raise ValueError(f"no scan {scan_id}")
        check = await repo_alerts.check_of(session, scan_id)
        if check is not None:
            baseline = check.baseline
        else:
            baseline, steps, open_now = await _steps(session, services, scan, rules)
            if not persist:
                opened, recovered = _preview(scan, steps, open_now)
                return _batch(
                    services, scan, rules, baseline, () if baseline else opened, recovered
                )
            checked_at = services.clock()
            await repo_alerts.apply_check(
                session, scan_id, scan.finished_at, checked_at, steps, baseline
            )
        stored_opened, stored_recovered = await repo_alerts.episodes_of_scan(session, scan_id)
        late = await repo_alerts.unannounced(session, scan.finished_at - REANNOUNCE_WITHIN, scan_id)
    if baseline:
        return _batch(services, scan, rules, True, (), ())
    batch = _batch(services, scan, rules, False, tuple(stored_opened), tuple(stored_recovered))
    return replace(batch, unannounced=tuple(late))


def _batch(
    services: Services,
    scan: ScanRecord,
    rules: AlertRules,
    baseline: bool,
    opened: tuple[AlertEpisodeRecord, ...],
    recovered: tuple[AlertEpisodeRecord, ...],
) -> AlertBatch:
    return AlertBatch(
        scan_id=scan.id,
        taken_at=scan.finished_at,
        source="demo" if services.is_demo else scan.source,
        home_exchange=services.settings.home_exchange,
        rules=rules,
        baseline=baseline,
        opened=opened,
        recovered=recovered,
    )


async def mark_posted(services: Services, batch: AlertBatch, channel: str, ts: str) -> None:
    """Note the alert message the batch's new episodes went out in (their recoveries reply in its
    thread)."""
    async with services.session() as session:
        await repo_alerts.mark_posted(session, [e.id for e in batch.opened], channel, ts)
