"""Apply liqbot's Alembic migrations from code: `liqbot db upgrade` and every CLI start call this.

The Alembic configuration is built here (no ini file needed at run time): the scripts ship
inside the package under ``bot/db/migrations``. The URL is handed over in
``Config.attributes``, never through the ini parser, so a password with ``%`` in it is safe and
never ends up in Alembic's output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bot.db.engine import is_memory_sqlite, sync_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_ID = 7_311_020_001
"""PostgreSQL advisory lock key held while migrating (replicas starting together wait in turn)."""


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of liqbot."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def make_migration_engine(url: str) -> Engine:
    """A sync engine for migrating ``url`` (sync-driver form).

    SQLite: the driver's implicit transactions would commit each DDL statement on its own; here
    the transaction is explicit (``BEGIN IMMEDIATE``), so a failed migration leaves nothing half
    done and two processes migrating at once run one after the other.
    """
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            # WAL is a property of the database file: set it here, once, while nothing else
            # is connected, rather than racing for it from every new application connection.
            if not url.endswith(":memory:"):
                dbapi_connection.execute("PRAGMA journal_mode=WAL")

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at the plain `DATABASE_URL` ``url`` to ``revision`` (default: newest).

    Blocking; call it before the event loop starts or through ``asyncio.to_thread``. An in-memory
    SQLite database lives in one engine only: migrate it with ``upgrade_engine`` instead.
    """
    if is_memory_sqlite(url):
        raise ValueError("an in-memory SQLite database must be migrated with upgrade_engine()")
    cfg = alembic_config()
    cfg.attributes["url"] = sync_url(url)
    command.upgrade(cfg, revision)


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate through an existing async engine (works for in-memory SQLite too)."""

    def _upgrade(connection: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at (None before the first migration)."""
    engine = create_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
