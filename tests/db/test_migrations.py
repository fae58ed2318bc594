"""Migrations: applied on SQLite and PostgreSQL, and the migrated schema is exactly the models."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bot.db.engine import make_engine, sync_url
from bot.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
    upgrade_engine,
)
from bot.db.models import Base
from bot.db.repo_audit import append_audit, audit_rows


def _schema_differences(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_database_is_at_head_and_matches_the_models(
    db_url: str, engine: AsyncEngine
) -> None:
    assert head_revision() == "0008"
    assert current_revision(db_url) == head_revision()
    async with engine.connect() as conn:
        assert await conn.run_sync(_schema_differences) == []
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


async def test_upgrade_again_is_a_no_op(db_url: str, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await append_audit(
            conn,
            at=datetime(2026, 11, 25, tzinfo=UTC),
            actor_user="U1",
            actor_team="T1",
            action="log_outreach",
            entity="outreach",
            entity_id=1,
            values={"channel": "email"},
        )
    upgrade(db_url)
    async with engine.connect() as conn:
        assert [row.action for row in await audit_rows(conn)] == ["log_outreach"]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"]
)
async def test_the_audit_log_refuses_update_and_delete(engine: AsyncEngine, statement: str) -> None:
    async with engine.begin() as conn:
        await append_audit(
            conn,
            at=datetime(2026, 11, 25, tzinfo=UTC),
            actor_user="U1",
            actor_team=None,
            action="snooze",
            entity="snoozes",
            entity_id=None,
            values=None,
        )
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    async with engine.connect() as conn:
        assert [row.action for row in await audit_rows(conn)] == ["snooze"]


async def test_in_memory_database_is_migrated_through_its_engine() -> None:
    engine = make_engine("sqlite://")
    try:
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_differences) == []
    finally:
        await engine.dispose()
    with pytest.raises(ValueError, match="upgrade_engine"):
        upgrade("sqlite://")


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    cfg = alembic_config()
    cfg.attributes["url"] = sync_url(db_url)
    command.downgrade(cfg, "base")
    assert current_revision(db_url) is None
    engine = create_engine(sync_url(db_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["alembic_version"]
        upgrade(db_url)
        assert current_revision(db_url) == head_revision()
        with engine.connect() as conn:
            assert _schema_differences(conn) == []
    finally:
        engine.dispose()


def test_runs_in_the_ledger_before_0008_started_at_their_claim(db_url: str) -> None:
    """Revision 0008: ``job_runs.started_at``; a run recorded before it gets its claim time."""
    cfg = alembic_config()
    cfg.attributes["url"] = sync_url(db_url)
    command.downgrade(cfg, "0007")
    claimed = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    engine = create_engine(sync_url(db_url), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO job_runs (job, period, status, claimed_by, claimed_at,"
                    " heartbeat_at, attempts) VALUES ('digest', '2026-11-25', 'done', 'w1', :at,"
                    " :at, 2)"
                ),
                {"at": claimed},
            )
        upgrade(db_url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT started_at, claimed_at FROM job_runs")).one()
    finally:
        engine.dispose()
    assert row.started_at == row.claimed_at
