"""Shared fixtures: every test that touches the database runs on SQLite and PostgreSQL, most of
them through liqbot's Services.

``db_url`` yields the plain `DATABASE_URL` (SPEC form) of a migrated, empty database:
- ``sqlite``: a file in the test's tmp_path, copied from a template migrated once per session;
- ``postgres`` (marked ``postgres``; skipped unless ``TEST_POSTGRES_URL`` is set): one fresh
  database per test session, ``liqbot_test_<pid>_<random>`` on that server, so concurrent test runs
  never collide; migrated once, emptied (TRUNCATE … RESTART IDENTITY) before each test and
  dropped at the end of the session;
``@sqlite_only`` runs a test where the database plays no part on SQLite alone.
``engine`` / ``session_factory`` / ``session`` build on it, and so do liqbot's Services:
- ``services``: Services on that database, reading the bundled demo market data, with the
  settable ``clock`` (at ``tests.builders.NOW``);
- ``make_services``: the factory behind it, for tests that need other settings or several
  "processes" (each call has its own engine and worker id);
- ``services_settings``: settings every Services of a test gets; a folder's conftest overrides
  it (tests/jobs: the Slack stand-in and the digest channel).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import NullPool

from bot.db.engine import make_engine, make_sessionmaker, sync_url
from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.usecases.services import Services
from bot.wiring import build_services
from tests.builders import NOW, Clock, demo_settings

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


sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""For tests where the database plays no part (help, parsing): they run on SQLite alone."""


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


MakeServices = Callable[..., Services]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def services_settings() -> dict[str, Any]:
    """Setting overrides for every Services the test builds (none here)."""
    return {}


@pytest.fixture
async def make_services(
    db_url: str, clock: Clock, services_settings: dict[str, Any]
) -> AsyncIterator[MakeServices]:
    """Services factory on the test's database: keyword arguments override settings;
    ``use_clock=False`` keeps the real clock (for time-machine)."""
    built: list[Services] = []

    def make(use_clock: bool = True, **overrides: Any) -> Services:
        settings = demo_settings(db_url, **{**services_settings, **overrides})
        services = build_services(settings, clock=clock) if use_clock else build_services(settings)
        built.append(services)
        return services

    yield make
    for services in built:
        await services.close()


@pytest.fixture
def services(make_services: MakeServices) -> Services:
    return make_services()
