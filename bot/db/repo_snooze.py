"""Snoozes: a token stays out of the digest until its snooze ends.

A snooze is an event of the token's case (``snooze``, with ``until``); the latest snooze logged at
or before the moment asked about decides, and a retracted one no longer counts
(``bot.domain.outreach.running_snooze``). Ending one early is a new snooze whose ``until`` is the
moment it ends.
"""

from __future__ import annotations

from datetime import datetime

from bot.db.dialect import Executor
from bot.db.repo_cases import by_symbol, case_events
from bot.domain.outreach import running_snooze
from bot.domain.timeline import resolve


async def snoozed_symbols(session: Executor, at: datetime) -> set[str]:
    """The tokens snoozed at ``at``."""
    events = await case_events(session, kinds=("snooze", "retract"))
    snoozed = set()
    for symbol, own in by_symbol(events).items():
        standing = [e.event for e in resolve(own) if e.standing and e.kind == "snooze"]
        if running_snooze(standing, at) is not None:
            snoozed.add(symbol)
    return snoozed
