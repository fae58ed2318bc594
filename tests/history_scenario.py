"""The history of one token whose depth rose after its market maker started: what the history
chart, the review pack and the weekly report tests (and a person looking at the PNG) read.

ZORB, from 2026-11-01 to 2026-11-24 (NOW is 2026-11-25 12:00 UTC):
- 1–12 Nov: daily median home ±2% depth $4k, global $12k, spread 300 bps;
- contacted by telegram on 5 Nov (alice); market maker Wintermute on record from 13 Nov (bob,
  logged that day); pledge of 3% of circulating supply on 18 Nov (alice);
- 13–24 Nov: home $60k, global $90k, spread 40 bps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.usecases.outreach import log_outreach, log_reply_contribution, log_reply_has_mm
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, Clock, store_supply
from tests.history_builders import Figures, day_range, store_days

SYMBOL = "ZORB"
FIRST_DAY = date(2026, 11, 1)
CONTACT_DAY = date(2026, 11, 5)
ENGAGEMENT_DAY = date(2026, 11, 13)
PLEDGE_DAY = date(2026, 11, 18)
LAST_DAY = date(2026, 11, 24)
BEFORE = Figures(SYMBOL, 4_000, 12_000, 300.0)
AFTER = Figures(SYMBOL, 60_000, 90_000, 40.0, tier="medium", score=40)


def _at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def store_engagement_story(services: Services, clock: Clock) -> None:
    """ZORB's 24 days and its case (see the module docstring); the clock is put back after."""
    now = clock.now
    await store_supply(services, SYMBOL, 1_000_000_000)
    days = day_range(LAST_DAY, (LAST_DAY - FIRST_DAY).days + 1)
    await store_days(services, {day: [BEFORE if day < ENGAGEMENT_DAY else AFTER] for day in days})
    clock.now = _at(CONTACT_DAY)
    await log_outreach(services, ALICE, SYMBOL, "telegram", "@zorb", None, None, "story-contact")
    clock.now = _at(ENGAGEMENT_DAY, 9)
    await log_reply_has_mm(
        services,
        BOB,
        SYMBOL,
        "Wintermute",
        ENGAGEMENT_DAY.isoformat(),
        None,
        None,
        None,
        "story-mm",
    )
    clock.now = _at(PLEDGE_DAY)
    await log_reply_contribution(services, ALICE, SYMBOL, "3", "story-pledge")
    clock.now = now
