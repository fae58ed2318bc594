"""Bulk statements in bounded batches.

An ``executemany`` of every row at once builds all of its parameters side by side (the driver's
copies too): for a scan's assessments and market-maker checks, a transient megabyte that set the
scan process's peak memory. Batches of ``ROWS`` keep that bounded at no measurable cost in
speed (one round trip per batch on PostgreSQL, one statement per batch on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

ROWS = 200


def batches(rows: Sequence[T], size: int = ROWS) -> Iterator[Sequence[T]]:
    """``rows`` in consecutive slices of at most ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
