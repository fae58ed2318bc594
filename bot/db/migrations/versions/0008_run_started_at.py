"""The run ledger keeps when each run started.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08

- ``job_runs.started_at``: the period's first claim. A takeover moves ``claimed_at`` to the new
  claimant and leaves ``started_at`` as it was, so a runner that takes over a crashed run knows
  from when to look in Slack for a message the crashed runner may have posted without recording
  it. Existing rows get their ``claimed_at`` (their latest claim: for a run already taken over,
  later than its real start; those periods are over).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE job_runs SET started_at = claimed_at")
    with op.batch_alter_table("job_runs") as batch:
        batch.alter_column("started_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("started_at")
