"""build_app: what it needs from settings, and how listeners get registered."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp

import commands
from bot.settings import Settings, SettingsError
from bot.slack.app import build_app
from bot.wiring import build_app as build_liqbot_app


def test_missing_bot_token_is_a_settings_error_naming_the_variable(
    slack_settings: Settings,
) -> None:
    settings = slack_settings.model_copy(update={"slack_bot_token": None})
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        build_app(settings, None, register=lambda app: None)


def test_http_mode_without_signing_secret_is_refused_without_leaking_secrets(
    slack_settings: Settings,
) -> None:
    settings = slack_settings.model_copy(update={"slack_signing_secret": None})
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET") as raised:
        build_app(settings, None, register=lambda app: None)
    assert slack_settings.slack_bot_token is not None
    assert slack_settings.slack_bot_token.get_secret_value() not in str(raised.value)


def test_socket_mode_needs_no_signing_secret(slack_settings: Settings) -> None:
    settings = slack_settings.model_copy(
        update={"slack_signing_secret": None, "slack_app_token": SecretStr("xapp-1")}
    )
    assert isinstance(build_app(settings, None, register=lambda app: None), AsyncApp)


def test_the_wiring_registers_liqbots_own_listeners(
    slack_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[AsyncApp] = []
    monkeypatch.setattr(commands, "register", registered.append)

    app = build_liqbot_app(slack_settings, None)

    assert registered == [app]
    assert app.client.token == slack_settings.slack_bot_token.get_secret_value()  # type: ignore[union-attr]
