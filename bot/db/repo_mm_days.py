"""The day-by-day market-maker checks (``mm_daily_checks``): read a day to update it, write it
back, and read the days of a window for many tokens at once.

A row is one team's day of one token against the default criteria (``engagement_id`` NULL) or
one engagement record's obligations; ``bot.domain.mm.QuotingDay`` is its content. The rows of a
day are updated by the snapshot store in the scan's transaction; writers of default-criteria
rows are serialised (``serialize``), since SQL's unique constraint does not see NULLs as equal.
The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from bot.db.batches import batches
from bot.db.dialect import Executor, serialize, upsert_insert
from bot.db.tables import MM_DAYS
from bot.domain.mm import WHOLE_DAY_COVERAGE, QuotingDay
from bot.domain.mm_status import DayTally

MM_CHECKS_LOCK_ID = 7_311_020_002
"""PostgreSQL advisory lock held while a day's checks are updated (SQLite has one writer)."""


@dataclass(frozen=True)
class CheckedDay:
    """One stored row: ``symbol``'s ``result`` against the default criteria (``engagement_id``
    None) or that engagement record's obligations; ``id`` None before it is stored."""

    symbol: str
    engagement_id: int | None
    result: QuotingDay
    id: int | None = None


_COLUMNS = (
    MM_DAYS.c.id,
    MM_DAYS.c.symbol,
    MM_DAYS.c.engagement_id,
    MM_DAYS.c.day,
    MM_DAYS.c.snapshots,
    MM_DAYS.c.met,
    MM_DAYS.c.failed,
    MM_DAYS.c.coverage,
    MM_DAYS.c.first_taken_at,
    MM_DAYS.c.last_taken_at,
    MM_DAYS.c.median_spread_bps,
    MM_DAYS.c.median_depth_2pct_usd,
)


_JUDGED = tuple(c for c in _COLUMNS if c.name not in ("first_taken_at", "last_taken_at"))
"""What judging a window reads: not when the days' snapshots were taken."""


def _by_day(checked: CheckedDay) -> date:
    return checked.result.day


def _values(checked: CheckedDay) -> dict[str, Any]:
    r = checked.result
    return {
        "symbol": checked.symbol,
        "engagement_id": checked.engagement_id,
        "day": r.day,
        "snapshots": r.snapshots,
        "met": r.met,
        "failed": r.failed,
        "coverage": r.coverage,
        "first_taken_at": r.first_at,
        "last_taken_at": r.last_at,
        "median_spread_bps": r.median_spread_bps,
        "median_depth_2pct_usd": r.median_depth_2pct_usd,
        "open_spreads_bps": list(r.spreads) if r.spreads is not None else None,
        "open_depths_usd": list(r.depths) if r.depths is not None else None,
    }


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _checked(row: Any, spreads: Any, depths: Any) -> CheckedDay:
    result = QuotingDay(
        day=_day(row.day),
        snapshots=row.snapshots,
        met=row.met,
        failed=row.failed,
        coverage=row.coverage,
        first_at=row.first_taken_at,
        last_at=row.last_taken_at,
        median_spread_bps=row.median_spread_bps,
        median_depth_2pct_usd=row.median_depth_2pct_usd,
        spreads=tuple(spreads) if spreads is not None else None,
        depths=tuple(depths) if depths is not None else None,
    )
    return CheckedDay(row.symbol, row.engagement_id, result, row.id)


def _judged_day(row: Any) -> CheckedDay:
    # Positional: a scan's window reads thousands of these.
    row_id, symbol, engagement_id, day, snapshots, met, failed, coverage, spread, depth = row
    result = QuotingDay(
        _day(day), snapshots, met, failed, coverage, None, None, spread, depth, None, None
    )
    return CheckedDay(symbol, engagement_id, result, row_id)


async def day_rows(
    session: Executor, day: date, symbols: Collection[str]
) -> dict[tuple[str, int | None], CheckedDay]:
    """The stored rows of ``day`` for ``symbols`` (open figures included), by (symbol,
    engagement id)."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    stmt = select(*_COLUMNS, MM_DAYS.c.open_spreads_bps, MM_DAYS.c.open_depths_usd).where(
        MM_DAYS.c.day == day, MM_DAYS.c.symbol.in_(wanted)
    )
    rows = await session.execute(stmt)
    found = (_checked(row, row.open_spreads_bps, row.open_depths_usd) for row in rows)
    return {(c.symbol, c.engagement_id): c for c in found}


async def save(session: Executor, rows: Sequence[CheckedDay]) -> None:
    """Insert the new rows (``id`` None) and update the stored ones, in bulk."""
    for batch in batches([r for r in rows if r.id is None]):
        await session.execute(insert(MM_DAYS), [_values(r) for r in batch])
    for batch in batches([r for r in rows if r.id is not None]):
        # An executemany per batch; the SET clause comes from the parameters' keys.
        await session.execute(
            update(MM_DAYS).where(MM_DAYS.c.id == bindparam("row_id")),
            [{**_values(r), "row_id": r.id} for r in batch],
        )


async def insert_missing(session: Executor, rows: Sequence[CheckedDay]) -> None:
    """Insert engagement rows unless (symbol, day, engagement) is stored already."""
    values = [_values(r) for r in rows if r.engagement_id is not None]
    if values:
        stmt = upsert_insert(session, MM_DAYS).on_conflict_do_nothing(
            index_elements=["symbol", "day", "engagement_id"]
        )
        await session.execute(stmt, values)


async def close_days(session: Executor, before: date, since: date) -> None:
    """Clear the open figures of the days in [since, before): those days are over."""
    c = MM_DAYS.c
    await session.execute(
        update(MM_DAYS)
        .where(c.day < before, c.day >= since, c.open_spreads_bps.is_not(None))
        .values(open_spreads_bps=None, open_depths_usd=None)
    )


async def window_rows(
    session: Executor,
    first_day: date,
    last_day: date,
    symbols: Collection[str] | None = None,
    engagement_ids: Collection[int] = (),
) -> list[CheckedDay]:
    """The rows of days ``first_day``..``last_day``: the default criteria's (of ``symbols``, all
    when None) and those of ``engagement_ids``; oldest first, without the times of their first
    and last snapshots."""
    c = MM_DAYS.c
    which: list[ColumnElement[bool]] = []
    if symbols is None:
        which.append(c.engagement_id.is_(None))
    elif symbols:
        which.append(and_(c.engagement_id.is_(None), c.symbol.in_(sorted(set(symbols)))))
    if engagement_ids:
        which.append(c.engagement_id.in_(sorted(set(engagement_ids))))
    if not which:
        return []
    # No ORDER BY: sorting by day would lead SQLite to walk the day index over every token.
    stmt = select(*_JUDGED).where(c.day >= first_day, c.day <= last_day, or_(*which))
    rows = (await session.execute(stmt)).all()
    return sorted((_judged_day(row) for row in rows), key=_by_day)


async def window_tallies(
    session: Executor, first_day: date, last_day: date, min_uptime: float
) -> dict[str, DayTally]:
    """Per token, the default criteria's days ``first_day``..``last_day`` judged and kept
    (``bot.domain.mm.QuotingDay.judged`` / ``kept``, counted here: a scan's statuses read one
    row per token instead of one per token and day)."""
    c = MM_DAYS.c
    judged = and_(c.coverage >= WHOLE_DAY_COVERAGE, c.snapshots > 0)
    kept = and_(judged, c.met >= literal(min_uptime) * c.snapshots)
    stmt = (
        select(
            c.symbol,
            func.sum(case((judged, 1), else_=0)),
            func.sum(case((kept, 1), else_=0)),
        )
        .where(c.engagement_id.is_(None), c.day >= first_day, c.day <= last_day)
        .group_by(c.symbol)
    )
    rows = (await session.execute(stmt)).all()
    return {symbol: DayTally(int(days), int(met)) for symbol, days, met in rows}


async def engagement_days(session: Executor, engagement_ids: Collection[int]) -> set[date]:
    """The days that have a row for any of ``engagement_ids``."""
    if not engagement_ids:
        return set()
    c = MM_DAYS.c
    stmt = select(c.day).where(c.engagement_id.in_(sorted(set(engagement_ids)))).distinct()
    return {_day(d) for (d,) in await session.execute(stmt)}


__all__ = [
    "MM_CHECKS_LOCK_ID",
    "CheckedDay",
    "close_days",
    "day_rows",
    "engagement_days",
    "insert_missing",
    "save",
    "serialize",
    "window_rows",
    "window_tallies",
]
