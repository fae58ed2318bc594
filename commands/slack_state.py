"""What the Slack edge keeps in this process: editor user-group members (``EDITOR_USERGROUP_IDS``,
kept by ``commands.editor_groups``), the messages whose buttons may be clicked (to redraw them
when the modal is submitted), and the answers being worked out.

Answers: identical commands in flight share one computation (ten analysts typing
`/liquidity PEPE` during a PEPE move cost one exchange fetch, not ten), and at most
``ANSWER_SLOTS`` computations run at once. Acknowledging Slack within 3 s is what must never
wait: a burst of commands would otherwise fill the event loop with parsing work (ccxt tickers)
that every acknowledgement then queues behind. The latest answer of each command line is kept
like a message (``answer``): Slack never sends an ephemeral answer back with a click, and a
modal submission redraws it from there instead of running the command again.

The rest are caches: a restart or another replica only costs ``usergroups.users.list`` calls
(and, while Slack is slow to answer them, an editor asked to try again), or an outreach note
that arrives as an ephemeral message instead of in the original message.
Listeners receive the one ``SlackState`` of the app as the ``slack_state`` argument (see
``into_context``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_common import Block, Reply
from bot.settings import Settings
from bot.single_flight import SingleFlight
from bot.usecases.outreach import Actor
from commands.editor_groups import LOOKUP_BUDGET_S, EditorGroups, Membership

logger = logging.getLogger(__name__)

CONTEXT_KEY = "slack_state"
ANSWER_SLOTS = 8
NAME_TTL_S = 3600.0
MESSAGE_TTL_S = 3600.0
MESSAGES_KEPT = 500

Message = tuple[str, list[Block]]
"""(text, blocks) of a message."""
ANSWERS = "/"
"""The "channel" under which answers are kept, by command line (no channel id starts so)."""
T = TypeVar("T")


class SlackState:
    """Caches of one Bolt app (see the module docstring); ``clock`` in seconds, monotonic."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.editor_groups = EditorGroups(clock)
        self._names: dict[str, tuple[float, str | None]] = {}
        self._messages: OrderedDict[tuple[str, str], tuple[float, Message]] = OrderedDict()
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._in_flight: SingleFlight[str, Any] = SingleFlight()
        self._answer_slots = asyncio.Semaphore(ANSWER_SLOTS)

    async def into_context(
        self, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> None:
        """Bolt middleware: every listener may declare a ``slack_state`` argument."""
        context[CONTEXT_KEY] = self
        await next()

    # ---- answers ------------------------------------------------------------------------------
    async def _kept(self, key: str, compute: Callable[[], Awaitable[T]], slotted: bool) -> T:
        if slotted:
            async with self._answer_slots:
                result = await compute()
        else:
            result = await compute()
        if isinstance(result, Reply):
            self.remember_message(ANSWERS, key, result.notification, result.blocks)
        return result

    async def shared_answer(
        self, key: str, compute: Callable[[], Awaitable[T]], slotted: bool = True
    ) -> T:
        """``compute()``'s result, shared with every caller of the same ``key`` while it runs
        (its exception too); at most ``ANSWER_SLOTS`` ``slotted`` computations run at once. A
        ``Reply`` is then kept as the answer of ``key``, the lower-cased command line (see
        ``answer_key``)."""
        # A caller that goes away must not cancel the others' answer.
        result: T = await asyncio.shield(
            self._in_flight.run(key, lambda: self._kept(key, compute, slotted))
        )
        return result

    # ---- editors ------------------------------------------------------------------------------
    async def display_name(
        self, client: AsyncWebClient, user_id: str, fallback: str | None = None
    ) -> str | None:
        """The user's display name as Slack shows it now (``users.info``: display name, else
        real name, else handle; cached an hour), else ``fallback``. Waits on Slack at most
        ``LOOKUP_BUDGET_S`` (Slack's 3 s clock runs); a name not read in time is not kept."""
        now = self._clock()
        cached = self._names.get(user_id)
        if cached is not None and now - cached[0] < NAME_TTL_S:
            return cached[1] or fallback
        name = None
        try:
            answer = await asyncio.wait_for(client.users_info(user=user_id), LOOKUP_BUDGET_S)
            user = answer.get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name")
        except TimeoutError:
            logger.info("users.info %s: no answer within %s s", user_id, LOOKUP_BUDGET_S)
            return fallback
        except SlackApiError as error:  # a deleted user: the name Slack sent will do
            logger.info("users.info %s: %s", user_id, error.response.get("error"))
        self._names[user_id] = (now, name or None)
        return name or fallback

    async def _actor(
        self,
        client: AsyncWebClient,
        settings: Settings,
        user_id: str,
        team_id: str | None,
        handle: str | None,
    ) -> Actor:
        found = Membership()
        if settings.editor_usergroup_ids and user_id not in settings.editor_user_ids:
            found = await self.editor_groups.membership(
                client, user_id, settings.editor_usergroup_ids
            )
        name = await self.display_name(client, user_id, handle)
        return Actor(
            user_id,
            team_id,
            name,
            found.groups,
            unusable_usergroups=found.unusable,
            unchecked_usergroup_ids=found.unchecked,
        )

    async def actor(
        self, client: AsyncWebClient, settings: Settings, body: dict[str, Any]
    ) -> Actor:
        """Who clicked or submitted: display name (stored with what they write) and what the
        editor check established about their editor groups, within
        ``commands.editor_groups.LOOKUP_BUDGET_S``."""
        user = body.get("user") or {}
        user_id = str(user.get("id") or "")
        team_id = (body.get("team") or {}).get("id") or user.get("team_id")
        handle = user.get("username") or user.get("name")
        return await self._actor(client, settings, user_id, team_id, handle)

    async def command_actor(
        self, client: AsyncWebClient, settings: Settings, command: dict[str, Any]
    ) -> Actor:
        """Who typed a slash command, as ``actor`` sees a click."""
        user_id = str(command.get("user_id") or "")
        team_id = command.get("team_id")
        return await self._actor(client, settings, user_id, team_id, command.get("user_name"))

    # ---- messages and answers -----------------------------------------------------------------
    def remember_message(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]
    ) -> None:
        key = (channel, ts)
        self._messages.pop(key, None)
        self._messages[key] = (self._clock(), (text, blocks))
        while len(self._messages) > MESSAGES_KEPT:
            old, _ = self._messages.popitem(last=False)
            self._locks.pop(old, None)

    def message(self, channel: str, ts: str) -> Message | None:
        """The latest known (text, blocks) of a message, if seen in the last hour."""
        found = self._messages.get((channel, ts))
        if found is None or self._clock() - found[0] > MESSAGE_TTL_S:
            return None
        return found[1]

    def message_lock(self, channel: str, ts: str) -> asyncio.Lock:
        """Serialises the updates of one message, so two notes never overwrite each other."""
        if len(self._locks) > 2 * MESSAGES_KEPT:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault((channel, ts), asyncio.Lock())

    @staticmethod
    def answer_key(line: str) -> tuple[str, str]:
        """Where the latest answer to the command ``line`` (``/liquidity PEPE``) is kept, for
        ``message``, ``remember_message`` and ``message_lock``: (its text as sent, the escaped
        summary; blocks without the origin stamp)."""
        return ANSWERS, line.lower()
