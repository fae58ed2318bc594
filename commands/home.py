"""App Home: on ``app_home_opened`` the tab is published with the at-risk pipeline, the viewer's
cases and their follow-ups, and the team's overdue cases."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_home import home_view
from bot.usecases.home import home_summary
from bot.usecases.services import Services


async def publish_home(client: AsyncWebClient, services: Services, user_id: str) -> None:
    """Publishes the App Home of ``user_id`` (also after they log outreach from it)."""
    summary = await home_summary(services, user_id)
    await client.views_publish(user_id=user_id, view=home_view(summary, services.is_demo))


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, services: Services) -> None:
    """The ``app_home_opened`` event (Bolt acknowledges events itself); the Messages tab is left
    alone."""
    if event.get("tab", "home") != "home":
        return
    await publish_home(client, services, str(event.get("user") or ""))
