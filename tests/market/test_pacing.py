"""ccxt's pacing, kept: ``PacedThrottler`` lets requests go at ccxt's leaky-bucket rate without
polling."""

from __future__ import annotations

import asyncio
import time

from bot.market.throttle import PacedThrottler


async def test_requests_leave_at_the_rate_limit_without_polling() -> None:
    throttler = PacedThrottler(
        {"refillRate": 1 / 20, "delay": 0.001, "capacity": 1, "tokens": 0, "cost": 1.0}
    )
    wakeups = 0
    real_sleep = asyncio.sleep

    async def counting_sleep(seconds: float) -> None:
        nonlocal wakeups
        wakeups += seconds > 0
        await real_sleep(seconds)

    asyncio.sleep = counting_sleep  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        await asyncio.gather(*(throttler(1.0) for _ in range(11)))
        elapsed = time.perf_counter() - start
    finally:
        asyncio.sleep = real_sleep  # type: ignore[assignment]
    # ten debts of one unit, 20 ms each: no earlier than ccxt's own loop would let them go
    assert elapsed >= 0.195
    assert wakeups <= 12  # one sleep per request in debt, not one per millisecond (~200)
