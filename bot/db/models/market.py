"""Market data tables: tokens (supply), markets, scans, liquidity snapshots, risk assessments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, one_of
from bot.domain.vocabulary import MM_STATUSES, TIERS


class Token(Base):
    """Circulating supply and market cap of a token (CSV / CoinGecko import), by symbol."""

    __tablename__ = "tokens"

    symbol: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None]
    circulating_supply: Mapped[float | None] = mapped_column(Float)  # tokens
    market_cap_usd: Mapped[float | None] = mapped_column(Float)
    supply_source: Mapped[str] = mapped_column(String(64))  # "csv", "coingecko", "demo", …
    updated_at: Mapped[datetime]


class Market(Base):
    """A spot market of one exchange. ``last_snapshot_id`` points at its newest snapshot (kept by
    ``store_scan``) so "latest figures of every market" never scans the history."""

    __tablename__ = "markets"
    __table_args__ = (UniqueConstraint("exchange", "symbol"), Index(None, "base"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exchange: Mapped[str] = mapped_column(String(32))  # ccxt id
    symbol: Mapped[str] = mapped_column(String(64))  # ccxt unified, e.g. "PEPE/USDT"
    base: Mapped[str] = mapped_column(String(64))
    quote: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # Not a foreign key: markets ↔ snapshots would be a cycle; store_scan keeps it consistent.
    last_snapshot_id: Mapped[int | None] = mapped_column(Integer)
    last_snapshot_at: Mapped[datetime | None]


class Scan(Base):
    """One scan of all markets (snapshot job, `liqbot scan`); ``exchanges`` is the per-exchange
    summary of SPEC 4.4 (markets, ok, errors, requests). The row is written when the scan starts
    and its snapshots are stored while it runs; ``finished_at`` is NULL until it is complete
    (readers of the latest scan skip it meanwhile). ``slot``: the snapshot slot (run ledger
    period) of a scheduled scan, whose exchanges several replicas may store into this one row."""

    __tablename__ = "scans"
    __table_args__ = (Index(None, "started_at"), UniqueConstraint("slot"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(255))  # demo | live | replay:DIR
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    slot: Mapped[str | None] = mapped_column(String(40))
    exchanges: Mapped[dict[str, Any]]
    markets_count: Mapped[int] = mapped_column(Integer)
    ok_count: Mapped[int] = mapped_column(Integer)


SNAPSHOT_STATUSES = ("ok", "error")
HISTORY_COLUMNS = (
    "base",
    "taken_at",
    "market_id",
    "scan_id",
    "status",
    "spread_bps",
    "depth_bid_2pct_usd",
    "depth_ask_2pct_usd",
    "mid_usd",
    "volume_24h_usd",
    "resolution",
)
RESOLUTIONS = ("raw", "daily")


class LiquiditySnapshot(Base):
    """SPEC 4.1 figures of one market at one time.

    ``base`` is the token symbol copied from the market so per-token history reads one index range
    (base, taken_at, …). Depths are kept in quote currency and in USD; ``usd_per_quote`` converts.
    ``resolution`` is ``raw`` (one per scan) or ``daily`` (the day's last snapshot, kept when older
    history is down-sampled).
    """

    __tablename__ = "liquidity_snapshots"
    __table_args__ = (
        Index(None, "market_id", "taken_at"),
        # Per-token history reads only this index (a covering index): a token's 30 days of
        # hourly snapshots sit together here, while in the table they are spread over 720 scans.
        Index("ix_liquidity_snapshots_token_history", *HISTORY_COLUMNS),
        # (scan_id, market_id): store_scan moves each market's pointer to its row of the scan.
        Index(None, "scan_id", "market_id"),
        Index(None, "taken_at"),
        one_of("status", SNAPSHOT_STATUSES, "status"),
        one_of("resolution", RESOLUTIONS, "resolution"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id"))
    base: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(String(500))
    best_bid: Mapped[float | None] = mapped_column(Float)
    best_ask: Mapped[float | None] = mapped_column(Float)
    mid: Mapped[float | None] = mapped_column(Float)  # quote currency
    usd_per_quote: Mapped[float | None] = mapped_column(Float)
    mid_usd: Mapped[float | None] = mapped_column(Float)
    spread_bps: Mapped[float | None] = mapped_column(Float)
    depth_bid_1pct: Mapped[float | None] = mapped_column(Float)  # quote currency
    depth_ask_1pct: Mapped[float | None] = mapped_column(Float)
    depth_bid_2pct: Mapped[float | None] = mapped_column(Float)
    depth_ask_2pct: Mapped[float | None] = mapped_column(Float)
    depth_bid_1pct_usd: Mapped[float | None] = mapped_column(Float)
    depth_ask_1pct_usd: Mapped[float | None] = mapped_column(Float)
    depth_bid_2pct_usd: Mapped[float | None] = mapped_column(Float)
    depth_ask_2pct_usd: Mapped[float | None] = mapped_column(Float)
    depth_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    imbalance_2pct: Mapped[float | None] = mapped_column(Float)
    volume_24h_usd: Mapped[float | None] = mapped_column(Float)
    last_price: Mapped[float | None] = mapped_column(Float)  # ticker's last trade, quote currency
    # {"buy": {"1000": bps | null, …}, "sell": {…}} — JSON object keys are strings.
    slippage_bps: Mapped[dict[str, Any] | None]
    resolution: Mapped[str] = mapped_column(String(8), default="raw")


class RiskAssessmentRow(Base):
    """SPEC 4.3 result for one token after one scan, with the figures the digest shows."""

    __tablename__ = "risk_assessments"
    __table_args__ = (
        Index(None, "symbol", "assessed_at"),
        Index(None, "assessed_at"),
        Index(None, "scan_id"),
        one_of("tier", TIERS, "tier"),
        one_of("mm_status", MM_STATUSES, "mm_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    symbol: Mapped[str] = mapped_column(String(64))
    assessed_at: Mapped[datetime]
    score: Mapped[int | None] = mapped_column(Integer)  # 0–100, higher = riskier; None = unrated
    tier: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[str]]
    rules: Mapped[list[str]]
    mm_status: Mapped[str] = mapped_column(String(16))
    home_depth_2pct_usd: Mapped[float | None] = mapped_column(Float)
    global_depth_2pct_usd: Mapped[float | None] = mapped_column(Float)
    home_volume_24h_usd: Mapped[float | None] = mapped_column(Float)
    global_volume_24h_usd: Mapped[float | None] = mapped_column(Float)
    market_cap_usd: Mapped[float | None] = mapped_column(Float)
    mid_usd: Mapped[float | None] = mapped_column(Float)
