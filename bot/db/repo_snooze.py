"""Snoozes: a token stays out of the digest until its snooze ends.

Snoozes are never edited: the latest snooze of a symbol that was logged at or before the moment
asked about decides (``bot.domain.outreach.running_snooze``). Ending one early is a new snooze
whose ``until`` is the moment it ends.
"""

from __future__ import annotations

from datetime import datetime

from bot.db.dialect import Executor
from bot.db.repo_outreach import snoozes
from bot.domain import outreach


async def snoozed_symbols(session: Executor, at: datetime) -> set[str]:
    """The tokens snoozed at ``at``."""
    return outreach.snoozed_symbols(await snoozes(session), at)


async def is_snoozed(session: Executor, symbol: str, at: datetime) -> bool:
    """Whether ``symbol`` is snoozed at ``at``."""
    return outreach.running_snooze(await snoozes(session, [symbol]), at) is not None
