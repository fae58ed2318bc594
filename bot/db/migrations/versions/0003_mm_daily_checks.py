"""Market-maker status v2: day-by-day checks kept for good, engagement uptime and corrections.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

- ``mm_daily_checks``: one row per team's day, token, and criteria (the default ``RISK_MM_…``
  criteria, ``engagement_id`` NULL, or one engagement record's obligations). Statuses are judged
  from these rows, so down-sampling the snapshots no longer changes them.
- ``mm_engagements``: ``uptime`` (obligation, share of a day's snapshots) and ``supersedes_id``
  (the record a correction replaces).
- ``risk_assessments.mm_status`` takes verified / claimed / breached / observed / none / unknown.
  A stored ``confirmed`` (an engagement on record, never checked against the books) becomes
  ``claimed`` (``bot.domain.vocabulary.MM_STATUS_RENAMED``).
- Backfill: the day rows are computed from the raw snapshots stored at upgrade time, against the
  default criteria and the obligations of each engagement running on each day, so the history
  kept so far keeps counting. Days already down-sampled hold one snapshot per market: they
  cannot be judged and get no row. The figures (``TIMEZONE``, ``SNAPSHOT_INTERVAL_MINUTES``,
  ``HOME_EXCHANGE``, ``RISK_MM_…``) are the settings liqbot runs with, their defaults when the
  settings cannot be read. The arithmetic is the domain's (``bot.domain.mm``), so the backfilled
  rows are exactly what the snapshot store would have written.
"""

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.domain.calendar import team_day
from bot.domain.engagements import market_maker_on_record
from bot.domain.metrics import STABLE_QUOTES
from bot.domain.mm import EMPTY_SIDE_PREFIX, Obligations, QuotingDay, close_day, home_sample
from bot.domain.mm import QuotingSample, quoting_days
from bot.domain.outreach import EngagementRecord

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = ("confirmed", "observed", "none", "unknown")
NEW_STATUSES = ("verified", "claimed", "breached", "observed", "none", "unknown")


def _mm_status_check(values: tuple[str, ...]) -> str:
    return "mm_status IN ({})".format(", ".join(f"'{v}'" for v in values))


def upgrade() -> None:
    op.create_table(
        "mm_daily_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("snapshots", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("coverage", sa.Float(), nullable=False),
        sa.Column("first_taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("median_spread_bps", sa.Float(), nullable=True),
        sa.Column("median_depth_2pct_usd", sa.Float(), nullable=True),
        sa.Column("open_spreads_bps", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("open_depths_usd", sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["mm_engagements.id"],
            name=op.f("fk_mm_daily_checks_engagement_id_mm_engagements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mm_daily_checks")),
        sa.UniqueConstraint(
            "symbol", "day", "engagement_id", name=op.f("uq_mm_daily_checks_symbol_day_engagement_id")
        ),
    )
    op.create_index(op.f("ix_mm_daily_checks_day"), "mm_daily_checks", ["day"], unique=False)
    op.create_index(
        "ix_mm_daily_checks_window",
        "mm_daily_checks",
        ["engagement_id", "day", "symbol", "snapshots", "met", "coverage"],
        unique=False,
    )
    with op.batch_alter_table("mm_engagements") as batch:
        batch.add_column(sa.Column("uptime", sa.Float(), nullable=True))
        batch.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_mm_engagements_supersedes_id_mm_engagements"),
            "mm_engagements",
            ["supersedes_id"],
            ["id"],
        )
    op.execute("UPDATE risk_assessments SET mm_status = 'claimed' WHERE mm_status = 'confirmed'")
    with op.batch_alter_table("risk_assessments") as batch:
        batch.drop_constraint(op.f("ck_risk_assessments_mm_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_risk_assessments_mm_status"), _mm_status_check(NEW_STATUSES)
        )
    _backfill(op.get_bind())


def downgrade() -> None:
    op.execute(
        "UPDATE risk_assessments SET mm_status = 'confirmed' "
        "WHERE mm_status IN ('verified', 'claimed', 'breached')"
    )
    with op.batch_alter_table("risk_assessments") as batch:
        batch.drop_constraint(op.f("ck_risk_assessments_mm_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_risk_assessments_mm_status"), _mm_status_check(OLD_STATUSES)
        )
    op.drop_table("mm_daily_checks")
    with op.batch_alter_table("mm_engagements") as batch:
        batch.drop_constraint(
            op.f("fk_mm_engagements_supersedes_id_mm_engagements"), type_="foreignkey"
        )
        batch.drop_column("supersedes_id")
        batch.drop_column("uptime")


# --- backfill ---------------------------------------------------------------------------------


class _Figures:
    """The settings the backfill needs, as liqbot would run with them."""

    def __init__(self) -> None:
        from bot.settings import Settings, load_settings

        try:
            settings = load_settings()
        except Exception:  # unreadable settings: liqbot's defaults (the same as at start)
            settings = Settings(_env_file=None)
        risk = settings.risk
        self.home = settings.home_exchange
        self.timezone = settings.timezone
        self.interval = settings.snapshot_interval_minutes
        self.defaults = Obligations(
            risk.mm_max_spread_bps, risk.mm_min_depth_2pct_usd, risk.mm_min_uptime
        )


_SAMPLES = sa.text(
    """
    SELECT s.base, s.taken_at,
           min(CASE WHEN s.status = 'ok' THEN s.spread_bps END) AS spread,
           sum(CASE WHEN s.status = 'ok' THEN s.depth_bid_2pct_usd END) AS bid,
           sum(CASE WHEN s.status = 'ok' THEN s.depth_ask_2pct_usd END) AS ask,
           max(CASE WHEN s.error LIKE :empty THEN 1 ELSE 0 END) AS empty_side
    FROM liquidity_snapshots s JOIN markets m ON m.id = s.market_id
    WHERE m.exchange = :home AND s.resolution = 'raw'
    GROUP BY s.base, s.taken_at
    ORDER BY s.base, s.taken_at
    """
).columns(
    sa.column("base", sa.String()),
    sa.column("taken_at", sa.DateTime(timezone=True)),
    sa.column("spread", sa.Float()),
    sa.column("bid", sa.Float()),
    sa.column("ask", sa.Float()),
    sa.column("empty_side", sa.Integer()),
)

_CHECKS = sa.table(
    "mm_daily_checks",
    *(
        sa.column(name, type_)
        for name, type_ in (
            ("day", sa.Date()),
            ("symbol", sa.String()),
            ("engagement_id", sa.Integer()),
            ("snapshots", sa.Integer()),
            ("met", sa.Integer()),
            ("failed", sa.Integer()),
            ("coverage", sa.Float()),
            ("first_taken_at", sa.DateTime(timezone=True)),
            ("last_taken_at", sa.DateTime(timezone=True)),
            ("median_spread_bps", sa.Float()),
            ("median_depth_2pct_usd", sa.Float()),
            ("open_spreads_bps", sa.JSON(none_as_null=True)),
            ("open_depths_usd", sa.JSON(none_as_null=True)),
        )
    ),
)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _stored_time(value: datetime | None, dialect: str) -> datetime | None:
    # What the models' UTCDateTime writes: naive UTC on SQLite, aware on PostgreSQL.
    if value is None:
        return None
    return value.replace(tzinfo=None) if dialect == "sqlite" else value


def _engagements(conn: sa.Connection) -> dict[str, list[EngagementRecord]]:
    rows = conn.execute(
        sa.text(
            "SELECT id, symbol, status, source, mm_name, since, until, max_spread_bps, "
            "min_depth_usd, logged_by, logged_at, reply_id FROM mm_engagements "
            "ORDER BY logged_at, id"
        ).columns(since=sa.Date(), until=sa.Date(), logged_at=sa.DateTime(timezone=True))
    )
    by_symbol: dict[str, list[EngagementRecord]] = {}
    for r in rows:
        record = EngagementRecord(
            r.id, r.symbol, r.status, r.source, r.mm_name, r.since, r.until, r.max_spread_bps,
            r.min_depth_usd, r.logged_by, _utc(r.logged_at), r.reply_id,
        )  # fmt: skip
        by_symbol.setdefault(record.symbol, []).append(record)
    return by_symbol


def _samples(conn: sa.Connection, home: str) -> Iterator[tuple[str, list[QuotingSample]]]:
    params = {"home": home, "empty": EMPTY_SIDE_PREFIX + "%side%"}
    result = conn.execute(_SAMPLES, params).all()  # read whole before the inserts begin
    for symbol, rows in groupby(result, key=lambda row: row.base):
        yield (
            symbol,
            [
                home_sample(_utc(r.taken_at), r.spread, r.bid, r.ask, bool(r.empty_side))
                for r in rows
            ],
        )


def _row(symbol: str, engagement_id: int | None, day: QuotingDay, dialect: str) -> dict[str, Any]:
    return {
        "day": day.day,
        "symbol": symbol,
        "engagement_id": engagement_id,
        "snapshots": day.snapshots,
        "met": day.met,
        "failed": day.failed,
        "coverage": day.coverage,
        "first_taken_at": _stored_time(day.first_at, dialect),
        "last_taken_at": _stored_time(day.last_at, dialect),
        "median_spread_bps": day.median_spread_bps,
        "median_depth_2pct_usd": day.median_depth_2pct_usd,
        "open_spreads_bps": list(day.spreads) if day.spreads is not None else None,
        "open_depths_usd": list(day.depths) if day.depths is not None else None,
    }


def _token_rows(
    symbol: str,
    samples: list[QuotingSample],
    records: list[EngagementRecord],
    figures: _Figures,
    today: date,
    dialect: str,
) -> list[dict[str, Any]]:
    def days(chosen: list[QuotingSample], obligations: Obligations) -> list[QuotingDay]:
        found = quoting_days(chosen, obligations, figures.timezone, figures.interval)
        return [d if d.day == today else close_day(d) for d in found]

    rows = [_row(symbol, None, d, dialect) for d in days(samples, figures.defaults)]
    for engagement in market_maker_on_record(records, figures.timezone).engagements:
        running = [
            s for s in samples if engagement.active_on(team_day(s.taken_at, figures.timezone))
        ]
        checked = days(running, engagement.obligations(figures.defaults))
        rows += [_row(symbol, engagement.id, d, dialect) for d in checked]
    return rows


def _backfill(conn: sa.Connection) -> None:
    figures = _Figures()
    dialect = conn.dialect.name
    today = team_day(datetime.now(UTC), figures.timezone)
    records = _engagements(conn)
    batch: list[dict[str, Any]] = []
    for symbol, samples in _samples(conn, figures.home):
        if symbol in STABLE_QUOTES:
            continue  # quote assets are not assessed (bot.usecases.scan.assess_tokens)
        batch += _token_rows(symbol, samples, records.get(symbol, []), figures, today, dialect)
        if len(batch) >= 5_000:
            conn.execute(sa.insert(_CHECKS), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(_CHECKS), batch)
