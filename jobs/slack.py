"""What the jobs share to post in Slack: the Web API client built from settings, and posting a
period's main message exactly once (the digest, the weekly report).

Exactly once: the run ledger records each message right after Slack accepts it
(``bot.usecases.ledger.Posts``). The one window it cannot see, a crash or a dropped connection
after ``chat.postMessage`` and before the ts is recorded, is closed by the message itself: it
carries metadata ``{"event_type": …, "event_payload": {"period": …}}`` and a header block_id
naming the period (a ``Marker``), and ``post_once`` / a taken-over run look for it in the channel
history (needs ``channels:history`` / ``groups:history``) before posting again.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.app import build_web_client

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 200
AMBIGUOUS_TRIES = 3


def slack_client(settings: Settings) -> AsyncWebClient:
    """A client for ``SLACK_API_URL`` with the retry policy of ``bot.slack.app.build_web_client``
    reduced to 429s (see below). Cheap to build: without a session of its own the client opens
    one per request, so each job run builds the one it posts with.
    Raises ``SettingsError`` when ``SLACK_BOT_TOKEN`` is not set."""
    client = build_web_client(settings)
    # Jobs retry only 429s in the client (Slack did nothing). After a 5xx or a dropped connection
    # the message may have been posted: ``post_once`` looks in the channel before trying again.
    client.retry_handlers = [
        h for h in client.retry_handlers if isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    return client


@dataclass(frozen=True)
class Marker:
    """How a job's main message of one period is recognised in the channel: its metadata
    ``event_type`` and ``period``, and its header's ``block_id``."""

    event_type: str
    period: str
    block_id: str

    @property
    def metadata(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "event_payload": {"period": self.period}}


async def find_posted(client: AsyncWebClient, channel: str, marker: Marker) -> str | None:
    """The ts of the period's message already in ``channel`` (by metadata or header marker), or
    None; a history that cannot be read counts as none (logged)."""
    try:
        response = await client.conversations_history(
            channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    except SlackApiError as exc:
        logger.warning(
            "cannot read the history of %s (%s): posting %s without the duplicate check",
            channel,
            exc.response.get("error"),
            marker.event_type,
        )
        return None
    for message in response.get("messages") or []:
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == marker.event_type and payload.get("period") == marker.period:
            return str(message["ts"])
        if any(block.get("block_id") == marker.block_id for block in message.get("blocks") or []):
            return str(message["ts"])
    return None


def _ambiguous(exc: Exception) -> bool:
    """A failure after which Slack may or may not have posted: a 5xx, a timeout, a dropped
    connection. (A 4xx or an ok=false answer means nothing was posted.)"""
    if isinstance(exc, SlackApiError):
        return exc.response is not None and exc.response.status_code >= 500
    return isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError))


async def post_once(
    client: AsyncWebClient, channel: str, marker: Marker, text: str, blocks: list[Any]
) -> tuple[str, str]:
    """Post the period's main message exactly once: after an ambiguous failure, look in the
    channel for it before posting again. Returns (channel id, ts)."""
    for attempt in range(1, AMBIGUOUS_TRIES + 1):
        try:
            response = await client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                metadata=marker.metadata,
                unfurl_links=False,
            )
            return str(response["channel"]), str(response["ts"])
        except Exception as exc:
            if not _ambiguous(exc) or attempt == AMBIGUOUS_TRIES:
                raise
            logger.warning(
                "posting %s of %s failed (%s); checking the channel",
                marker.event_type,
                marker.period,
                exc,
            )
            await asyncio.sleep(attempt)
            found = await find_posted(client, channel, marker)
            if found is not None:
                return channel, found
    raise AssertionError("unreachable")
