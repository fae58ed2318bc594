"""Scans stored as they go, and shared out by snapshot slot.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

- ``scans.finished_at`` becomes nullable: a scan's row is written when it starts and its
  snapshots are stored exchange by exchange, in batches, while it runs; ``finished_at`` is set
  (and every snapshot of the scan stamped with it) when the scan is complete. Readers of "the
  latest scan" skip unfinished ones. Existing rows are all finished and keep their values.
- ``scans.slot``: the snapshot slot (the run ledger's period) a scheduled scan belongs to, unique,
  so the replicas sharing a slot's exchanges store them into one scan. NULL for `liqbot scan`.
- Downgrade deletes unfinished scans and their snapshots (they were never complete), then
  restores the NOT NULL and drops the slot.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scans") as batch:
        batch.add_column(sa.Column("slot", sa.String(length=40), nullable=True))
        batch.alter_column("finished_at", existing_type=sa.DateTime(timezone=True), nullable=True)
        batch.create_unique_constraint(op.f("uq_scans_slot"), ["slot"])


def downgrade() -> None:
    unfinished = "SELECT id FROM scans WHERE finished_at IS NULL"
    op.execute(f"DELETE FROM liquidity_snapshots WHERE scan_id IN ({unfinished})")
    op.execute("DELETE FROM scans WHERE finished_at IS NULL")
    with op.batch_alter_table("scans") as batch:
        batch.drop_constraint(op.f("uq_scans_slot"), type_="unique")
        batch.alter_column("finished_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_column("slot")
