"""The Slack Web API client the jobs post with: one per Services, built from settings."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.app import build_web_client
from bot.usecases.services import Services

CLIENT_KEY = "slack_client"


def slack_client(services: Services) -> AsyncWebClient:
    """``services.extras["slack_client"]`` when the caller put one there (serve can share the
    Bolt app's client), else a client for ``SLACK_API_URL`` with the retry policy of
    ``bot.slack.app.build_web_client`` reduced to 429s (see below).
    Raises ``SettingsError`` when ``SLACK_BOT_TOKEN`` is not set."""
    client = services.extras.get(CLIENT_KEY)
    if isinstance(client, AsyncWebClient):
        return client
    client = build_web_client(services.settings)
    # Jobs retry only 429s in the client (Slack did nothing). After a 5xx or a dropped connection
    # the message may have been posted: the digest looks in the channel before trying again.
    client.retry_handlers = [
        h for h in client.retry_handlers if isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    services.extras[CLIENT_KEY] = client
    return client
