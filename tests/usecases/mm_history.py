"""Snapshot history for the market-maker tests, stored the way a scan stores it: snapshots,
assessments and the day-by-day market-maker checks (``bot.usecases.scan.store_scan_result``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.domain.models import MarketMetrics
from bot.usecases.mm import mm_statuses
from bot.usecases.scan import ScanResult, assess_tokens, store_scan_result
from bot.usecases.services import Services


async def store_scan(services: Services, markets: Sequence[MarketMetrics], at: datetime) -> int:
    """Store one scan of ``markets`` taken at ``at``, assessed with the statuses of that time."""
    statuses = await mm_statuses(services, {m.base for m in markets}, at)
    reports = assess_tokens(services, markets, {}, statuses)
    result = ScanResult("demo", at, at, (), tuple(markets), tuple(reports))
    return await store_scan_result(services, result)


async def store_hourly(
    services: Services,
    start: datetime,
    hours: int,
    markets_at: Callable[[datetime], Sequence[MarketMetrics]],
    every: timedelta = timedelta(hours=1),
) -> None:
    """One scan every ``every`` from ``start`` for ``hours`` hours: ``markets_at(moment)``."""
    at = start
    while at < start + timedelta(hours=hours):
        await store_scan(services, markets_at(at), at)
        at += every
