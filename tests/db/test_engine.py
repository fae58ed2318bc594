"""Engine set-up: driver choice from the plain URL, SQLite pragmas, passwords kept out of errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import (
    DatabaseUnavailable,
    DatabaseUrlError,
    async_url,
    check_connection,
    make_engine,
    make_sessionmaker,
    redact,
    sync_url,
)
from bot.db.models import Token


@pytest.mark.parametrize(
    ("plain", "expected_async", "expected_sync"),
    [
        (
            "sqlite:///./liqbot.db",
            "sqlite+aiosqlite:///./liqbot.db",
            "sqlite+pysqlite:///./liqbot.db",
        ),
        ("sqlite://", "sqlite+aiosqlite://", "sqlite+pysqlite://"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:", "sqlite+pysqlite:///:memory:"),
        (
            "postgresql://u:p@db:5432/liqbot",
            "postgresql+psycopg://u:p@db:5432/liqbot",
            "postgresql+psycopg://u:p@db:5432/liqbot",
        ),
        (
            "postgresql+psycopg://u@db/liqbot?sslmode=require",
            "postgresql+psycopg://u@db/liqbot?sslmode=require",
            "postgresql+psycopg://u@db/liqbot?sslmode=require",
        ),
        (
            "postgres://u@db/liqbot",
            "postgresql+psycopg://u@db/liqbot",
            "postgresql+psycopg://u@db/liqbot",
        ),
    ],
)
def test_driver_is_chosen_from_the_plain_url(
    plain: str, expected_async: str, expected_sync: str
) -> None:
    assert async_url(plain) == expected_async
    assert sync_url(plain) == expected_sync


def test_a_foreign_or_malformed_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(DatabaseUrlError, match="mysql"):
        async_url("mysql://root:hunter2@db/liqbot")
    with pytest.raises(DatabaseUrlError) as excinfo:
        async_url("not a url hunter2")
    assert "hunter2" not in str(excinfo.value)


def test_redact_hides_the_password() -> None:
    assert redact("postgresql+psycopg://liq:s3cr%40t@db:5432/x") == (
        "postgresql+psycopg://liq:***@db:5432/x"
    )


async def test_sqlite_file_gets_wal_foreign_keys_a_busy_timeout_and_a_small_cache(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        async with engine.connect() as conn:
            pragmas = {
                name: (await conn.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "cache_size")
            }
    finally:
        await engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30_000,
        "cache_size": -512,  # KiB per pooled connection
    }


async def test_in_memory_sqlite_is_one_shared_database() -> None:
    engine = make_engine("sqlite://")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (7)"))
        async with engine.connect() as conn:  # another checkout sees the same database
            assert (await conn.execute(text("SELECT x FROM t"))).scalar_one() == 7
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_connect_failure_names_the_host_but_never_the_password() -> None:
    # Port 9 (discard) on localhost: nothing listens, the connection is refused at once.
    engine = make_engine("postgresql://liqbot:pw-hunter2-secret@127.0.0.1:9/liqbot")
    try:
        with pytest.raises(DatabaseUnavailable) as excinfo:
            await check_connection(engine)
    finally:
        await engine.dispose()
    message = str(excinfo.value)
    assert "127.0.0.1" in message
    assert "hunter2" not in message
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__


async def test_timestamps_come_back_aware_utc_and_naive_ones_are_refused(
    engine: AsyncEngine,
) -> None:
    berlin_morning = datetime(2026, 3, 29, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    async with make_sessionmaker(engine)() as session:
        session.add(Token(symbol="PEPE", supply_source="csv", updated_at=berlin_morning))
        await session.commit()
    async with make_sessionmaker(engine)() as session:
        token = await session.get(Token, "PEPE")
        assert token is not None
        assert token.updated_at == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)
        assert token.updated_at.utcoffset() == timedelta(0)
        session.add(Token(symbol="NAIVE", supply_source="csv", updated_at=datetime(2026, 1, 1)))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.flush()


def test_an_sqlite_library_without_returning_is_refused_in_one_line() -> None:
    from bot.db.engine import DatabaseUrlError, check_sqlite_version

    check_sqlite_version((3, 35, 0))
    with pytest.raises(DatabaseUrlError, match=r"SQLite 3\.34\.1 is too old"):
        check_sqlite_version((3, 34, 1))
