"""Liquidity alerts and the watch list: alert_checks, alert_episodes, watch_events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- ``alert_checks``: one row per scheduled snapshot whose alerts were checked (applied once).
- ``alert_episodes``: an alert per token and kind from opening to recovery; at most one open per
  token and kind (a partial unique index, ``WHERE closed_at IS NULL``, on both databases).
- ``watch_events``: `/watch` and `/unwatch`, append-only; the latest event of a token decides.

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALERT_KINDS = ("depth_collapse", "one_sided", "mm_obligations", "new_listing")
WATCH_ACTIONS = ("watch", "unwatch")
OPEN = sa.text("closed_at IS NULL")


def _ts(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.JSON(none_as_null=True), nullable=nullable)


def _str(name: str, length: int, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{column}"))


def _scan_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["scans.id"], name=op.f(f"fk_{table}_{column}_scans")
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "alert_checks",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        _ts("checked_at"),
        _ts("taken_at"),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        _scan_fk("alert_checks", "scan_id"),
        sa.PrimaryKeyConstraint("scan_id", name=op.f("pk_alert_checks")),
    )
    op.create_table(
        "alert_episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        _str("symbol", 64),
        _str("kind", 16),
        sa.Column("opened_scan_id", sa.Integer(), nullable=False),
        _ts("opened_at"),
        _json("facts", nullable=False),
        sa.Column("healthy_streak", sa.Integer(), nullable=False),
        sa.Column("closed_scan_id", sa.Integer(), nullable=True),
        _ts("closed_at", nullable=True),
        _json("closing_facts"),
        _str("post_channel", 64, nullable=True),
        _str("post_ts", 32, nullable=True),
        _one_of("alert_episodes", "kind", ALERT_KINDS),
        _scan_fk("alert_episodes", "opened_scan_id"),
        _scan_fk("alert_episodes", "closed_scan_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_episodes")),
    )
    op.create_index(
        "ix_alert_episodes_open",
        "alert_episodes",
        ["symbol", "kind"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    _index("alert_episodes", "opened_scan_id")
    _index("alert_episodes", "closed_scan_id")
    op.create_table(
        "watch_events",
        sa.Column("id", sa.Integer(), nullable=False),
        _str("symbol", 64),
        _str("action", 8),
        _str("actor_user", 64),
        _str("actor_team", 64, nullable=True),
        _ts("at"),
        _one_of("watch_events", "action", WATCH_ACTIONS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_events")),
    )
    _index("watch_events", "symbol", "id")


def downgrade() -> None:
    for table in ("watch_events", "alert_episodes", "alert_checks"):
        op.drop_table(table)  # dropping a table drops its indexes
