"""Use case: a week of generated DEMO DATA history before today's demo scan (`liqbot demo
history`, `make demo`), so the demo shows what only history shows: an alert, a digest with
changes since the previous day, market-maker status from quoting.

Offline and quick: the bundled demo cassette is scanned once (not stored); each of the
``days`` days before now gets one scheduled snapshot at this time of day, made of those books
with every token's ±2% and ±1% depths scaled by a factor drawn per token and day (0.85–1.15, from
a fixed seed: the same history every time), except ``COLLAPSING_TOKEN``, ``COLLAPSE_FACTOR``
times deeper than today on every day, so today's scan shows its ±2% depth collapse. Each snapshot
is assessed and its alerts checked as the snapshot job does (stored, not posted). Only with
``MARKET_SOURCE=demo``, and only into a database without scans.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.db import repo_market, repo_supply
from bot.domain.models import MarketMetrics
from bot.errors import UserFacingError
from bot.usecases.alerts import check_alerts
from bot.usecases.mm import mm_statuses
from bot.usecases.scan import ScanResult, assess_tokens, run_scan, store_scan_result
from bot.usecases.services import Services

DEMO_HISTORY_DAYS = 7
COLLAPSING_TOKEN = "ZIBBKA"
COLLAPSE_FACTOR = 8.0
SEED = 20_261_125
DEPTHS = tuple(
    f"depth_{side}_{band}pct{usd}"
    for side in ("bid", "ask")
    for band in (1, 2)
    for usd in ("", "_usd")
)


@dataclass(frozen=True)
class DemoHistory:
    """What was written: one snapshot per day, and the alerts they opened (token:kind)."""

    snapshots: int
    alerts: tuple[str, ...]


def scaled(market: MarketMetrics, factor: float) -> MarketMetrics:
    """``market`` with its ±1% and ±2% depths (quote and USD) times ``factor``."""
    changes: dict[str, Any] = {}
    for name in DEPTHS:
        value = getattr(market, name)
        changes[name] = None if value is None else value * factor
    return dataclasses.replace(market, **changes)


def depth_factor(rng: random.Random, symbol: str) -> float:
    """How much deeper (or thinner) a token's books were on a past day."""
    return COLLAPSE_FACTOR if symbol == COLLAPSING_TOKEN else rng.uniform(0.85, 1.15)


async def write_demo_history(services: Services, days: int = DEMO_HISTORY_DAYS) -> DemoHistory:
    """Write ``days`` days of demo snapshots before now (see the module docstring).
    ``UserFacingError`` off the demo source or on a database that holds scans."""
    if not services.is_demo:
        raise UserFacingError("demo history is DEMO DATA: only with MARKET_SOURCE=demo")
    async with services.session() as session:
        if await repo_market.latest_scan(session) is not None:
            raise UserFacingError("demo history goes into a database without scans (rm demo.db)")
        supply = {
            s: row.circulating_supply for s, row in (await repo_supply.get_supply(session)).items()
        }
    today = await run_scan(services, store=False)
    now = services.clock()
    rng = random.Random(SEED)
    opened: list[str] = []
    for back in range(days, 0, -1):
        at = now - timedelta(days=back)
        factors = {m.base: depth_factor(rng, m.base) for m in today.markets}
        markets = tuple(scaled(m, factors[m.base]) for m in today.markets)
        mm = await mm_statuses(services, factors, at)
        reports = assess_tokens(services, markets, supply, mm)
        snapshot = ScanResult("demo", at, at, today.exchanges, markets, tuple(reports))
        batch = await check_alerts(services, await store_scan_result(services, snapshot))
        opened += [f"{e.symbol}:{e.kind}" for e in batch.opened]
    return DemoHistory(days, tuple(opened))
