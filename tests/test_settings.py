"""Settings: SPEC names, defaults, one-line errors naming the variable, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith(
            ("RISK_", "REVIEW_", "REPORT_", "SLACK_", "DATABASE_", "EXCHANGES", "HOME_", "PORT")
        ):
            monkeypatch.delenv(key)


def test_defaults_match_spec() -> None:
    s = load_settings(env_file=None)
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.database_url == "sqlite:///./liqbot.db"
    assert s.market_source == "live"
    assert s.exchanges == ["binance", "okx", "bybit"]
    assert s.home_exchange == "binance"
    assert s.quote_assets == ["USDT", "USDC", "FDUSD"]
    assert s.digest_cron == "0 9 * * *"
    assert s.timezone == "UTC"
    assert s.snapshot_interval_minutes == 60
    assert s.port == 3000
    assert s.editor_user_ids == [] and s.editor_usergroup_ids == []
    assert s.followup_days == 7
    assert s.replay_latency_ms == 0
    assert (s.report_channel, s.report_cron) == (None, "0 9 * * 1")
    assert (s.review.min_days_under_floor, s.review.window_days, s.review.snooze_days) == (
        14,
        30,
        30,
    )


def test_the_report_goes_to_the_digest_channel_unless_report_channel_is_set() -> None:
    assert load_settings(env_file=None, digest_channel="C1").report_target == "C1"
    both = load_settings(env_file=None, digest_channel="C1", report_channel="C2")
    assert both.report_target == "C2"


def test_env_example_documents_every_setting_and_loads() -> None:
    example = Path(__file__).resolve().parents[1] / ".env.example"
    names = {
        line.split("=", 1)[0]
        for line in example.read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    from bot.settings import ReviewCriteria, RiskThresholds, Settings

    expected = {n.upper() for n in Settings.model_fields if n not in ("risk", "review")}
    expected |= {f"RISK_{n.upper()}" for n in RiskThresholds.model_fields}
    expected |= {f"REVIEW_{n.upper()}" for n in ReviewCriteria.model_fields}
    assert expected <= names, sorted(expected - names)
    s = load_settings(env_file=example)
    assert s.risk.min_depth_2pct_usd == 50_000
    assert s.slack_bot_token is None  # empty values mean "not set"


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCHANGES", "Binance, okx")
    monkeypatch.setenv("QUOTE_ASSETS", "usdt,BTC")
    monkeypatch.setenv("EDITOR_USER_IDS", "U1,U2")
    s = load_settings(env_file=None)
    assert s.exchanges == ["binance", "okx"]
    assert s.quote_assets == ["USDT", "BTC"]
    assert s.editor_user_ids == ["U1", "U2"]


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("PORT", "eighty", "PORT"),
        ("RISK_MAX_SPREAD_BPS", "wide", "RISK_MAX_SPREAD_BPS"),
        ("RISK_MAX_IMBALANCE", "1.5", "RISK_MAX_IMBALANCE"),
        ("RISK_MIN_DEPTH_USD", "5", "RISK_MIN_DEPTH_USD"),  # unknown RISK_ name (typo)
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
        ("MARKET_SOURCE", "ftp", "MARKET_SOURCE"),
        ("HOME_EXCHANGE", "kraken", "HOME_EXCHANGE"),
        ("DIGEST_CRON", "every morning", "DIGEST_CRON"),
        ("RISK_TIER_MEDIUM", "70", "RISK_TIER_MEDIUM"),
        ("LOG_LEVEL", "verbose", "LOG_LEVEL"),
        ("REPORT_CRON", "weekly", "REPORT_CRON"),
        ("REVIEW_WINDOW_DAYS", "0", "REVIEW_WINDOW_DAYS"),
        ("REVIEW_MIN_DAYS", "3", "REVIEW_MIN_DAYS"),  # unknown REVIEW_ name (typo)
        ("REVIEW_MIN_DAYS_UNDER_FLOOR", "31", "REVIEW_MIN_DAYS_UNDER_FLOOR"),
    ],
)
def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings(env_file=None)
    message = str(info.value)
    assert named in message
    assert "\n" not in message


def test_secrets_are_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shhh-signing")
    monkeypatch.setenv("PORT", "bad")
    with pytest.raises(SettingsError) as info:
        load_settings(env_file=None)
    assert "very-secret" not in str(info.value) and "shhh" not in str(info.value)
    monkeypatch.setenv("PORT", "3000")
    s = load_settings(env_file=None)
    assert "very-secret" not in repr(s) and "shhh" not in repr(s)
    assert s.slack_bot_token is not None
    assert s.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_dotenv_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text("PORT=4000\nRISK_MAX_SPREAD_BPS=80\nDIGEST_CHANNEL=C123\n")
    monkeypatch.setenv("PORT", "5000")
    s = load_settings(env_file=env)
    assert s.port == 5000
    assert s.risk.max_spread_bps == 80
    assert s.digest_channel == "C123"
