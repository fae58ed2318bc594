"""The watch list (`/watch`, `/unwatch`): append-only events, the latest of a token decides.

Nothing is deleted or edited: unwatching is a new event. The caller appends the audit row in the
same transaction (``bot.usecases.watch``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from bot.db.dialect import Executor
from bot.db.tables import WATCH_EVENTS


@dataclass(frozen=True)
class WatchRecord:
    """One `/watch` or `/unwatch`: the token, the action, the Slack user, when."""

    id: int
    symbol: str
    action: str  # watch | unwatch
    actor_user: str
    at: datetime


async def watched(session: Executor) -> dict[str, WatchRecord]:
    """The tokens watched now, each with the event that started the watch, by symbol."""
    w = WATCH_EVENTS.c
    stmt = select(w.id, w.symbol, w.action, w.actor_user, w.at).order_by(w.id)
    latest: dict[str, WatchRecord] = {}
    for row in await session.execute(stmt):
        latest[row.symbol] = WatchRecord(row.id, row.symbol, row.action, row.actor_user, row.at)
    return {symbol: r for symbol, r in sorted(latest.items()) if r.action == "watch"}


async def append_watch_event(
    session: Executor,
    symbol: str,
    action: str,
    actor_user: str,
    actor_team: str | None,
    at: datetime,
) -> int:
    """Append a `/watch` (``action`` "watch") or `/unwatch` ("unwatch"); its id."""
    stmt = (
        insert(WATCH_EVENTS)
        .values(symbol=symbol, action=action, actor_user=actor_user, actor_team=actor_team, at=at)
        .returning(WATCH_EVENTS.c.id)
    )
    return int((await session.execute(stmt)).scalar_one())
