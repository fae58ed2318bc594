"""The RISK_ALERT_… settings become the alerts' rules; a bad value stops liqbot naming it."""

from __future__ import annotations

import pytest

from bot.domain.alerts import AlertRules
from bot.settings import SettingsError, load_settings
from bot.usecases.alerts import alert_rules


def test_the_defaults_are_the_domain_defaults() -> None:
    settings = load_settings(env_file=None)
    assert alert_rules(settings) == AlertRules()
    assert settings.alert_target is None


def test_alert_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISK_ALERT_DEPTH_FLOOR_USD", "20000")
    monkeypatch.setenv("RISK_ALERT_DEPTH_MEDIAN_RATIO", "0.25")
    monkeypatch.setenv("RISK_ALERT_RECOVERY_SNAPSHOTS", "3")
    monkeypatch.setenv("RISK_ALERT_MM_MISSED_SNAPSHOTS", "6")
    monkeypatch.setenv("DIGEST_CHANNEL", "C0DIGEST")
    settings = load_settings(env_file=None)
    assert alert_rules(settings) == AlertRules(20_000, 0.25, 3, 6)
    assert settings.alert_target == "C0DIGEST"  # ALERT_CHANNEL defaults to DIGEST_CHANNEL
    monkeypatch.setenv("ALERT_CHANNEL", "C0ALERTS")
    assert load_settings(env_file=None).alert_target == "C0ALERTS"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RISK_ALERT_DEPTH_MEDIAN_RATIO", "1"),
        ("RISK_ALERT_DEPTH_FLOOR_USD", "-5"),
        ("RISK_ALERT_RECOVERY_SNAPSHOTS", "0"),
        ("RISK_ALERT_DEPTH_FLOR_USD", "5"),  # a typo is an unknown RISK_ setting
    ],
)
def test_a_bad_alert_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(env_file=None)
