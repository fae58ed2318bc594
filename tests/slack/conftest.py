"""The Slack fixtures (see ``tests.fakes.slack_fixtures``), for every test in this folder."""

from tests.fakes.slack_fixtures import serve_bot, slack_api, slack_requests, slack_settings

__all__ = ["serve_bot", "slack_api", "slack_requests", "slack_settings"]
