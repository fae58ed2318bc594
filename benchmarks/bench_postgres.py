"""A throwaway PostgreSQL database for one benchmark run (the SQLite ones are temporary files)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db.engine import sync_url


@contextmanager
def postgres_database(server: str, prefix: str) -> Iterator[str]:
    """A new database ``<prefix>_<pid>`` on the PostgreSQL ``server`` (a URL), dropped on the way
    out; yields its URL."""
    admin_url = make_url(sync_url(server))
    name = f"{prefix}_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
