"""A scan stored while it runs: its row first, then each exchange's snapshots in batches (each
batch its own short transaction, so SQLite's one writer is never held for the scan's duration),
then ``finish_scan`` makes it complete in one transaction.

Until it is finished a scan is invisible: ``finished_at`` is NULL (``latest_scan``,
``scan_before`` and ``scan_record`` skip it), no market's ``last_snapshot_id`` points at its
snapshots, and the history readers leave its snapshots out (``bot.db.finished_scans``), so a
scan that died half-way never shows. Its snapshots carry the scan's start as a provisional
``taken_at``; ``finish_scan`` stamps them all with the finish time, the time every snapshot of a
scan is taken at (the alerts compare scans by it). A scan is finished once.

A scheduled scan belongs to a snapshot slot (``slot``, unique): the replicas that share out the
slot's exchanges each store theirs into the same scan (``open_scan`` finds it), and a replica
taking over an exchange from one that died first drops what that one had stored
(``drop_snapshots``). A slot nobody finishes (its runner died and the slot went by) keeps its
rows unseen until the down-sampling removes them, past the snapshot retention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.db.dialect import Executor, upsert_insert
from bot.db.repo_market import market_ids_of, move_pointers, snapshot_row
from bot.db.tables import MARKETS, SCANS, SNAPSHOTS
from bot.domain.models import MarketMetrics


async def open_scan(
    session: Executor, source: str, started_at: datetime, slot: str | None = None
) -> int:
    """The id of a new unfinished scan, or with ``slot`` the slot's scan (created by whoever
    comes first; exactly one row per slot on SQLite and PostgreSQL alike)."""
    values = {
        "source": source,
        "started_at": started_at,
        "finished_at": None,
        "exchanges": {},
        "markets_count": 0,
        "ok_count": 0,
        "slot": slot,
    }
    if slot is None:
        return int(
            (
                await session.execute(insert(SCANS).values(**values).returning(SCANS.c.id))
            ).scalar_one()
        )
    stmt = upsert_insert(session, SCANS).values(**values)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["slot"]))
    found = await session.execute(select(SCANS.c.id).where(SCANS.c.slot == slot))
    return int(found.scalar_one())


async def slot_scan(session: Executor, slot: str) -> tuple[int, datetime | None] | None:
    """The scan of snapshot slot ``slot`` (its id and ``finished_at``), or None."""
    stmt = select(SCANS.c.id, SCANS.c.finished_at).where(SCANS.c.slot == slot)
    row = (await session.execute(stmt)).first()
    return None if row is None else (int(row.id), row.finished_at)


async def store_snapshots(
    session: Executor, scan_id: int, metrics: Sequence[MarketMetrics], taken_at: datetime
) -> None:
    """One batch of scan ``scan_id``'s snapshots (new markets registered first); bulk
    statements only, the caller commits."""
    if not metrics:
        return
    ids = await market_ids_of(session, metrics, taken_at)
    rows = [snapshot_row(m, scan_id, ids[(m.exchange, m.symbol)], taken_at) for m in metrics]
    await session.execute(insert(SNAPSHOTS), rows)


def _markets_of(exchange: str, symbols: Iterable[str] | None) -> Any:
    stmt = select(MARKETS.c.id).where(MARKETS.c.exchange == exchange)
    if symbols is not None:
        stmt = stmt.where(MARKETS.c.symbol.in_(sorted(set(symbols))))
    return stmt


async def drop_snapshots(
    session: Executor, scan_id: int, exchange: str, symbols: Iterable[str] | None = None
) -> None:
    """Remove scan ``scan_id``'s snapshots of ``exchange`` (of its ``symbols`` only, if given):
    an exchange scanned again after a crash, or markets re-measured from a deeper book."""
    await session.execute(
        delete(SNAPSHOTS).where(
            SNAPSHOTS.c.scan_id == scan_id,
            SNAPSHOTS.c.market_id.in_(_markets_of(exchange, symbols)),
        )
    )


async def finish_scan(
    session: Executor,
    scan_id: int,
    finished_at: datetime,
    summary: Mapping[str, Any],
    markets_count: int,
    ok_count: int,
    remeasured: Sequence[MarketMetrics] = (),
) -> bool:
    """Complete scan ``scan_id``: the ``remeasured`` markets' snapshots replaced by their new
    figures, every snapshot taken at ``finished_at``, the markets' pointers moved to them, the
    per-exchange ``summary`` and counts stored. The caller commits, together with what the scan
    stores once complete (assessments, market-maker checks).

    A scan is finished once: False, with nothing written, when it is finished already (a slot's
    assessment retried after its transaction committed, or run by two replicas at once). The
    scan row is updated first and on a condition, so on PostgreSQL the second of two concurrent
    finishers waits for the first to commit and then finds it finished."""
    finished = await session.execute(
        update(SCANS)
        .where(SCANS.c.id == scan_id, SCANS.c.finished_at.is_(None))
        .values(
            finished_at=finished_at,
            exchanges=dict(summary),
            markets_count=markets_count,
            ok_count=ok_count,
        )
    )
    if int(finished.rowcount) != 1:  # type: ignore[attr-defined]  # a CursorResult
        return False
    by_exchange: dict[str, list[MarketMetrics]] = {}
    for market in remeasured:
        by_exchange.setdefault(market.exchange, []).append(market)
    for exchange, markets in by_exchange.items():
        await drop_snapshots(session, scan_id, exchange, [m.symbol for m in markets])
        await store_snapshots(session, scan_id, markets, finished_at)
    await session.execute(
        update(SNAPSHOTS).where(SNAPSHOTS.c.scan_id == scan_id).values(taken_at=finished_at)
    )
    await move_pointers(session, scan_id, finished_at)
    return True


async def scan_started(session: Executor, scan_id: int) -> datetime:
    """When scan ``scan_id`` started."""
    found = await session.execute(select(SCANS.c.started_at).where(SCANS.c.id == scan_id))
    started: datetime = found.scalar_one()
    return started
