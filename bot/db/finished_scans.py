"""Which stored snapshots the history shows: those of finished scans only.

A scan stores its snapshots while it runs (``bot.db.repo_scan_store``) and only ``finish_scan``
makes them part of the history: it stamps them with the scan's finish time and sets the scan's
``finished_at``. A scan that never finishes (a ``liqbot scan`` killed mid-way, a slot whose runner
died and that nobody took over) leaves rows with a provisional ``taken_at`` and figures of a part
of the venues. Every reader of ``liquidity_snapshots`` by time or token therefore takes
``of_finished_scans(SNAPSHOTS.c.scan_id)`` as a condition; only the scan's own finishing and
retry code reads its rows before that (``repo_scan.scan_metrics``, ``repo_scan_store``).

The condition is an anti-join against the unfinished scans, which are none or a few at any
moment: the database evaluates that set once per query and tests each snapshot's ``scan_id`` (a
column of the covering history index) against it, instead of looking a scan row up per snapshot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from bot.db.tables import SCANS


def _unfinished() -> Select[Any]:
    # scans.id is never NULL, so NOT IN over it is a plain anti-join.
    return select(SCANS.c.id).where(SCANS.c.finished_at.is_(None))


def of_finished_scans(scan_id: ColumnElement[int]) -> ColumnElement[bool]:
    """True for a snapshot (by its ``scan_id`` column) whose scan is finished."""
    return scan_id.not_in(_unfinished())


def of_scans_abandoned_before(scan_id: ColumnElement[int], moment: datetime) -> ColumnElement[bool]:
    """True for a snapshot of a scan started before ``moment`` and not finished: past the
    snapshot retention, no scan is still running, so those rows are what a crash left behind."""
    return scan_id.in_(_unfinished().where(SCANS.c.started_at < moment))
