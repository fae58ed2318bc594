"""The Slack Web API client the jobs post with, built from settings."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack.app import build_web_client


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
