"""Modal field rules: each invalid value gives an error under its own field, valid ones none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.errors import UserFacingError
from bot.settings import load_settings
from bot.usecases.args import parse_at_risk_args, parse_exchange, parse_symbol
from bot.usecases.outreach.forms import (
    DeclinedFields,
    FieldErrors,
    InvalidSubmission,
    clean_contribution,
    clean_declined,
    clean_has_mm,
    clean_outreach,
    clean_snooze,
)
from bot.usecases.outreach.forms_case import (
    clean_agreed,
    clean_end_engagement,
    clean_reason,
    clean_received,
)

TODAY = date(2026, 11, 25)


def errors_of(clean: Callable[..., object], *args: object) -> FieldErrors:
    """The field errors ``clean(*args)`` raises (empty when the values are valid)."""
    try:
        clean(*args)
    except InvalidSubmission as invalid:
        return invalid.errors
    return {}


def validate_outreach(*args: object) -> FieldErrors:
    return errors_of(clean_outreach, *args)


def validate_has_mm(*args: object) -> FieldErrors:
    return errors_of(clean_has_mm, *args)


def validate_contribution(value: object) -> FieldErrors:
    return errors_of(clean_contribution, value)


def validate_declined(
    reason: str | None, questions: tuple[str, ...] = ("contribution",)
) -> FieldErrors:
    return errors_of(clean_declined, reason, questions)


def validate_snooze(days: object) -> FieldErrors:
    return errors_of(clean_snooze, days)


def test_outreach_rules() -> None:
    assert validate_outreach("telegram", "@team", "notes", "2026-11-25", TODAY) == {}
    assert validate_outreach("Email", None, None, None, TODAY) == {}  # case-insensitive
    assert validate_outreach("call", "x" * 255, None, date(2027, 11, 25), TODAY) == {}
    errors = validate_outreach("pigeon", "x" * 256, "n" * 3001, "2026-11-24", TODAY)
    assert set(errors) == {"channel", "contact", "notes", "followup_on"}
    assert "telegram, email, call or other" in errors["channel"]
    assert "in the past" in errors["followup_on"]
    assert (
        "within a year" in validate_outreach("call", None, None, "2027-11-26", TODAY)["followup_on"]
    )
    assert "YYYY-MM-DD" in validate_outreach("call", None, None, "25/12/2026", TODAY)["followup_on"]


def test_has_mm_rules() -> None:
    assert validate_has_mm("Wintermute", "2026-01-01", "2026-12-31", "50", "10,000", TODAY) == {}
    assert validate_has_mm("GSR", None, None, None, "", TODAY) == {}
    errors = validate_has_mm(" ", "2026-11-26", "2026-11-26", "0", "-5", TODAY)
    assert set(errors) == {"mm_name", "since", "until", "max_spread_bps", "min_depth_usd"}
    assert errors["mm_name"] == "Required."
    assert (
        "after the start"
        in validate_has_mm("A", "2026-05-01", "2026-04-30", None, None, TODAY)["until"]
    )
    assert set(validate_has_mm("A" * 256, None, None, "abc", None, TODAY)) == {
        "mm_name",
        "max_spread_bps",
    }
    fields = clean_has_mm(" Wintermute ", date(2026, 1, 1), None, "25", "50,000", TODAY)
    assert (fields.mm_name, fields.max_spread_bps, fields.min_depth_usd) == (
        "Wintermute",
        25.0,
        50_000.0,
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [("3", True), ("3%", True), (" 2.5 ", True), (100, True), (0.001, True), ("0", False),
     ("-1", False), ("100.01", False), ("", False), ("three", False), ("nan", False),
     (float("inf"), False), (None, False)],
)  # fmt: skip
def test_contribution_percent_is_in_0_to_100(value: object, ok: bool) -> None:
    errors = validate_contribution(value)
    assert (errors == {}) is ok
    if not ok:
        assert set(errors) == {"pct_of_supply"}


def test_declined_and_snooze_rules() -> None:
    assert validate_declined("no budget") == {}
    assert set(validate_declined("")) == {"reason"}
    assert set(validate_declined("no", ())) == {"questions"}  # which question was declined
    assert validate_snooze("1") == {} and validate_snooze(90) == {}
    for bad in ("0", "91", "7.5", "week", None):
        assert set(validate_snooze(bad)) == {"days"}
    assert clean_snooze("14") == 14
    both = clean_declined(" no budget ", ["market_maker", "contribution", "other"])
    assert both == DeclinedFields("no budget", ("market_maker", "contribution"))


def test_the_case_steps_rules() -> None:
    today = date(2026, 12, 5)
    assert clean_agreed("7,985,768") == 7_985_768
    assert set(errors_of(clean_agreed, "0")) == {"tokens"}
    received = clean_received("100", None, "2027-01-01", today)
    assert (received.received_on, received.lockup_until) == (today, date(2027, 1, 1))
    assert set(errors_of(clean_received, "1", "2026-12-06", None, today)) == {"received_on"}
    assert set(errors_of(clean_received, "1", "2026-12-05", "2026-12-05", today)) == {
        "lockup_until"
    }
    assert clean_end_engagement(None, None, today).ended_on == today
    assert set(errors_of(clean_end_engagement, "GSR", "2028-01-01", today)) == {"ended_on"}
    assert set(errors_of(clean_reason, "  ")) == {"reason"}


def test_symbol_exchange_and_at_risk_arguments() -> None:
    assert parse_symbol(" pepe ") == "PEPE"
    assert parse_symbol("1000SATS") == "1000SATS" and parse_symbol("bnb.x_y-z") == "BNB.X_Y-Z"
    for bad in ("", "A" * 21, "PE PE", "'; DROP TABLE outreach;--", "PEPE🐸", '{"a":1}'):
        with pytest.raises(UserFacingError):
            parse_symbol(bad)
    with pytest.raises(UserFacingError) as caught:
        parse_symbol("<!channel>")
    assert "<" not in caught.value.message and "`!CHANNEL`" in caught.value.message

    settings = load_settings(env_file=None)
    assert parse_exchange(settings, "OKX") == "okx"
    with pytest.raises(UserFacingError, match="use one of binance, okx, bybit"):
        parse_exchange(settings, "kraken")

    assert parse_at_risk_args("") == (20, None)
    assert parse_at_risk_args("high 5") == (5, "high")
    assert parse_at_risk_args("100 MEDIUM") == (100, "medium")
    for bad in ("0", "101", "99999999", "low", "5 x"):
        with pytest.raises(UserFacingError):
            parse_at_risk_args(bad)
