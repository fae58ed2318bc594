"""Who is in the editor user groups (``EDITOR_USERGROUP_IDS``), read from Slack and kept.

The editor check runs on Slack's 3 s clock: a modal submission's write needs 2 s of it
(``commands.outreach_modals``), a button's views.open needs the click's trigger_id within 3 s. So
the check never waits on Slack for more than ``LOOKUP_BUDGET_S``:

- members read with ``usergroups.users.list`` answer the check at once; from ``REFRESH_AFTER_S``
  on, a check also starts a read in the background, and while that read runs (or after it failed
  transiently) the kept members still answer until they are ``SERVE_LIMIT_S`` old;
- a check with nothing usable kept starts (or joins) the one read in flight for the group and
  waits for it at most the budget; the read goes on in the background and fills the cache, so the
  user's retry a moment later is answered from it;
- Slack's definitive answer about a group (``no_such_subteam``, ``missing_scope``) is kept like
  members: the group grants nothing and the refusal names it as unusable;
- a transient failure (5xx, 429, timeout, dropped connection; ``bot.slack.web_api``) is no answer:
  nothing is kept, the next check from ``RETRY_AFTER_S`` later reads again, and until then the
  check fails closed (``Membership.unchecked``: "try again in a moment").
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.web_api import is_transient

logger = logging.getLogger(__name__)

LOOKUP_BUDGET_S = 0.7
"""The check's share of Slack's 3 s: the write after it has 2 s."""
REFRESH_AFTER_S = 45.0
"""Kept members this old are read again in the background (before the minute is up)."""
SERVE_LIMIT_S = 120.0
"""Kept members answer up to this age while they are being read again."""
RETRY_AFTER_S = 2.0
"""A read that failed transiently is tried again by the first check this much later."""
READ_LIMIT_S = 10.0
"""A background read gives up after this (the client's retries included)."""


@dataclass(frozen=True)
class Membership:
    """What the check established about one user: the editor groups they are in, the groups
    Slack cannot list (``"S0X (no_such_subteam)"``), the groups not read in time."""

    groups: tuple[str, ...] = ()
    unusable: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


@dataclass
class _Group:
    """One group's kept answer (``read_at`` None: none yet) and its read in flight."""

    members: frozenset[str] = frozenset()
    unusable: str | None = None
    read_at: float | None = None
    failed_at: float = -math.inf
    reading: asyncio.Task[None] | None = None


class EditorGroups:
    """The editor groups' members of one Bolt app (see the module docstring); ``clock`` in
    seconds, monotonic."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._groups: dict[str, _Group] = {}

    async def membership(
        self, client: AsyncWebClient, user_id: str, group_ids: Sequence[str]
    ) -> Membership:
        """Which of ``group_ids`` ``user_id`` is in, within ``LOOKUP_BUDGET_S``."""
        kept = {group_id: self._kept(client, group_id) for group_id in group_ids}
        if not any(user_id in group.members for group in kept.values() if group is not None):
            pending = [self._groups[gid].reading for gid, group in kept.items() if group is None]
            reads = {read for read in pending if read is not None}
            if reads:
                await asyncio.wait(reads, timeout=LOOKUP_BUDGET_S)
                kept = {gid: g or self._served(self._groups[gid]) for gid, g in kept.items()}
        answered = {gid: group for gid, group in kept.items() if group is not None}
        return Membership(
            groups=tuple(gid for gid, group in answered.items() if user_id in group.members),
            unusable=tuple(f"{gid} ({g.unusable})" for gid, g in answered.items() if g.unusable),
            unchecked=tuple(gid for gid in kept if gid not in answered),
        )

    def _served(self, group: _Group) -> _Group | None:
        """``group`` when its kept answer may still answer a check."""
        if group.read_at is None or self._clock() - group.read_at >= SERVE_LIMIT_S:
            return None
        return group

    def _kept(self, client: AsyncWebClient, group_id: str) -> _Group | None:
        """The kept answer of ``group_id`` if it may answer; starts a read when one is due."""
        now = self._clock()
        group = self._groups.setdefault(group_id, _Group())
        due = group.read_at is None or now - group.read_at >= REFRESH_AFTER_S
        if due and group.reading is None and now - group.failed_at >= RETRY_AFTER_S:
            group.reading = asyncio.ensure_future(self._read(client, group_id, group))
        return self._served(group)

    async def _read(self, client: AsyncWebClient, group_id: str, group: _Group) -> None:
        try:
            async with asyncio.timeout(READ_LIMIT_S):
                answer = await client.usergroups_users_list(usergroup=group_id)
        except Exception as error:  # a background read: its failure is kept, never raised
            if isinstance(error, SlackApiError) and not is_transient(error):
                code = str(error.response.get("error") or "error")
                logger.warning("editor user group %s cannot be listed: %s", group_id, code)
                group.members, group.unusable, group.read_at = frozenset(), code, self._clock()
            else:  # no answer: nothing kept, the check fails closed until a read succeeds
                logger.warning("editor user group %s not read: %r", group_id, error)
                group.failed_at = self._clock()
        else:
            group.members = frozenset(answer.get("users") or [])
            group.unusable, group.read_at = None, self._clock()
        finally:
            group.reading = None
