"""liqbot's database layer: SQLAlchemy 2 models, Alembic migrations, async repositories.

- ``engine``: the plain `DATABASE_URL` → async engine / session maker (aiosqlite, psycopg 3).
- ``migrate``: ``upgrade(url)`` applies the migrations shipped in ``migrations/``.
- ``models``: the tables. ``records``: the plain dataclasses repositories return.
- ``repo_*``: async functions taking a session (or connection) and plain data; the caller owns
  the transaction, except the run ledger (``repo_ledger``), which commits its claims at once when
  given an engine.

SQLite by default, PostgreSQL in production: the same code and the same tests run on both.
Nothing is deleted by a user action; the only deletion is snapshot down-sampling (retention).
"""
