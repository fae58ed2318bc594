"""Plain data the repositories hand out and take in, besides the domain's own dataclasses.

Frozen dataclasses, no SQLAlchemy: the layers above the database never see a model or a session's
lazy state. Money is in USD, spreads in bps, timestamps aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SupplyRow:
    """Circulating supply (tokens) and market cap (USD) of one token, from ``source``."""

    symbol: str
    circulating_supply: float | None
    market_cap_usd: float | None = None
    name: str | None = None
    source: str = "csv"
    updated_at: datetime | None = None  # set by the database on read


@dataclass(frozen=True)
class ScanRecord:
    """One stored scan; ``exchanges`` is the per-exchange summary of SPEC 4.4."""

    id: int
    source: str
    started_at: datetime
    finished_at: datetime
    exchanges: dict[str, Any]
    markets: int
    ok: int


@dataclass(frozen=True)
class SnapshotPoint:
    """One market of a token at one time, the figures trends and market-maker uptime need.

    ``two_sided``: the snapshot is ok and both sides quote something within ±2% of the mid.
    ``depth_2pct_usd``: the smaller side's ±2% depth in USD (None when unknown).
    """

    exchange: str
    symbol: str
    taken_at: datetime
    status: str
    two_sided: bool
    spread_bps: float | None
    depth_2pct_usd: float | None
    depth_bid_2pct_usd: float | None
    depth_ask_2pct_usd: float | None
    mid_usd: float | None
    volume_24h_usd: float | None
    resolution: str  # "raw" (one per scan) or "daily" (down-sampled)


@dataclass(frozen=True)
class DailyPoint:
    """One market of a token over one UTC day: the trend line of `/liquidity`.

    ``samples``: snapshots that day; ``two_sided_samples``: of which both sides quoted within
    ±2%. Averages are over the snapshots that had the figure. ``avg_depth_bid_2pct_usd`` and
    ``avg_depth_ask_2pct_usd`` are each side's ±2% depth in USD: a token's depth over several
    pairs is the smaller of the two side sums (``bot.domain.aggregate.min_side``), never a sum of
    the per-pair figures ``*_depth_2pct_usd`` (this market's smaller side).
    """

    exchange: str
    symbol: str
    day: date
    samples: int
    two_sided_samples: int
    avg_spread_bps: float | None
    avg_depth_2pct_usd: float | None
    min_depth_2pct_usd: float | None
    avg_mid_usd: float | None
    avg_volume_24h_usd: float | None
    avg_depth_bid_2pct_usd: float | None = None
    avg_depth_ask_2pct_usd: float | None = None


@dataclass(frozen=True)
class AssessmentRecord:
    """A stored SPEC 4.3 assessment of one token, with the figures shown next to it; ``score``
    is None for an ``unrated`` token (a data issue, listed apart)."""

    scan_id: int
    symbol: str
    assessed_at: datetime
    score: int | None
    tier: str
    reasons: tuple[str, ...]
    rules: tuple[str, ...]
    mm_status: str
    home_depth_2pct_usd: float | None
    global_depth_2pct_usd: float | None
    home_volume_24h_usd: float | None
    global_volume_24h_usd: float | None
    market_cap_usd: float | None
    mid_usd: float | None


@dataclass(frozen=True)
class AssessedDepth:
    """A token's home and global ±2% depth (USD, smaller side) as one scan assessed it: the
    headline figures of that moment, collisions left out (``bot.domain.aggregate``)."""

    symbol: str
    assessed_at: datetime
    home_depth_2pct_usd: float | None
    global_depth_2pct_usd: float | None


@dataclass(frozen=True)
class AtRiskSpell:
    """How a token was at risk over a span of time: its ``tier`` (high or medium) in
    ``assessments`` scans, its highest score among them."""

    symbol: str
    tier: str
    assessments: int
    max_score: int | None


@dataclass(frozen=True)
class PostRecord:
    """A Slack message a job posted."""

    job: str
    period: str
    kind: str
    channel: str
    ts: str
    symbol: str | None
    posted_at: datetime


@dataclass(frozen=True)
class JobRunRecord:
    """The run ledger's row for one (job, period), with the messages posted for it."""

    job: str
    period: str
    status: str  # claimed | done | failed
    claimed_by: str
    started_at: datetime  # the period's first claim; a takeover keeps it
    claimed_at: datetime  # the current claim
    heartbeat_at: datetime
    finished_at: datetime | None
    attempts: int
    result: dict[str, Any] | None
    posts: tuple[PostRecord, ...] = field(default=())


@dataclass(frozen=True)
class AuditRecord:
    """One audit log row: who (Slack user and team) did what to which record, with which values."""

    id: int
    at: datetime
    actor_user: str
    actor_team: str | None
    action: str
    entity: str
    entity_id: str | None
    values: dict[str, Any] | None
