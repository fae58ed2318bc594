"""Monitoring-tag review decisions (SPEC 6, `/review`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

One new table, ``review_decisions``: Recommend tag · Not now (until a date) · Clear, per token,
with who decided, when, the evidence shown at the time, and an idempotency key (a double click
stores one decision). Nothing existing changes.

Numbered 0006 to leave room for the migrations being written beside it (0003, 0004, …); whoever
merges last points ``down_revision`` at the head it lands on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECISIONS = ("recommend", "not_now", "clear")


def upgrade() -> None:
    allowed = ", ".join(f"'{v}'" for v in DECISIONS)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.CheckConstraint(
            f"decision IN ({allowed})", name=op.f("ck_review_decisions_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_review_decisions_idempotency_key")),
    )
    op.create_index(
        op.f("ix_review_decisions_symbol_decided_at"),
        "review_decisions",
        ["symbol", "decided_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_decisions_symbol_decided_at"), table_name="review_decisions")
    op.drop_table("review_decisions")
