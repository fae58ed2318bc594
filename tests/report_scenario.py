"""A generated fortnight for the weekly report of 2026-W47 (Monday 16 to Sunday 22 November, UTC),
one scan a day at 10:00 from 3 to 23 November, figures chosen so every line can be worked out by
hand:

- at risk: AAA high on 16 Nov (score 80), medium on 18 Nov (40), high on 22 Nov (75); BBB medium
  on 16 Nov (35); CCC high only on 15 and 23 Nov (outside the week); everyone else low;
- cases: AAA and MOVE1 first contacted on 10 Nov (W46), MOVE1 declined on 20 Nov; STAY1
  contacted on 3 Nov, has a market maker since 5 Nov, pledged 1% on 12 Nov; OPEN1 contacted on
  17 Nov and pledged 2% on 19 Nov; LATE1 contacted on 23 Nov (after the week);
- pledges: OPEN1 2% of 100M tokens at the $0.02 mid = 2M tokens, $40k, its home ±2% depth $25k;
  STAY1 1% of 10M = 100k tokens, $2k;
- depth around the first contact (10 Nov): AAA $5k a day before, $20k after (7 days each side);
  MOVE1 $10k before, $8k on the 3 days after that have scans (none from 14 Nov on).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.usecases.outreach import (
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, Clock, store_supply
from tests.history_builders import ONE_SCAN, Figures, day_range, store_days

WEEK = "2026-W47"
FIRST, LAST = date(2026, 11, 3), date(2026, 11, 23)
CONTACT = date(2026, 11, 10)


def _at(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _aaa(day: date) -> Figures:
    tier, score = {16: ("high", 80), 18: ("medium", 40), 22: ("high", 75)}.get(day.day, ("low", 10))
    return Figures("AAA", 5_000 if day <= CONTACT else 20_000, tier=tier, score=score)


def _figures(day: date) -> list[Figures]:
    bbb = ("medium", 35) if day.day == 16 else ("low", 10)
    ccc = ("high", 90) if day.day in (15, 23) else ("low", 10)
    tokens = [
        _aaa(day),
        Figures("BBB", 60_000, tier=bbb[0], score=bbb[1]),
        Figures("CCC", 60_000, tier=ccc[0], score=ccc[1]),
        Figures("OPEN1", 25_000, tier="low", score=10),
        Figures("STAY1", 50_000, tier="low", score=10),
    ]
    if day <= date(2026, 11, 13):
        tokens.append(Figures("MOVE1", 10_000 if day <= CONTACT else 8_000, tier="low", score=10))
    return tokens


async def store_fortnight(services: Services, clock: Clock) -> None:
    """The scans and the cases (see the module docstring); the clock is put back after."""
    now = clock.now
    days = day_range(LAST, (LAST - FIRST).days + 1)
    await store_days(services, {day: _figures(day) for day in days}, scans=ONE_SCAN)
    await store_supply(services, "OPEN1", 100_000_000)
    await store_supply(services, "STAY1", 10_000_000)
    steps = [
        (_at(3), log_outreach, ALICE, "STAY1", ("email", None, None, None)),
        (_at(5), log_reply_has_mm, BOB, "STAY1", ("Wintermute", None, None, None, None)),
        (_at(10), log_outreach, ALICE, "AAA", ("telegram", None, None, None)),
        (_at(10, 16), log_outreach, ALICE, "MOVE1", ("call", None, None, None)),
        (_at(12), log_reply_contribution, BOB, "STAY1", ("1",)),
        (_at(17), log_outreach, ALICE, "OPEN1", ("email", None, None, None)),
        (_at(19), log_reply_contribution, BOB, "OPEN1", ("2",)),
        (_at(20), log_reply_declined, BOB, "MOVE1", ("no budget",)),
        (_at(23), log_outreach, ALICE, "LATE1", ("email", None, None, None)),
    ]
    for number, (at, write, actor, symbol, values) in enumerate(steps):
        clock.now = at
        await write(services, actor, symbol, *values, f"fortnight-{number}")  # type: ignore[operator]
    clock.now = now
