"""Use case: the daily at-risk digest (SPEC 6 and 7), as plain data for Slack and the CLI.

The digest reads the latest stored scan when it is recent (finished at most
``SNAPSHOT_INTERVAL_MINUTES`` + 5 minutes ago), otherwise it runs a scan first. It counts the
markets scanned and the tokens at risk by tier, compares with the previous digest (or, before
the first one, the last scan before today's local midnight in ``TIMEZONE``; see
``bot.usecases.digest_changes``) for "new today", "recovered since the previous digest" and each
row's change, and lists the at-risk tokens riskiest first with their outreach state. Snoozed tokens
are counted but not listed until their snooze ends; watched tokens (`/watch`) are always shown;
a venue that could not be scanned is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import repo_assessment, repo_market, repo_snooze, repo_watch
from bot.db.records import AssessmentRecord, ScanRecord
from bot.domain.calendar import team_day, team_day_start
from bot.domain.models import MarketMetrics
from bot.domain.risk import count_by_tier, rank_at_risk
from bot.usecases.digest_changes import (
    TokenChange,
    WatchedRow,
    comparison_batch,
    token_change,
    watched_rows,
)
from bot.usecases.outreach.case import OutreachState, outreach_state
from bot.usecases.scan import run_scan
from bot.usecases.services import Services

FRESHNESS_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True)
class DigestRow:
    """One at-risk token: rank among the listed tokens, score 0–100 and tier, the reasons, the
    home ±2% depth (smaller side, USD; a lower bound when ``depth_truncated``), the tightest home
    spread (bps), home 24h volume and market cap (USD), market-maker status and outreach."""

    rank: int
    symbol: str
    tier: str
    score: int
    reasons: tuple[str, ...]
    mm_status: str
    home_depth_2pct_usd: float | None
    depth_truncated: bool
    home_spread_bps: float | None
    home_volume_24h_usd: float | None
    market_cap_usd: float | None
    outreach: str
    new_today: bool
    change: TokenChange | None = None  # since the previous digest
    watched: bool = False


@dataclass(frozen=True)
class VenueNotScanned:
    exchange: str
    error: str


@dataclass(frozen=True)
class Digest:
    """The day's digest. ``top`` are the first ``DIGEST_TOP_N`` listed rows, ``rest`` the
    others. ``at_risk`` counts tokens by tier (snoozed ones included; ``snoozed`` names those
    left out of the list); ``data_issues`` names the unrated tokens, counted apart.
    ``compared_with`` is when the scan behind "new today" / "recovered" and the rows' changes
    was taken (None: nothing to compare with, so nothing is called new or recovered).
    ``watched`` are the watched tokens the rows do not show; ``scan_id`` the scan behind it."""

    day: str  # the local date in TIMEZONE, e.g. "2026-11-25"
    as_of: datetime | None  # when the scan behind it finished; None = nothing scanned yet
    source: str
    scanned_now: bool
    markets_scanned: int
    markets_ok: int
    tokens_assessed: int
    at_risk: dict[str, int]
    new_today: tuple[str, ...]
    recovered: tuple[str, ...]
    compared_with: datetime | None
    snoozed: tuple[str, ...]
    top: tuple[DigestRow, ...]
    rest: tuple[DigestRow, ...]
    venues_not_scanned: tuple[VenueNotScanned, ...]
    data_issues: tuple[str, ...] = ()  # unrated tokens (no usable home book), never ranked
    timezone: str = "UTC"  # TIMEZONE: the zone every time shown is in
    watched: tuple[WatchedRow, ...] = ()
    scan_id: int | None = None

    @property
    def demo(self) -> bool:
        return self.source == "demo"

    @property
    def at_risk_total(self) -> int:
        return sum(self.at_risk.values())

    @property
    def all_clear(self) -> bool:
        return self.at_risk_total == 0

    @property
    def rows(self) -> tuple[DigestRow, ...]:
        return (*self.top, *self.rest)


def _is_fresh(scan: ScanRecord | None, now: datetime, interval_minutes: int) -> bool:
    return scan is not None and now - scan.finished_at <= (
        timedelta(minutes=interval_minutes) + FRESHNESS_MARGIN
    )


def _home_figures(
    metrics: Sequence[MarketMetrics], home: str
) -> dict[str, tuple[float | None, bool]]:
    """Per token: the tightest spread (bps) among its ok home markets, and whether any home
    market's ±2% band was cut off by the fetched depth."""
    spreads: dict[str, list[float]] = {}
    truncated: dict[str, bool] = {}
    for m in metrics:
        if m.exchange != home:
            continue
        truncated[m.base] = truncated.get(m.base, False) or m.depth_truncated
        if m.ok and m.spread_bps is not None:
            spreads.setdefault(m.base, []).append(m.spread_bps)
    return {
        base: (min(spreads[base]) if base in spreads else None, flag)
        for base, flag in truncated.items()
    }


def _venues(scan: ScanRecord | None) -> tuple[VenueNotScanned, ...]:
    if scan is None:
        return ()
    return tuple(
        VenueNotScanned(exchange, str(summary["error"]))
        for exchange, summary in sorted(scan.exchanges.items())
        if isinstance(summary, dict) and summary.get("error")
    )


def _rows(
    listed: Sequence[AssessmentRecord],
    states: Mapping[str, OutreachState],
    figures: Mapping[str, tuple[float | None, bool]],
    previous: Sequence[AssessmentRecord],
    watched: set[str],
) -> tuple[DigestRow, ...]:
    """The listed at-risk tokens as rows, ranked, each with its change since ``previous``."""
    was_risky = {a.symbol for a in rank_at_risk(previous)}
    then = {a.symbol: a for a in previous}
    return tuple(
        DigestRow(
            rank=rank,
            symbol=a.symbol,
            tier=a.tier,
            score=a.score or 0,  # at-risk tiers always have a score
            reasons=a.reasons,
            mm_status=a.mm_status,
            home_depth_2pct_usd=a.home_depth_2pct_usd,
            depth_truncated=figures.get(a.symbol, (None, False))[1],
            home_spread_bps=figures.get(a.symbol, (None, False))[0],
            home_volume_24h_usd=a.home_volume_24h_usd,
            market_cap_usd=a.market_cap_usd,
            outreach=states[a.symbol].text,
            new_today=bool(previous) and a.symbol not in was_risky,
            change=token_change(a, then.get(a.symbol), bool(previous)),
            watched=a.symbol in watched,
        )
        for rank, a in enumerate(listed, start=1)
    )


async def build_digest(
    services: Services, now: datetime | None = None, top_n: int | None = None
) -> Digest:
    """Today's digest at ``now`` (default: the services' clock), scanning first when the latest
    stored scan is older than the snapshot interval + 5 minutes."""
    settings = services.settings
    now = now or services.clock()
    async with services.session() as session:
        scan = await repo_market.latest_scan(session)
    scanned_now = not _is_fresh(scan, now, settings.snapshot_interval_minutes)
    if scanned_now:
        await run_scan(services)
    today = team_day(now, settings.timezone)
    local_midnight = team_day_start(now, settings.timezone)
    async with services.session() as session:
        scan = await repo_market.latest_scan(session)
        batch = await repo_assessment.latest_assessments(session)
        previous = await comparison_batch(session, today.isoformat(), local_midnight)
        snoozed = await repo_snooze.snoozed_symbols(session, now)
        metrics = await repo_market.latest_metrics(session)
        watched = await repo_watch.watched(session)
    risky = rank_at_risk(batch)
    was_risky = {a.symbol for a in rank_at_risk(previous)}
    then = {a.symbol: a for a in previous}
    listed = [a for a in risky if a.symbol not in snoozed]
    states = await outreach_state(services, [a.symbol for a in listed], now)
    figures = _home_figures(metrics, settings.home_exchange)
    rows = _rows(listed, states, figures, previous, set(watched))
    limit = top_n if top_n is not None else settings.digest_top_n
    return Digest(
        day=today.isoformat(),
        as_of=batch[0].assessed_at if batch else None,
        # DEMO DATA whenever liqbot runs on the demo source, whatever scan is stored.
        source="demo" if services.is_demo else (scan.source if scan else settings.market_source),
        scanned_now=scanned_now,
        markets_scanned=scan.markets if scan is not None else 0,
        markets_ok=scan.ok if scan is not None else 0,
        tokens_assessed=len(batch),
        at_risk=count_by_tier(risky),
        new_today=tuple(a.symbol for a in risky if previous and a.symbol not in was_risky),
        recovered=tuple(
            sorted(a.symbol for a in batch if a.tier == "low" and a.symbol in was_risky)
        ),
        compared_with=previous[0].assessed_at if previous else None,
        snoozed=tuple(sorted(a.symbol for a in risky if a.symbol in snoozed)),
        top=rows[:limit],
        rest=rows[limit:],
        venues_not_scanned=_venues(scan),
        data_issues=tuple(sorted(a.symbol for a in batch if a.tier == "unrated")),
        timezone=settings.timezone,
        watched=watched_rows(  # the watched tokens the top rows do not show
            list(watched),
            {r.symbol for r in rows[:limit]},
            {a.symbol: a for a in batch},
            then,
            snoozed,
        ),
        scan_id=batch[0].scan_id if batch else None,
    )
