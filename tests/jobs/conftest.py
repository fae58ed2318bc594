"""Fixtures for the job tests: Services on a real database (SQLite and PostgreSQL via ``db_url``)
with the demo market data, a settable clock and the Slack Web API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import load_settings
from bot.usecases.services import Services
from bot.wiring import build_services
from tests.builders import DIGEST_CHANNEL, NOW, Clock
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import slack_api

__all__ = ["slack_api"]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


MakeServices = Callable[..., Services]


@pytest.fixture
async def make_services(
    db_url: str, clock: Clock, slack_api: SlackApiStandIn
) -> AsyncIterator[MakeServices]:
    """Services factory (each call is a separate "process": its own engine and worker id);
    keyword arguments are setting overrides; ``clock=None`` uses the real (time-machine) clock."""
    built: list[Services] = []

    def make(use_clock: bool = True, **overrides: Any) -> Services:
        options: dict[str, Any] = {
            "database_url": db_url,
            "market_source": "demo",
            "exchanges": "binance",
            "slack_bot_token": SecretStr(slack_api.token),
            "slack_api_url": slack_api.api_url,
            "digest_channel": DIGEST_CHANNEL,
            **overrides,
        }
        settings = load_settings(env_file=None, **options)
        services = build_services(settings, clock=clock) if use_clock else build_services(settings)
        built.append(services)
        return services

    yield make
    for services in built:
        await services.close()
