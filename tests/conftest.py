"""Shared database fixtures: every test that touches the database runs on SQLite and PostgreSQL.

``db_url`` yields the plain `DATABASE_URL` (SPEC form) of a migrated, empty database:
- ``sqlite``: a file in the test's tmp_path, copied from a template migrated once per session;
- ``postgres`` (marked ``postgres``; skipped unless ``TEST_POSTGRES_URL`` is set): one fresh
  database per test session, ``liqbot_test_<pid>_<random>`` on that server, so concurrent test runs
  never collide; migrated once, emptied (TRUNCATE … RESTART IDENTITY) before each test and
  dropped at the end of the session.
``engine`` / ``session_factory`` / ``session`` build on it.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import NullPool

from bot.db.engine import make_engine, make_sessionmaker, sync_url
from bot.db.migrate import upgrade
from bot.db.models import Base

POSTGRES_URL_ENV = "TEST_POSTGRES_URL"


@dataclass(frozen=True)
class _PostgresDatabase:
    url: str
    engine: Engine  # sync, for the per-test TRUNCATE


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db_template") / "liqbot.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[_PostgresDatabase]:
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    server_url = make_url(sync_url(server))
    name = f"liqbot_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, poolclass=NullPool)
    try:
        upgrade(url)
        yield _PostgresDatabase(url=url, engine=engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The plain URL of a migrated, empty liqbot database (SQLite file or PostgreSQL)."""
    if request.param == "sqlite":
        path = tmp_path / "liqbot.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    database: _PostgresDatabase = request.getfixturevalue("_postgres_database")
    _truncate_all(database.engine)
    return database.url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    async_engine = make_engine(db_url)
    yield async_engine
    await async_engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


@pytest.fixture
async def session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as db_session:
        yield db_session
