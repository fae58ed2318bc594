"""The Slack Web API client the jobs post with: one per Services, built from settings."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack.app import build_web_client

CLIENT_KEY = "slack_client"


def slack_client(services: Services) -> AsyncWebClient:
    """``services.extras["slack_client"]`` when the caller put one there (serve can share the
    Bolt app's client), else a client for ``SLACK_API_URL`` with the retry policy of
    ``bot.slack.app.build_web_client`` (429 with Retry-After, 5xx, connection errors).
    Raises ``SettingsError`` when ``SLACK_BOT_TOKEN`` is not set."""
    client = services.extras.get(CLIENT_KEY)
    if isinstance(client, AsyncWebClient):
        return client
    client = build_web_client(services.settings)
    services.extras[CLIENT_KEY] = client
    return client
