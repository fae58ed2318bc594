"""Use case: write DEMO DATA history before the demo scan (`liqbot demo history`, `make demo`).

Ten days of hourly scans made from the demo cassette (``bot.market.demo_history``) are stored
the way the snapshot job stores a scan (snapshots, assessments, market-maker checks), then a few
outreach records are logged through the ordinary use cases, so the demo shows every market-maker
status: ``DEMO_MARKET_MAKERS`` puts Wintermute on record for a deep book (verified) and for the
issue's thin ZIBBKA (breached, 277 bps and $695 against 50 bps and $20k), GSR since today on
another token (claimed); MOOPIO says it has no market maker (none); deep books with nothing on
record are observed, thin ones none, and the newly listed token is unknown. The outreach is dated
a week back (ZIBBKA's project pledging 3% of its supply, agreed, and 5/6 of it received), so the
weekly report of the previous week has cases, answers, a pledge and a delivery to count.

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
from bot.usecases.mm import mm_statuses
from bot.usecases.outreach import (
    Actor,
    log_agreed,
    log_outreach,
    log_received,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
)
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
DEMO_PLEDGE = ("ZIBBKA", "3")
"""A token whose project pledged this % of its circulating supply, the day it was contacted."""
OUTREACH_DAYS_AGO = 7
"""The demo's outreach was a week ago: the weekly report of the previous week shows it."""


@dataclass(frozen=True)
class DemoHistory:
    scans: int
    first: datetime
    last: datetime
    replies: int


async def write_demo_history(services: Services, days: int = DEMO_HISTORY_DAYS) -> DemoHistory:
    """Store ``days`` of hourly DEMO DATA scans ending an hour before now, with the demo's
    outreach records logged about a week back between them (the market maker since today: now).
    Refused unless the market source is the demo."""
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
    # The dated outreach goes on record between two days of scans, about a week back (midway
    # through a shorter history), as the team would have logged it then.
    outreach_day = days - OUTREACH_DAYS_AGO if days > OUTREACH_DAYS_AGO else days // 2
    replies = 0
    symbols = {m.base for m in base.markets}
    for day in range(days):  # a day of scans per transaction
        if day == outreach_day and day > 0:
            replies += await _log_dated_outreach(services, hours[day * 24 - 1])
        # The market-maker statuses as of the day's start (as a scan would judge them then).
        mm = await mm_statuses(services, symbols, hours[day * 24])
        async with services.session() as session:
            for at in hours[day * 24 : (day + 1) * 24]:
                markets = [
                    scaled_depths(m, COLLAPSE_FACTOR) if m.base == COLLAPSING_TOKEN else m
                    for m in demo_markets_at(base.markets, at, now, home)
                ]
                reports = assess_tokens(services, markets, supply, mm)
                scan = ScanResult(
                    base.source, at, at, base.exchanges, tuple(markets), tuple(reports)
                )
                last_scan = await store_scan_in(session, services, scan)
        await check_alerts(services, last_scan)
    if outreach_day == 0:  # a single day of history: all of it on record today
        replies += await _log_dated_outreach(services, now)
    for engagement in DEMO_MARKET_MAKERS:
        if engagement.since_days == 0:
            replies += await _log_market_maker(services, engagement, now)
    return DemoHistory(len(hours), first, last, replies)


def _at(services: Services, moment: datetime) -> Services:
    """``services`` whose clock reads ``moment``: a record logged then."""
    return dataclasses.replace(services, clock=lambda: moment)


async def _log_market_maker(services: Services, mm: DemoEngagement, at: datetime) -> int:
    """Contacted at ``at``, the project names its market maker five minutes later."""
    key = f"demo-{mm.symbol}"
    await log_outreach(
        _at(services, at), DEMO_ANALYST, mm.symbol, "telegram", None, None, None, f"{key}-contact"
    )
    since = team_today(services.settings, at) - timedelta(days=mm.since_days)
    await log_reply_has_mm(
        _at(services, at + timedelta(minutes=5)),
        DEMO_ANALYST,
        mm.symbol,
        mm.firm,
        since.isoformat(),
        None,
        mm.max_spread_bps,
        mm.min_depth_usd,
        f"{key}-mm",
    )
    return 1


async def _log_dated_outreach(services: Services, at: datetime) -> int:
    """The outreach of ``at`` (the market makers on record before today, a pledge, a declined
    reply); returns the replies logged."""
    replies = 0
    for n, mm in enumerate(m for m in DEMO_MARKET_MAKERS if m.since_days > 0):
        replies += await _log_market_maker(services, mm, at + timedelta(minutes=10 * n))
    pledge = _at(services, at + timedelta(minutes=30))
    symbol, pct = DEMO_PLEDGE
    logged = await log_reply_contribution(pledge, DEMO_ANALYST, symbol, pct, "demo-pledge")
    tokens = logged.values.get("tokens")
    if isinstance(tokens, int | float):  # the supply is known: agreed, then 5/6 of it arrives
        agreed = _at(services, at + timedelta(minutes=45))
        await log_agreed(agreed, DEMO_ANALYST, symbol, round(tokens), "demo-agreed")
        arrived = _at(services, at + timedelta(minutes=50))
        day = team_today(services.settings, at).isoformat()
        await log_received(
            arrived, DEMO_ANALYST, symbol, round(tokens * 5 / 6), day, None, "demo-received"
        )
    await log_outreach(
        _at(services, at + timedelta(minutes=35)), DEMO_ANALYST, DEMO_NO_MARKET_MAKER, "email",
        None, None, None, "demo-none-contact",
    )  # fmt: skip
    await log_reply_declined(
        _at(services, at + timedelta(minutes=40)),
        DEMO_ANALYST,
        DEMO_NO_MARKET_MAKER,
        "no budget",
        "demo-none-reply",
        ("contribution", "market_maker"),  # as a declined reply with no market maker was
    )
    return replies + 2
