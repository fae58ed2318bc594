"""What today's outreach records say about a case: dated events, stage, contribution answer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.domain.case_record import case_events, case_stage, contribution_answer, first_contact
from bot.domain.outreach import EngagementRecord, OutreachRecord, PledgeRecord, ReplyRecord


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _outreach(id: int, day: int, hour: int = 12) -> OutreachRecord:
    return OutreachRecord(id, "ZORB", "email", None, None, None, "U_A", _at(day, hour), None)


def _reply(id: int, kind: str, day: int, **details: Any) -> ReplyRecord:
    return ReplyRecord(id, "ZORB", None, kind, details, "U_B", _at(day))


def _engagement(status: str, day: int, **fields: Any) -> EngagementRecord:
    values: dict[str, Any] = dict(
        mm_name=None, since=None, until=None, max_spread_bps=None, min_depth_usd=None
    )
    values.update(fields)
    return EngagementRecord(
        1, "ZORB", status, "reply", logged_by="U_B", logged_at=_at(day), reply_id=None, **values
    )


def test_events_are_dated_in_the_teams_zone_and_ordered() -> None:
    events = case_events(
        [_outreach(1, 3, hour=23)],  # 00:00 on the 4th in Berlin
        [_reply(2, "declined", 20, reason="no budget"), _reply(3, "snooze", 21, days=7)],
        [
            _engagement(
                "engaged",
                8,
                mm_name="Wintermute",
                since=date(2026, 11, 10),
                until=date(2026, 11, 30),
            ),
            _engagement("none", 25),
        ],
        [PledgeRecord(1, 4, "ZORB", 3.0, 30e6, 600_000, 0.02, 40_000, _at(12))],
        "Europe/Berlin",
    )
    assert [(e.day.day, e.kind, e.label) for e in events] == [
        (4, "contact", "contact (email)"),
        (10, "engagement_start", "engagement start: Wintermute"),
        (12, "pledge", "pledge 3%, $600k"),
        (20, "declined", "declined"),
        (25, "no_mm", "no market maker"),
        (30, "engagement_end", "engagement end: Wintermute"),
    ]
    assert events[0].by == "U_A" and events[-1].at is None  # a contract date, not a record


def test_an_engagement_without_dates_starts_the_day_it_was_logged() -> None:
    [event] = case_events([], [], [_engagement("engaged", 8)], [], "UTC")
    assert (event.day, event.label) == (date(2026, 11, 8), "engagement start: market maker")


def test_the_stage_follows_the_records_logged_by_then() -> None:
    outreach = [_outreach(1, 3), _outreach(2, 20)]
    replies = [
        _reply(1, "will_contribute", 5, pct_of_supply=2),
        _reply(2, "declined", 10, reason="x"),
        _reply(3, "snooze", 12, days=30),
    ]
    assert case_stage("ZORB", outreach, replies, _at(1)) == "not contacted"
    assert case_stage("ZORB", outreach, replies, _at(4)) == "contacted"
    assert case_stage("ZORB", outreach, replies, _at(6)) == "in talks"
    assert case_stage("ZORB", outreach, replies, _at(13)) == "declined"  # a snooze is no stage
    assert case_stage("ZORB", outreach, replies, _at(21)) == "contacted"  # contacted again


def test_the_contribution_answer_is_the_latest_pledge_or_decline() -> None:
    replies = [_reply(1, "declined", 5), _reply(2, "will_contribute", 6), _reply(3, "has_mm", 7)]
    assert contribution_answer(replies) == ("pledged", replies[1])
    assert contribution_answer(replies[:1]) == ("declined", replies[0])
    assert contribution_answer(replies[2:]) is None
    assert first_contact([_outreach(2, 9), _outreach(1, 4)]) == _at(4)
    assert first_contact([]) is None
