"""``bot.errors.redact``: the one place that blanks out secrets in messages and log lines."""

from __future__ import annotations

from bot.errors import redact


def test_a_url_password_is_hidden() -> None:
    assert redact("cannot reach postgresql+psycopg://liq:s3cr%40t@db:5432/x") == (
        "cannot reach postgresql+psycopg://liq:***@db:5432/x"
    )


def test_slack_tokens_are_hidden() -> None:
    assert redact("invalid_auth for xoxb-123-456-abc and xapp-1-A2") == (
        "invalid_auth for xoxb-*** and xapp-***"
    )


def test_credential_parameters_are_hidden() -> None:
    assert redact("GET /api?symbol=PEPE&signature=abc123&apiKey=k9") == (
        "GET /api?symbol=PEPE&signature=***&apiKey=***"
    )


def test_given_secret_values_are_hidden_wherever_they_appear() -> None:
    assert redact('FATAL: password "hunter2" rejected', "hunter2", "") == (
        'FATAL: password "***" rejected'
    )


def test_plain_text_is_left_alone() -> None:
    text = "invalid setting SLACK_BOT_TOKEN: unknown token PEPE"
    assert redact(text) == text
