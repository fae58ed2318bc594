"""Use case: `/watch TOKEN` and `/unwatch TOKEN` (SPEC 6): the tokens the daily digest always
shows, at risk or not.

Anyone in the workspace may watch or unwatch (it changes what the digest shows, not the team's
record of a case); each change is an event with its audit row in the same transaction. Watching
a token liqbot has never seen is refused (a typo would otherwise watch nothing); watching one
already watched, or unwatching one that is not, writes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_audit, repo_market, repo_watch
from bot.errors import UserFacingError
from bot.usecases.args import parse_symbol
from bot.usecases.services import Services


@dataclass(frozen=True)
class WatchAnswer:
    """After `/watch` (``watching``) or `/unwatch`: whether it changed anything, who watches the
    token since when (when watched), and every watched token now."""

    symbol: str
    watching: bool
    changed: bool
    watched_by: str | None
    since: datetime | None
    watched: tuple[str, ...]


async def watched_symbols(services: Services) -> tuple[str, ...]:
    """The tokens on the watch list, sorted."""
    async with services.session() as session:
        return tuple(await repo_watch.watched(session))


async def set_watch(
    services: Services, symbol: str, watching: bool, user_id: str, team_id: str | None = None
) -> WatchAnswer:
    """Watch (or stop watching) ``symbol`` for ``user_id``; ``UserFacingError`` for a token liqbot
    has no snapshot of."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    async with services.session() as session:
        current = await repo_watch.watched(session)
        record = current.get(symbol)
        changed = (record is None) == watching
        if watching and changed and await repo_market.latest_snapshot_time(session, symbol) is None:
            raise UserFacingError(
                f"Nothing known about {symbol}: no snapshot of its markets, so there is nothing "
                f"to watch. Check the symbol with /liquidity {symbol}."
            )
        if changed:
            action = "watch" if watching else "unwatch"
            event = await repo_watch.append_watch_event(
                session, symbol, action, user_id, team_id, now
            )
            await repo_audit.append_audit(
                session,
                at=now,
                actor_user=user_id,
                actor_team=team_id,
                action=action,
                entity="watch_events",
                entity_id=event,
                values={"symbol": symbol},
            )
            current = await repo_watch.watched(session)
            record = current.get(symbol)
    return WatchAnswer(
        symbol=symbol,
        watching=watching,
        changed=changed,
        watched_by=record.actor_user if record else None,
        since=record.at if record else None,
        watched=tuple(current),
    )
