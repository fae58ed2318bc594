"""Alembic environment for liqbot (run by ``bot.db.migrate``, or ``alembic -c alembic.ini``).

The database comes from ``config.attributes``: either ``connection`` (a live sync connection,
e.g. an async engine's via ``run_sync``) or ``url`` (a sync-driver URL). From the alembic CLI, the
``DATABASE_URL`` environment variable is used. Concurrent upgrades (several replicas starting at
once) are serialised: PostgreSQL by an advisory lock, SQLite by ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db.engine import sync_url
from bot.db.migrate import MIGRATION_LOCK_ID, make_migration_engine
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later migrations rebuild tables in batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def run_migrations_offline() -> None:
    url = config.attributes.get("url") or sync_url(os.environ["DATABASE_URL"])
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or sync_url(
        os.environ.get("DATABASE_URL", "sqlite:///./liqbot.db")
    )
    engine = make_migration_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
