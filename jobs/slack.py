"""The Slack Web API client the jobs post with, built from settings, and posting a job's main
message exactly once.

A job's main message (the digest, a snapshot's alerts) carries metadata ``{"event_type": …,
"event_payload": {"period": …}}`` and a header block_id marker naming its period: after a failure
that may or may not have posted it (a 5xx, a timeout, a crash before the run ledger recorded it),
``post_once`` and a run taken over look for it in the channel history (``channels:history`` /
``groups:history``) before posting again. Its thread replies carry metadata naming their kind
and are looked for in the thread (``conversations.replies``) the same way (``Thread``).

A message a job posts on its own (a follow-up reminder in a DM, an escalation in the channel)
carries metadata naming what it is; a later attempt of its run looks for it among the messages
posted since the run started (``find_since``) before posting it again. That check must be
answered: a temporary failure to read the history fails the run (it is retried later) rather
than posting blindly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.app import build_web_client
from bot.usecases.ledger import Posts

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 200
AMBIGUOUS_TRIES = 3
REPLY_EVENT = "liqbot_reply"
"""The metadata event type of a job's thread reply; its payload names the reply's ``kind``."""
CLOCK_SKEW = timedelta(minutes=5)
"""How much earlier than a run's start (this host's clock) Slack may stamp a message of the run
(Slack's clock): the history is read from that much before the start."""


class Message(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def blocks(self) -> list[dict[str, Any]]: ...


def slack_client(settings: Settings) -> AsyncWebClient:
    """A client for ``SLACK_API_URL`` with the retry policy of ``bot.slack.app.build_web_client``
    reduced to 429s (see below). Cheap to build: without a session of its own the client opens
    one per request, so each job run builds the one it posts with.
    Raises ``SettingsError`` when ``SLACK_BOT_TOKEN`` is not set."""
    client = build_web_client(settings)
    # Jobs retry only 429s in the client (Slack did nothing). After a 5xx or a dropped connection
    # the message may have been posted: the digest looks in the channel before trying again.
    client.retry_handlers = [
        h for h in client.retry_handlers if isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    return client


async def find_posted(
    client: AsyncWebClient, channel: str, event_type: str, period: str, marker: str
) -> str | None:
    """The ts of the ``event_type`` message of ``period`` already in ``channel`` (by metadata or
    by the header's block_id ``marker``), or None; a history that cannot be read counts as none
    (logged)."""
    try:
        response = await client.conversations_history(
            channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    except SlackApiError as exc:
        logger.warning(
            "cannot read the history of %s (%s): posting without the duplicate check",
            channel,
            exc.response.get("error"),
        )
        return None
    for message in response.get("messages") or []:
        payload = liqbot_payload(message, event_type)
        if payload is not None and payload.get("period") == period:
            return str(message["ts"])
        if any(block.get("block_id") == marker for block in message.get("blocks") or []):
            return str(message["ts"])
    return None


def liqbot_payload(message: Mapping[str, Any], event_type: str) -> Mapping[str, Any] | None:
    """The metadata payload of ``message`` when liqbot posted it as ``event_type``, else None
    (Slack returns metadata when asked with ``include_all_metadata``)."""
    meta = message.get("metadata") or {}
    if meta.get("event_type") != event_type:
        return None
    return meta.get("event_payload") or {}


def _ambiguous(exc: Exception) -> bool:
    """A failure after which Slack may or may not have posted: a 5xx, a timeout, a dropped
    connection. (A 4xx or an ok=false answer means nothing was posted.)"""
    if isinstance(exc, SlackApiError):
        return exc.response is not None and exc.response.status_code >= 500
    return isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError))


def _temporary(exc: SlackApiError) -> bool:
    """Slack did not answer the question (rate limited past the client's retry, or a 5xx): ask
    again later. Any other refusal (``missing_scope``, ``not_in_channel``…) is Slack's answer."""
    return exc.response is not None and (
        exc.response.status_code == 429 or exc.response.status_code >= 500
    )


async def conversation_of(client: AsyncWebClient, target: str) -> str:
    """The conversation id of ``target``: a channel id as it is; a user id (``U…``/``W…``, where
    ``chat.postMessage`` posts in liqbot's DM with that user) becomes that DM's id
    (``conversations.open``, ``im:write``; it opens the DM if it was never opened)."""
    if target[:1] not in ("U", "W"):
        return target
    response = await client.conversations_open(users=target)
    return str((response.get("channel") or {})["id"])


async def find_since(
    client: AsyncWebClient,
    target: str,
    event_type: str,
    payload: Mapping[str, str],
    since: datetime | None,
) -> tuple[str, str] | None:
    """(conversation id, ts) of the message in ``target`` (a channel or a user id, see
    ``conversation_of``) whose metadata is ``event_type`` with every item of ``payload``, posted
    since ``since`` (less ``CLOCK_SKEW``), or None. Reads ``conversations.history`` page by page
    back to ``since`` (``channels:history``, ``groups:history``, ``im:history`` for a DM);
    without ``since``, the newest ``HISTORY_LIMIT`` messages only.

    A temporary failure (429, 5xx, no answer) raises: the caller's run fails and is retried
    later, since posting now could post twice. Slack's definitive refusal (a scope the app was
    not installed with, a public channel liqbot posts to without being in it) is logged and
    counts as none: the message then goes out without the check, as the digest does, rather
    than never."""
    oldest = None if since is None else f"{(since - CLOCK_SKEW).timestamp():.6f}"
    cursor: str | None = None
    try:
        channel = await conversation_of(client, target)
        while True:
            response = await client.conversations_history(
                channel=channel,
                oldest=oldest,
                cursor=cursor,
                limit=HISTORY_LIMIT,
                include_all_metadata=True,
            )
            for message in response.get("messages") or []:
                found = liqbot_payload(message, event_type)
                if found is not None and all(
                    str(found.get(key)) == value for key, value in payload.items()
                ):
                    return channel, str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if oldest is None or not response.get("has_more") or cursor is None:
                return None
    except SlackApiError as exc:
        if _temporary(exc):
            raise
        logger.warning(
            "cannot read the history of %s (%s): posting %s without the duplicate check",
            target,
            exc.response.get("error"),
            event_type,
        )
        return None


async def post_once(
    client: AsyncWebClient,
    channel: str,
    message: Message,
    event_type: str,
    period: str,
    marker: str,
) -> tuple[str, str]:
    """Post a job's main message exactly once: after an ambiguous failure, look in the channel
    for it (``find_posted``) before posting again. Returns (channel id, ts)."""
    for attempt in range(1, AMBIGUOUS_TRIES + 1):
        try:
            response = await client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                metadata={"event_type": event_type, "event_payload": {"period": period}},
                unfurl_links=False,
            )
            return str(response["channel"]), str(response["ts"])
        except Exception as exc:
            if not _ambiguous(exc) or attempt == AMBIGUOUS_TRIES:
                raise
            logger.warning(
                "posting %s of %s failed (%s); checking the channel", event_type, period, exc
            )
            await asyncio.sleep(attempt)
            found = await find_posted(client, channel, event_type, period, marker)
            if found is not None:
                return channel, found
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class JobMessage:
    """Where a job's main message is looked up: its metadata ``event_type`` and ``period``, and
    its header block_id ``marker``."""

    event_type: str
    period: str
    marker: str


async def post_with_thread(
    client: AsyncWebClient,
    channel: str,
    main: Message,
    thread: Sequence[Message],
    posts: Posts,
    job: JobMessage,
    check_history: bool,
) -> tuple[str, str]:
    """Post what is not recorded yet of a job's main message ("main", exactly once: see
    ``post_once``; with ``check_history`` first looked for in the channel) and its thread
    replies ("thread:1", …), each recorded right after Slack accepts it. Returns the main
    message's (channel id, ts)."""
    recorded = posts.posted("main")
    check_replies = check_history or posts.attempt > 1
    if recorded is not None:
        channel_id, ts = recorded.channel, recorded.ts
    else:
        found = None
        if check_history:
            found = await find_posted(client, channel, job.event_type, job.period, job.marker)
        if found is not None:
            channel_id, ts = channel, found
        else:
            channel_id, ts = await post_once(
                client, channel, main, job.event_type, job.period, job.marker
            )
        await posts.record(channel_id, ts, "main", blocks=main.blocks)
    replies = Thread(client, channel_id, ts, check_replies)
    for number, reply in enumerate(thread, start=1):
        kind = f"thread:{number}"
        if posts.posted(kind) is None:
            await posts.record(channel_id, await replies.reply_once(reply, kind), kind)
    return channel_id, ts


@dataclass
class Thread:
    """Replies in the thread of a job's message (``channel``, ``ts``), each posted once: a reply
    carries metadata naming its ``kind``, and after a failure that may have posted it (or, with
    ``check``, from the start: a run taken over after a crash) the thread is read
    (``conversations.replies``) for it first."""

    client: AsyncWebClient
    channel: str
    ts: str
    check: bool = False
    _found: dict[str, str] | None = None

    async def posted(self) -> dict[str, str]:
        """kind → ts of the liqbot replies already in the thread (read once; a thread that
        cannot be read counts as empty, logged)."""
        if self._found is None:
            self._found = {}
            for message in await self.messages():
                kind = (liqbot_payload(message, REPLY_EVENT) or {}).get("kind")
                if kind:
                    self._found[str(kind)] = str(message["ts"])
        return self._found

    async def file_shared(self, filename: str) -> str | None:
        """The id of a file named ``filename`` already shared in the thread, if any."""
        for message in await self.messages():
            for shared in message.get("files") or []:
                if shared.get("name") == filename:
                    return str(shared.get("id") or "files")
        return None

    async def messages(self) -> list[dict[str, Any]]:
        """The thread as Slack returns it (a thread that cannot be read: none, logged)."""
        try:
            response = await self.client.conversations_replies(
                channel=self.channel, ts=self.ts, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        except SlackApiError as exc:
            logger.warning(
                "cannot read the thread %s in %s (%s): posting without the duplicate check",
                self.ts,
                self.channel,
                exc.response.get("error"),
            )
            return []
        return list(response.get("messages") or [])

    async def reply_once(self, message: Message, kind: str) -> str:
        """Post ``message`` as the thread's ``kind`` reply unless it is there; its ts."""
        for attempt in range(1, AMBIGUOUS_TRIES + 1):
            if self.check or attempt > 1:
                found = (await self.posted()).get(kind)
                if found is not None:
                    return found
            try:
                response = await self.client.chat_postMessage(
                    channel=self.channel,
                    thread_ts=self.ts,
                    text=message.text,
                    blocks=message.blocks,
                    metadata={"event_type": REPLY_EVENT, "event_payload": {"kind": kind}},
                    unfurl_links=False,
                )
                return str(response["ts"])
            except Exception as exc:
                if not _ambiguous(exc) or attempt == AMBIGUOUS_TRIES:
                    raise
                logger.warning("replying %s failed (%s); checking the thread", kind, exc)
                self._found = None
                await asyncio.sleep(attempt)
        raise AssertionError("unreachable")
