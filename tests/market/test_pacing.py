"""ccxt's pacing, kept: ``PacedThrottler`` lets requests go at ccxt's leaky-bucket rate without
polling, and ``REPLICAS_PER_IP`` shares an exchange's budget among the replicas of one IP."""

from __future__ import annotations

import asyncio
import time

from bot.market.exchanges import build_exchange
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


def test_replicas_behind_one_ip_share_the_exchanges_budget() -> None:
    alone = build_exchange("binance", None, enable_rate_limit=True)
    shared = build_exchange("binance", None, enable_rate_limit=True, budget_share=3)
    assert shared.rateLimit == 3 * alone.rateLimit
    assert shared.throttler.config["refillRate"] == 1 / shared.rateLimit
    assert isinstance(shared.throttler, PacedThrottler)
