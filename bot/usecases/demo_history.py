"""Use case: write DEMO DATA history before the demo scan (`liqbot demo history`, `make demo`).

Ten days of hourly scans made from the demo cassette (``bot.market.demo_history``) are stored
the way the snapshot job stores a scan (snapshots, assessments, market-maker checks), then a few
outreach records are logged through the ordinary use cases, so the demo shows every market-maker
status: ``DEMO_MARKET_MAKERS`` puts Wintermute on record for a deep book (verified) and for the
issue's thin ZIBBKA (breached, 277 bps and $695 against 50 bps and $20k), GSR since today on
another token (claimed); MOOPIO says it has no market maker (none); deep books with nothing on
record are observed, thin ones none, and the newly listed token is unknown.

``COLLAPSING_TOKEN`` was ``COLLAPSE_FACTOR`` times deeper through the history, so today's scan
shows its ±2% depth collapse as an alert and the digest its change; each day's last scan has its
alerts checked as the snapshot job does (stored, not posted), so today's is no first baseline.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import repo_supply
from bot.errors import UserFacingError
from bot.market.demo_history import demo_markets_at, scaled_depths
from bot.usecases.alerts import check_alerts
from bot.usecases.args import team_today
from bot.usecases.outreach import Actor, log_outreach, log_reply_declined, log_reply_has_mm
from bot.usecases.scan import ScanResult, assess_tokens, run_scan, store_scan_in
from bot.usecases.services import Services

DEMO_HISTORY_DAYS = 10
"""Days of hourly scans: enough whole days to judge every status, quick enough for `make demo`."""
DEMO_ANALYST = Actor("U0DEMOANALYST", "T0DEMO", "demo analyst")
COLLAPSING_TOKEN = "ZIBBKA"
COLLAPSE_FACTOR = 8.0


@dataclass(frozen=True)
class DemoEngagement:
    """A market maker the demo puts on record: ``since_days`` before the demo's day, with
    obligations (bps, USD per side; None = the ``RISK_MM_…`` defaults)."""

    symbol: str
    firm: str
    since_days: int
    max_spread_bps: float | None
    min_depth_usd: float | None


DEMO_MARKET_MAKERS = (
    DemoEngagement("MOOPLY", "Wintermute", 30, 50, 20_000),
    DemoEngagement("ZIBBKA", "Wintermute", 20, 50, 20_000),
    DemoEngagement("GLIBBON", "GSR", 0, None, None),
)
DEMO_NO_MARKET_MAKER = "MOOPIO"


@dataclass(frozen=True)
class DemoHistory:
    scans: int
    first: datetime
    last: datetime
    replies: int


async def write_demo_history(services: Services, days: int = DEMO_HISTORY_DAYS) -> DemoHistory:
    """Store ``days`` of hourly DEMO DATA scans ending an hour before now, then the demo's
    outreach records. Refused unless the market source is the demo."""
    if not services.is_demo:
        raise UserFacingError("demo history is DEMO DATA: run it with MARKET_SOURCE=demo only")
    now = services.clock()
    base = await run_scan(services, store=False)
    async with services.session() as session:
        stored = await repo_supply.get_supply(session)
    supply = {symbol: row.circulating_supply for symbol, row in stored.items()}
    last = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    first = last - timedelta(days=days) + timedelta(hours=1)
    hours = [first + timedelta(hours=n) for n in range(days * 24)]
    home = services.settings.home_exchange
    for day in range(days):  # a day of scans per transaction
        async with services.session() as session:
            for at in hours[day * 24 : (day + 1) * 24]:
                markets = [
                    scaled_depths(m, COLLAPSE_FACTOR) if m.base == COLLAPSING_TOKEN else m
                    for m in demo_markets_at(base.markets, at, now, home)
                ]
                reports = assess_tokens(services, markets, supply, {})
                scan = ScanResult(
                    base.source, at, at, base.exchanges, tuple(markets), tuple(reports)
                )
                last_scan = await store_scan_in(session, services, scan)
        await check_alerts(services, last_scan)
    replies = await _log_demo_outreach(dataclasses.replace(services, clock=lambda: now))
    return DemoHistory(len(hours), first, last, replies)


async def _log_demo_outreach(services: Services) -> int:
    today = team_today(services.settings, services.clock())
    count = 0
    for mm in DEMO_MARKET_MAKERS:
        key = f"demo-{mm.symbol}"
        await log_outreach(
            services, DEMO_ANALYST, mm.symbol, "telegram", None, None, None, f"{key}-contact"
        )
        since = (today - timedelta(days=mm.since_days)).isoformat()
        await log_reply_has_mm(
            services,
            DEMO_ANALYST,
            mm.symbol,
            mm.firm,
            since,
            None,
            mm.max_spread_bps,
            mm.min_depth_usd,
            f"{key}-mm",
        )
        count += 1
    await log_outreach(
        services, DEMO_ANALYST, DEMO_NO_MARKET_MAKER, "email", None, None, None, "demo-none-contact"
    )
    await log_reply_declined(
        services,
        DEMO_ANALYST,
        DEMO_NO_MARKET_MAKER,
        "no budget",
        "demo-none-reply",
        ("contribution", "market_maker"),  # as a declined reply with no market maker was
    )
    return count + 1
