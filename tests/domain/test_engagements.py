"""The market makers on record: supersession by firm or by id, end dates, and "no market maker"
ending every engagement from its date."""

from datetime import UTC, date, datetime, timedelta

from bot.domain.engagements import market_maker_on_record
from bot.domain.mm import Obligations
from bot.domain.outreach import EngagementRecord

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
DAY = timedelta(days=1)
DEFAULTS = Obligations(50.0, 10_000.0, 0.75)


def record(
    id: int,
    logged_at: datetime,
    name: str | None = "Wintermute",
    status: str = "engaged",
    *,
    since: date | None = None,
    until: date | None = None,
    spread: float | None = None,
    depth: float | None = None,
    uptime: float | None = None,
    supersedes: int | None = None,
) -> EngagementRecord:
    return EngagementRecord(
        id, "PEPE", status, "reply", name if status == "engaged" else None, since, until,
        spread, depth, "U1", logged_at, None, uptime, supersedes,
    )  # fmt: skip


def test_an_engagement_runs_from_its_start_or_the_day_it_was_logged() -> None:
    dated = record(1, T0, since=date(2026, 11, 1))
    undated = record(2, T0, name="GSR")
    [first, second] = market_maker_on_record([dated, undated]).engagements
    assert (first.start, first.end, first.ids) == (date(2026, 11, 1), None, (1,))
    assert second.start == date(2026, 11, 20)
    assert not second.active_on(date(2026, 11, 19)) and second.active_on(date(2026, 12, 31))
    berlin = market_maker_on_record(
        [record(3, datetime(2026, 11, 20, 23, 30, tzinfo=UTC))], "Europe/Berlin"
    )
    assert berlin.engagements[0].start == date(2026, 11, 21)


def test_recording_an_end_date_ends_the_open_ended_record_before_it() -> None:
    open_ended = record(1, T0, since=date(2026, 11, 1), spread=50.0, depth=20_000.0)
    ending = record(2, T0 + DAY, name=" wintermute ", until=date(2026, 12, 15))
    on_record = market_maker_on_record([open_ended, ending])
    [engagement] = on_record.engagements
    assert engagement.ids == (2, 1) and engagement.id == 2
    assert (engagement.start, engagement.end) == (date(2026, 11, 1), date(2026, 12, 15))
    # The later record leaves the obligations blank: the earlier ones still hold.
    assert engagement.obligations(DEFAULTS) == Obligations(50.0, 20_000.0, 0.75)
    assert on_record.active_on(date(2026, 12, 15)) == (engagement,)
    assert on_record.active_on(date(2026, 12, 16)) == ()


def test_a_correction_names_the_record_it_replaces_whatever_the_firm() -> None:
    typo = record(1, T0, name="Wintermut", uptime=0.9)
    fixed = record(2, T0 + DAY, name="Wintermute", supersedes=1)
    [engagement] = market_maker_on_record([typo, fixed]).engagements
    assert engagement.mm_name == "Wintermute" and engagement.ids == (2, 1)
    assert engagement.obligations(DEFAULTS).min_uptime == 0.9


def test_several_firms_run_side_by_side() -> None:
    on_record = market_maker_on_record([record(1, T0), record(2, T0, name="GSR")])
    assert [e.mm_name for e in on_record.active_on(date(2026, 11, 25))] == ["Wintermute", "GSR"]
    assert on_record.recorded_none is None


def test_no_market_maker_ends_every_engagement_from_its_date() -> None:
    wintermute = record(1, T0, since=date(2026, 11, 1))
    gsr = record(2, T0, name="GSR", since=date(2026, 11, 5), until=date(2027, 1, 1))
    none = record(3, T0 + 5 * DAY, status="none")
    on_record = market_maker_on_record([wintermute, gsr, none])
    assert on_record.recorded_none == none
    assert [e.end for e in on_record.engagements] == [date(2026, 11, 24)] * 2
    assert on_record.active_on(date(2026, 11, 24)) != ()
    assert on_record.active_on(date(2026, 11, 25)) == ()


def test_an_engagement_recorded_after_none_counts_again_as_a_new_one() -> None:
    none = record(2, T0 + DAY, status="none")
    again = record(3, T0 + 2 * DAY)
    on_record = market_maker_on_record([record(1, T0), none, again])
    assert on_record.recorded_none is None
    [ended, current] = on_record.engagements
    assert (ended.ids, ended.end) == ((1,), date(2026, 11, 20))
    assert (current.ids, current.start, current.end) == ((3,), date(2026, 11, 22), None)
    assert on_record.active_on(date(2026, 11, 25)) == (current,)
