"""The outreach case rules: latest snooze wins, the derived state and the follow-up due date
(the market maker on record: test_engagements.py)."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.domain.outreach import (
    CASE_STATES,
    OutreachRecord,
    ReplyRecord,
    SnoozeRecord,
    case_state,
    followup_due_on,
    running_snooze,
    snoozed_symbols,
)

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
DAY = timedelta(days=1)


def _snooze(id: int, logged_at: datetime, until: datetime, symbol: str = "PEPE") -> SnoozeRecord:
    return SnoozeRecord(id, symbol, until, "U1", logged_at, None)


def _outreach(logged_at: datetime, followup_on: date | None = None) -> OutreachRecord:
    return OutreachRecord(1, "PEPE", "email", "team@pepe", None, followup_on, "U1", logged_at, None)


def _reply(kind: str, logged_at: datetime, **details: object) -> ReplyRecord:
    return ReplyRecord(2, "PEPE", None, kind, dict(details), "U2", logged_at)


def test_the_latest_snooze_logged_decides() -> None:
    long = _snooze(1, T0, T0 + 10 * DAY)
    ended = _snooze(2, T0 + DAY, T0 + DAY)  # ending the snooze early is a new snooze
    assert running_snooze([long], T0 + 2 * DAY) == long
    assert running_snooze([long, ended], T0 + 2 * DAY) is None
    assert running_snooze([long, ended], T0 + DAY / 2) == long  # "ended" not logged yet
    same_moment = _snooze(3, T0 + DAY, T0 + 5 * DAY)
    assert running_snooze([same_moment, ended], T0 + 2 * DAY) == same_moment  # then by id


def test_snoozed_symbols_at_a_moment() -> None:
    snoozes = [
        _snooze(1, T0, T0 + 2 * DAY),
        _snooze(2, T0 + DAY, T0 + 3 * DAY, symbol="WIF"),
    ]
    assert snoozed_symbols(snoozes, T0 - DAY) == set()
    assert snoozed_symbols(snoozes, T0 + DAY) == {"PEPE", "WIF"}
    assert snoozed_symbols(snoozes, T0 + 2 * DAY) == {"WIF"}


def test_the_state_follows_the_latest_record() -> None:
    now = T0 + 3 * DAY
    assert case_state("PEPE", [], [], [], now).state == "not_contacted"
    contacted = case_state("PEPE", [_outreach(T0)], [], [], now)
    assert (contacted.state, contacted.label) == ("contacted", "contacted 3d ago by U1")
    pledged = [_reply("will_contribute", T0 + DAY, pct_of_supply=3)]
    answered = case_state("PEPE", [_outreach(T0)], pledged, [], now)
    assert (answered.state, answered.label) == ("will_contribute", "will contribute 3%")
    followed_up = case_state("PEPE", [_outreach(T0 + 2 * DAY)], pledged, [], now)
    assert followed_up.state == "contacted"


def test_an_answer_logged_with_the_outreach_wins_and_a_snooze_reply_is_not_an_answer() -> None:
    replies = [_reply("declined", T0), _reply("snooze", T0 + DAY, days=7)]
    state = case_state("PEPE", [_outreach(T0)], replies, [], T0 + 2 * DAY)
    assert (state.state, state.at) == ("declined", T0)


def test_a_running_snooze_decides_only_when_logged_last() -> None:
    snooze = _snooze(1, T0 + DAY, T0 + 10 * DAY)
    snoozed = case_state("PEPE", [_outreach(T0)], [], [snooze], T0 + 2 * DAY)
    assert (snoozed.state, snoozed.label) == ("snoozed", "snoozed until 2026-11-30")
    later = case_state("PEPE", [_outreach(T0 + 2 * DAY)], [], [snooze], T0 + 3 * DAY)
    assert later.state == "contacted" and later.snoozed_until == snooze.until


def test_every_state_is_listed_once() -> None:
    assert len(set(CASE_STATES)) == len(CASE_STATES) == 6


def test_the_follow_up_is_due_on_its_date_or_after_followup_days_in_the_teams_zone() -> None:
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # already the 21st in Berlin
    assert followup_due_on(_outreach(late), 7, "UTC") == date(2026, 11, 27)
    assert followup_due_on(_outreach(late), 7, "Europe/Berlin") == date(2026, 11, 28)
    dated = replace(_outreach(late), followup_on=date(2026, 12, 1))
    assert followup_due_on(dated, 7, "UTC") == date(2026, 12, 1)
