"""Snoozes: a token stays out of the digest until its snooze ends.

Snoozes are never edited: the latest snooze of a symbol (by ``logged_at``, then id) that was
logged at or before the moment asked about decides. Ending one early is a new snooze whose
``until`` is the moment it ends.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.db.dialect import Executor
from bot.db.tables import SNOOZES


async def snoozed_symbols(session: Executor, at: datetime) -> set[str]:
    """The tokens snoozed at ``at``."""
    c = SNOOZES.c
    stmt = select(c.symbol, c.until).where(c.logged_at <= at).order_by(c.symbol, c.logged_at, c.id)
    latest: dict[str, datetime] = {}
    for symbol, until in await session.execute(stmt):
        latest[symbol] = until  # ordered oldest first: the last one seen wins
    return {symbol for symbol, until in latest.items() if until > at}


async def is_snoozed(session: Executor, symbol: str, at: datetime) -> bool:
    """Whether ``symbol`` is snoozed at ``at``."""
    c = SNOOZES.c
    stmt = (
        select(c.until)
        .where(c.symbol == symbol, c.logged_at <= at)
        .order_by(c.logged_at.desc(), c.id.desc())
        .limit(1)
    )
    until = (await session.execute(stmt)).scalar_one_or_none()
    return until is not None and until > at
