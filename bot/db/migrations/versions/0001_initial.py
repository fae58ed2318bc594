"""Initial schema: market data, risk assessments, the team's outreach record, audit log, run ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Hand-checked against bot/db/models (tests/db/test_migrations.py compares the migrated schema with
the models on SQLite and PostgreSQL). Timestamps are ``DateTime(timezone=True)``: timestamptz on
PostgreSQL, naive UTC text on SQLite (the models' UTCDateTime handles both). The audit log is
append-only at the database level: triggers refuse UPDATE and DELETE.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.JSON(none_as_null=True), nullable=nullable)


def _float(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.Float(), nullable=nullable)


def _str(name: str, length: int, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{column}"))


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


AUDIT_GUARD_PG = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$
"""


def _create_audit_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_GUARD_PG)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def _drop_audit_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")


def upgrade() -> None:
    # --- market data -------------------------------------------------------------------------
    op.create_table(
        "tokens",
        _str("symbol", 64),
        _str("name", 255, nullable=True),
        _float("circulating_supply"),
        _float("market_cap_usd"),
        _str("supply_source", 64),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("symbol", name=op.f("pk_tokens")),
    )
    op.create_table(
        "markets",
        _id(),
        _str("exchange", 32),
        _str("symbol", 64),
        _str("base", 64),
        _str("quote", 32),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("first_seen"),
        _ts("last_seen"),
        sa.Column("last_snapshot_id", sa.Integer(), nullable=True),
        _ts("last_snapshot_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markets")),
        sa.UniqueConstraint("exchange", "symbol", name=op.f("uq_markets_exchange_symbol")),
    )
    _index("markets", "base")
    op.create_table(
        "scans",
        _id(),
        _str("source", 255),
        _ts("started_at"),
        _ts("finished_at"),
        _json("exchanges", nullable=False),
        sa.Column("markets_count", sa.Integer(), nullable=False),
        sa.Column("ok_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
    )
    _index("scans", "started_at")
    op.create_table(
        "liquidity_snapshots",
        _id(),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        _str("base", 64),
        _ts("taken_at"),
        _str("status", 8),
        _str("error", 500, nullable=True),
        _float("best_bid"),
        _float("best_ask"),
        _float("mid"),
        _float("usd_per_quote"),
        _float("mid_usd"),
        _float("spread_bps"),
        _float("depth_bid_1pct"),
        _float("depth_ask_1pct"),
        _float("depth_bid_2pct"),
        _float("depth_ask_2pct"),
        _float("depth_bid_1pct_usd"),
        _float("depth_ask_1pct_usd"),
        _float("depth_bid_2pct_usd"),
        _float("depth_ask_2pct_usd"),
        sa.Column("depth_truncated", sa.Boolean(), nullable=False),
        _float("imbalance_2pct"),
        _float("volume_24h_usd"),
        _json("slippage_bps"),
        _str("resolution", 8),
        _one_of("liquidity_snapshots", "status", ("ok", "error")),
        _one_of("liquidity_snapshots", "resolution", ("raw", "daily")),
        sa.ForeignKeyConstraint(
            ["market_id"], ["markets.id"], name=op.f("fk_liquidity_snapshots_market_id_markets")
        ),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["scans.id"], name=op.f("fk_liquidity_snapshots_scan_id_scans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_liquidity_snapshots")),
    )
    # Per-market and per-token time ranges; a scan's row per market; down-sampling by age.
    _index("liquidity_snapshots", "market_id", "taken_at")
    # Covering index for per-token history: every column the history queries read.
    op.create_index(
        "ix_liquidity_snapshots_token_history",
        "liquidity_snapshots",
        [
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
        ],
        unique=False,
    )
    _index("liquidity_snapshots", "scan_id", "market_id")
    _index("liquidity_snapshots", "taken_at")
    op.create_table(
        "risk_assessments",
        _id(),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        _str("symbol", 64),
        _ts("assessed_at"),
        sa.Column("score", sa.Integer(), nullable=False),
        _str("tier", 8),
        _json("reasons", nullable=False),
        _json("rules", nullable=False),
        _str("mm_status", 16),
        _float("home_depth_2pct_usd"),
        _float("global_depth_2pct_usd"),
        _float("home_volume_24h_usd"),
        _float("global_volume_24h_usd"),
        _float("market_cap_usd"),
        _float("mid_usd"),
        _one_of("risk_assessments", "tier", ("high", "medium", "low")),
        _one_of("risk_assessments", "mm_status", ("confirmed", "observed", "none", "unknown")),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["scans.id"], name=op.f("fk_risk_assessments_scan_id_scans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
    )
    _index("risk_assessments", "symbol", "assessed_at")
    _index("risk_assessments", "assessed_at")
    _index("risk_assessments", "scan_id")

    # --- the team's record -------------------------------------------------------------------
    op.create_table(
        "outreach",
        _id(),
        _str("symbol", 64),
        _str("channel", 16),
        _str("contact", 255, nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("followup_on", sa.Date(), nullable=True),
        _str("logged_by", 64),
        _ts("logged_at"),
        _ts("reminded_at", nullable=True),
        _str("idempotency_key", 128),
        _one_of("outreach", "channel", ("telegram", "email", "call", "other")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outreach_idempotency_key")),
    )
    _index("outreach", "symbol", "logged_at")
    _index("outreach", "followup_on")
    op.create_table(
        "replies",
        _id(),
        _str("symbol", 64),
        sa.Column("outreach_id", sa.Integer(), nullable=True),
        _str("kind", 24),
        _json("details", nullable=False),
        _str("logged_by", 64),
        _ts("logged_at"),
        _str("idempotency_key", 128),
        _one_of("replies", "kind", ("has_mm", "will_contribute", "declined", "snooze")),
        sa.ForeignKeyConstraint(
            ["outreach_id"], ["outreach.id"], name=op.f("fk_replies_outreach_id_outreach")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replies")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_replies_idempotency_key")),
    )
    _index("replies", "symbol", "logged_at")
    _index("replies", "outreach_id")
    op.create_table(
        "mm_engagements",
        _id(),
        _str("symbol", 64),
        _str("mm_name", 255, nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        _float("max_spread_bps"),
        _float("min_depth_usd"),
        _str("source", 16),
        _str("status", 16),
        _str("logged_by", 64),
        _ts("logged_at"),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        _one_of("mm_engagements", "source", ("reply", "analyst")),
        _one_of("mm_engagements", "status", ("engaged", "none")),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name=op.f("fk_mm_engagements_reply_id_replies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mm_engagements")),
    )
    _index("mm_engagements", "symbol", "logged_at")
    op.create_table(
        "contribution_pledges",
        _id(),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        _str("symbol", 64),
        _float("pct_of_supply", nullable=False),
        _float("tokens"),
        _float("usd_value"),
        _float("price_usd"),
        _float("depth_2pct_usd"),
        _ts("pledged_at"),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name=op.f("fk_contribution_pledges_reply_id_replies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_pledges")),
    )
    _index("contribution_pledges", "symbol", "pledged_at")
    _index("contribution_pledges", "reply_id")
    op.create_table(
        "snoozes",
        _id(),
        _str("symbol", 64),
        _ts("until"),
        _str("logged_by", 64),
        _ts("logged_at"),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name=op.f("fk_snoozes_reply_id_replies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snoozes")),
    )
    _index("snoozes", "symbol", "logged_at")
    op.create_table(
        "audit_log",
        _id(),
        _ts("at"),
        _str("actor_user", 64),
        _str("actor_team", 64, nullable=True),
        _str("action", 64),
        _str("entity", 64),
        _str("entity_id", 64, nullable=True),
        _json("values"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    _index("audit_log", "entity", "entity_id")
    _index("audit_log", "at")
    _create_audit_guard()

    # --- jobs --------------------------------------------------------------------------------
    op.create_table(
        "job_runs",
        _id(),
        _str("job", 64),
        _str("period", 64),
        _str("status", 16),
        _str("claimed_by", 128),
        _ts("claimed_at"),
        _ts("heartbeat_at"),
        _ts("finished_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _json("result"),
        _one_of("job_runs", "status", ("claimed", "done", "failed")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "period", name=op.f("uq_job_runs_job_period")),
    )
    op.create_table(
        "posts",
        _id(),
        _str("job", 64),
        _str("period", 64),
        _str("kind", 32),
        _str("channel", 64),
        _str("ts", 32),
        _str("symbol", 64, nullable=True),
        _json("blocks"),
        _ts("posted_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
    )
    _index("posts", "job", "period")
    _index("posts", "channel", "ts")


def downgrade() -> None:
    _drop_audit_guard()
    # Dependents first; dropping a table drops its indexes.
    for table in (
        "posts",
        "job_runs",
        "audit_log",
        "snoozes",
        "contribution_pledges",
        "mm_engagements",
        "replies",
        "outreach",
        "risk_assessments",
        "liquidity_snapshots",
        "scans",
        "markets",
        "tokens",
    ):
        op.drop_table(table)
