"""Tokens around the monitoring-tag review criteria (defaults: ≥ 14 days under $50k in the 30
whole days before today), one scan a day from 2026-10-20 to 2026-11-24 (NOW is 2026-11-25
12:00 UTC, so the window is 2026-10-26 to 2026-11-24):

- DECLO: scanned from 1 Nov, no scan on 15 Nov (23 days with data): $80k until 8 Nov, $8k
  from 9 Nov, so 15 days under; contribution declined on 10 Nov: meets the criteria;
- EDGEY: $8k from 12 Nov (13 days under), declined: one day short;
- BOUND: $8k from 20 Oct to 8 Nov, then $80k: 14 days under inside the window (26 Oct to
  8 Nov; the 6 before it do not count), declined: meets, at the boundary;
- PLEDG: $8k throughout, will contribute: no ground;
- FULLY: $8k throughout (30 days under), declined: meets;
- CONTA: $8k throughout, contacted, no answer: no ground (no escalation is recorded today).

No token here has the market-maker status ``breached``: the database accepts that status only
from market-maker status v2's migration on. That ground is checked in tests/domain/test_review.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.usecases.outreach import log_outreach, log_reply_contribution, log_reply_declined
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, Clock, store_supply
from tests.history_builders import ONE_SCAN, Figures, day_range, store_days

LOW, HIGH = 8_000, 80_000
FIRST, LAST = date(2026, 10, 20), date(2026, 11, 24)
WINDOW = (date(2026, 10, 26), date(2026, 11, 24))
DECLINED_AT = datetime(2026, 11, 10, 15, tzinfo=UTC)


def _figures(day: date) -> list[Figures]:
    tokens = [
        Figures("EDGEY", LOW if day >= date(2026, 11, 12) else HIGH),
        Figures("BOUND", LOW if day <= date(2026, 11, 8) else HIGH),
        Figures("PLEDG", LOW),
        Figures("FULLY", LOW),
        Figures("CONTA", LOW),
    ]
    if day != date(2026, 11, 15) and day >= date(2026, 11, 1):
        tokens.append(Figures("DECLO", LOW if day >= date(2026, 11, 9) else HIGH))
    return tokens


async def store_review_tokens(services: Services, clock: Clock) -> None:
    """The tokens and their cases (see the module docstring); the clock is put back after."""
    now = clock.now
    await store_days(
        services,
        {day: _figures(day) for day in day_range(LAST, (LAST - FIRST).days + 1)},
        scans=ONE_SCAN,
    )
    await store_supply(services, "PLEDG", 1_000_000)
    for symbol in ("DECLO", "EDGEY", "BOUND", "FULLY", "PLEDG", "CONTA"):
        clock.now = DECLINED_AT - timedelta(days=3)
        await log_outreach(services, ALICE, symbol, "email", None, None, None, f"o-{symbol}")
    clock.now = DECLINED_AT
    for symbol in ("DECLO", "EDGEY", "BOUND", "FULLY"):
        await log_reply_declined(services, BOB, symbol, "no budget", f"d-{symbol}")
    await log_reply_contribution(services, BOB, "PLEDG", "2", "p-PLEDG")
    clock.now = now
