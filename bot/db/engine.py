"""Database engines for liqbot: from the plain `DATABASE_URL` (SPEC 3) to an async engine.

Settings hold the plain SQLAlchemy form (``sqlite:///./liqbot.db``, ``sqlite://``,
``postgresql://…``, ``postgresql+psycopg://…``); liqbot picks the drivers itself:

- async (the bot, jobs, CLI): ``sqlite+aiosqlite`` / ``postgresql+psycopg`` (psycopg 3, async mode);
- sync (Alembic migrations): ``sqlite+pysqlite`` / ``postgresql+psycopg``.

A URL's password never appears in an error message or a log line: use ``redact``
(``bot.errors.redact``, re-exported) for display and ``check_connection`` to turn a connect
failure into a ``DatabaseUnavailable`` with a clean message.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.url import DatabaseUrlError, parse_database_url
from bot.errors import redact as redact  # re-exported: text for messages and logs

SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long a SQLite connection waits for another writer (a scan being stored) before failing."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message names the host, never the password."""


def _parse(url: str) -> URL:
    parsed = parse_database_url(url)  # never quotes the URL, reads any password right
    backend = parsed.get_backend_name()
    if backend == "postgres":  # Heroku-style alias
        return parsed.set(drivername="postgresql")
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"must be sqlite or postgresql, not {backend!r}")
    return parsed


def _with_driver(url: str, sqlite_driver: str) -> str:
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        # Swap the scheme only: re-rendering would percent-escape the path (":memory:").
        return f"sqlite+{sqlite_driver}{url[url.index('://') :]}"
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def async_url(url: str) -> str:
    """The async-driver form of a plain URL: ``sqlite+aiosqlite`` or ``postgresql+psycopg``."""
    return _with_driver(url, "aiosqlite")


def sync_url(url: str) -> str:
    """The sync-driver form (Alembic): ``sqlite+pysqlite`` or ``postgresql+psycopg``."""
    return _with_driver(url, "pysqlite")


def is_sqlite(url: str) -> bool:
    return _parse(url).get_backend_name() == "sqlite"


def is_memory_sqlite(url: str) -> bool:
    parsed = _parse(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


SQLITE_CACHE_KIB = 512  # page cache per connection; SQLite's default is 2,000


def _sqlite_pragmas(wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # SQLite leaves foreign keys off unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        # Each pooled connection keeps its own page cache (2 MB by default) on its own thread;
        # the operating system caches the file for all of them anyway. 512 KiB each keeps a
        # burst of commands, or a scan writing its snapshots, from holding megabytes of pages
        # twice (benchmarks/history.py: the history queries stay within their targets).
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        if wal:
            # WAL: readers (a /liquidity lookup) never wait for the scan writer and vice versa;
            # synchronous=NORMAL is durable across application crashes in WAL mode.
            # WAL is stored in the database file: set it once. Asking again on every connection
            # needs a lock and can fail with "database is locked" while a scan is writing.
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()
            if not mode or str(mode[0]).lower() != "wal":
                try:
                    cursor.execute("PRAGMA journal_mode=WAL")
                except Exception as exc:  # the driver's OperationalError, adapted
                    # Another connection holds a lock (or is switching the mode itself):
                    # WAL only spares readers from waiting, so carry on in the current mode.
                    if "locked" not in str(exc):
                        raise
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


SQLITE_MIN_VERSION = (3, 35, 0)  # INSERT … RETURNING, used by the scan store and the ledger


def check_sqlite_version(version: tuple[int, int, int] | None = None) -> None:
    """Fail with one clear line on an SQLite library too old for liqbot's statements."""
    found = version or sqlite3.sqlite_version_info
    if found < SQLITE_MIN_VERSION:
        have = ".".join(map(str, found))
        raise DatabaseUrlError(
            f"SQLite {have} is too old: liqbot needs 3.35 or newer (or use PostgreSQL)"
        )


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for a plain `DATABASE_URL`; extra keyword arguments go to SQLAlchemy.

    SQLite: foreign keys on, WAL for file databases, a busy timeout so the scan writer and a
    reader (or two writers) wait for each other instead of failing. SQLite is left in the
    driver's default transaction mode, which begins a transaction at the first write: a
    read-only session holds no lock, and a writer takes the lock at its first statement, so two
    writers queue on the busy timeout instead of deadlocking on a lock upgrade.
    PostgreSQL: connections are checked before use, so a restarted server is not an error.
    """
    target = async_url(url)
    if is_sqlite(url):
        check_sqlite_version()
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
        engine = create_async_engine(target, connect_args=connect_args, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(not is_memory_sqlite(url)))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(target, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for the repositories. Objects stay usable after commit (plain data is returned
    anyway); the caller commits: one use case, one transaction."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def check_connection(engine: AsyncEngine) -> None:
    """Open one connection, or raise ``DatabaseUnavailable`` naming the URL without its password."""
    shown = engine.url.render_as_string(hide_password=True)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        first = redact(reason[0] if reason else type(exc).__name__, str(engine.url.password or ""))
        # `from None`: the driver's exception (and its traceback) may carry the DSN.
        raise DatabaseUnavailable(f"cannot connect to database {shown}: {first}") from None
