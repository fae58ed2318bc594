"""Job tests run on the ``services`` of ``tests/conftest.py``, posting to the Slack Web API
stand-in: every Services here gets its URL and token, the digest channel and binance alone."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from tests.builders import DIGEST_CHANNEL
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import slack_api

__all__ = ["slack_api"]


@pytest.fixture
def services_settings(slack_api: SlackApiStandIn) -> dict[str, Any]:
    return {
        "exchanges": "binance",
        "slack_bot_token": SecretStr(slack_api.token),
        "slack_api_url": slack_api.api_url,
        "digest_channel": DIGEST_CHANNEL,
    }
