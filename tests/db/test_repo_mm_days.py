"""The day-by-day market-maker checks: counted in SQL exactly as the domain counts them, and
updated in place."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_mm_days
from bot.db.repo_mm_days import CheckedDay
from bot.domain.mm import Obligations, QuotingDay
from bot.domain.mm_status import track_record

LAST = date(2026, 11, 25)
AT = datetime(2026, 11, 25, tzinfo=UTC)


def _day(n: int, snapshots: int, met: int, coverage: float) -> QuotingDay:
    return QuotingDay(LAST - timedelta(days=n), snapshots, met, 24 - snapshots, coverage, AT, AT)


# Edges: the whole-day coverage itself and just under it; exactly 75% met, just under; the
# uptime 0.9 × 24 = 21.6 (22 met keeps it, 21 not); a whole day whose every snapshot failed.
DAYS = [
    _day(0, 24, 18, 0.95),
    _day(1, 24, 18, 0.9499),
    _day(2, 24, 17, 1.0),
    _day(3, 24, 22, 1.0),
    _day(4, 24, 21, 1.0),
    _day(5, 0, 0, 1.0),
    _day(20, 24, 24, 1.0),  # outside the window
]


async def test_sql_counts_the_days_judged_and_kept_as_the_domain_does(
    session: AsyncSession,
) -> None:
    async with session.begin():
        await repo_mm_days.save(session, [CheckedDay("ZORB", None, d) for d in DAYS])
        await repo_mm_days.save(session, [CheckedDay("QUUX", None, DAYS[0])])
    first = LAST - timedelta(days=13)
    for uptime in (0.75, 0.9):
        tallies = await repo_mm_days.window_tallies(session, first, LAST, uptime)
        expected = track_record(DAYS, Obligations(50, 10_000, uptime), first, LAST).tally
        assert tallies["ZORB"] == expected
    assert (tallies["ZORB"].judged, tallies["ZORB"].met) == (4, 1)
    assert set(tallies) == {"ZORB", "QUUX"}


async def test_a_day_is_read_back_and_updated_in_place(session: AsyncSession) -> None:
    open_day = replace(DAYS[0], spreads=(20.0, 30.0), depths=(1.0, 2.0))
    async with session.begin():
        await repo_mm_days.save(session, [CheckedDay("ZORB", None, open_day)])
        stored = await repo_mm_days.day_rows(session, LAST, ["ZORB", "QUUX"])
        [(key, row)] = stored.items()
        assert key == ("ZORB", None) and row.result == open_day and row.id is not None
        more = replace(open_day, snapshots=25, spreads=(20.0, 30.0, 40.0))
        await repo_mm_days.save(session, [replace(row, result=more)])
        await repo_mm_days.close_days(session, LAST + timedelta(days=1), LAST)
        [again] = (await repo_mm_days.day_rows(session, LAST, ["ZORB"])).values()
    assert again.id == row.id and again.result == replace(more, spreads=None, depths=None)
