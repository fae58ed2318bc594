"""The Slack app manifest: what an operator pastes into api.slack.com to create liqbot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack.manifest import render_manifest
from commands.slash import SLASH_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
URL = "https://liqbot.example.com"


def manifest(url: str | None) -> dict[str, Any]:
    parsed = yaml.safe_load(render_manifest(url, SLASH_COMMANDS))
    assert isinstance(parsed, dict)
    return parsed


def test_http_mode_points_commands_interactivity_and_events_at_one_request_url() -> None:
    m = manifest(URL + "/")  # a trailing slash must not double up
    events_url = "https://liqbot.example.com/slack/events"

    commands = m["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [
        "/liquidity",
        "/mm",
        "/atrisk",
        "/outreach",
        "/watch",
        "/unwatch",
        "/review",
    ]
    assert {c["url"] for c in commands} == {events_url}
    assert all(
        c["usage_hint"] in ("help",) or c["usage_hint"].endswith(" | help") for c in commands
    )
    assert m["settings"]["interactivity"] == {"is_enabled": True, "request_url": events_url}
    assert m["settings"]["event_subscriptions"] == {
        "request_url": events_url,
        "bot_events": ["app_home_opened"],
    }
    assert m["settings"]["socket_mode_enabled"] is False
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["oauth_config"]["scopes"]["bot"] == [
        "commands", "chat:write", "chat:write.public", "files:write", "users:read",
        "usergroups:read", "im:write", "channels:history", "groups:history", "im:history",
    ]  # fmt: skip


def test_without_url_the_app_is_a_socket_mode_app_with_no_request_urls() -> None:
    m = manifest(None)
    assert m["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in m["settings"]["interactivity"]
    assert "request_url" not in m["settings"]["event_subscriptions"]
    assert all("url" not in c for c in m["features"]["slash_commands"])


@pytest.mark.parametrize(
    "url", ["http://liqbot.example.com", "liqbot.example.com", "https://", "https://a b"]
)
def test_only_an_https_url_is_accepted(url: str) -> None:
    with pytest.raises(ValueError, match="https://"):
        render_manifest(url, SLASH_COMMANDS)


def test_slack_manifest_length_limits_hold() -> None:
    m = manifest(URL)  # Slack's manifest reference: description ≤ 140, display name ≤ 80
    assert len(m["display_information"]["description"]) <= 140
    assert len(m["features"]["bot_user"]["display_name"]) <= 80


def test_manifest_yml_at_the_repo_root_is_the_rendering_for_the_example_url() -> None:
    assert (ROOT / "manifest.yml").read_text(encoding="utf-8") == render_manifest(
        URL, SLASH_COMMANDS
    )
