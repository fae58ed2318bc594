"""Risk version 2: unrated tokens (no score) and the ticker's last price of every snapshot.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

- ``risk_assessments.score`` may be NULL and ``tier`` may be ``unrated``: a token with no usable
  home book for data reasons is not scored (SPEC 4.3).
- ``liquidity_snapshots.last_price``: the ticker's last trade price (quote currency), which stands
  in for the mid where the book has none (an empty side), so an answer from a stored snapshot
  prices the token as the scan did. Nullable: older snapshots simply have none.

Batch mode, because SQLite cannot alter a column or a CHECK constraint in place (it copies the
table); adding a nullable column is in place on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIERS_V1 = ("high", "medium", "low")
TIERS_V2 = ("high", "medium", "low", "unrated")


def _tiers(values: tuple[str, ...]) -> str:
    return "tier IN ({})".format(", ".join(f"'{v}'" for v in values))


def upgrade() -> None:
    op.add_column("liquidity_snapshots", sa.Column("last_price", sa.Float(), nullable=True))
    with op.batch_alter_table("risk_assessments") as batch:
        batch.alter_column("score", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint(op.f("ck_risk_assessments_tier"), type_="check")
        batch.create_check_constraint("tier", _tiers(TIERS_V2))


def downgrade() -> None:
    op.execute("DELETE FROM risk_assessments WHERE tier = 'unrated'")
    with op.batch_alter_table("risk_assessments") as batch:
        batch.drop_constraint(op.f("ck_risk_assessments_tier"), type_="check")
        batch.create_check_constraint("tier", _tiers(TIERS_V1))
        batch.alter_column("score", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("liquidity_snapshots") as batch:
        batch.drop_column("last_price")
