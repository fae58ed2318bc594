"""The exchange's request pace: quiet time counts, a bounded burst, within the window's limit."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.market.exchanges import build_exchange
from bot.market.throttle import BUDGETS, BurstThrottle, pace, starts_full


async def _leave_times(throttle: BurstThrottle, costs: list[float]) -> list[float]:
    """Seconds after the start at which each request (in order) was let go."""
    started = time.perf_counter()

    async def one(cost: float) -> float:
        await throttle(cost)
        return time.perf_counter() - started

    return list(await asyncio.gather(*(one(c) for c in costs)))


async def test_quiet_time_refills_the_bucket() -> None:
    throttle = BurstThrottle(units_per_s=100.0, burst_units=10.0)  # 10 ms per unit
    await throttle(5)  # leaves at once (the bucket starts empty, not in debt), 5 units in debt
    await asyncio.sleep(0.2)  # ccxt's throttler would not count this (ccxt/ccxt#25556)
    times = await _leave_times(throttle, [1.0] * 10)
    assert max(times) < 0.03  # 10 units banked: all ten at once


async def test_beyond_the_burst_requests_are_paced_in_order() -> None:
    throttle = BurstThrottle(units_per_s=50.0, burst_units=2.0)  # 20 ms per unit
    await asyncio.sleep(0.1)  # fills the bucket (2 units)
    times = await _leave_times(throttle, [1.0] * 6)
    assert times == sorted(times)
    # units 2 → 1 → 0 → -1: three at once, then one per 20 ms
    assert max(times[:3]) < 0.015
    assert times[5] >= 0.06 - 0.005
    assert times[5] < 0.2


async def test_a_request_given_up_before_it_leaves_spends_nothing() -> None:
    throttle = BurstThrottle(units_per_s=20.0, burst_units=1.0)  # 50 ms per unit
    await throttle(1)  # in debt by 1 unit: the next waits 50 ms
    abandoned = throttle(100)  # would put the bucket 100 units (5 s) in debt
    abandoned.cancel()
    started = time.perf_counter()
    await throttle(1)
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize("exchange", sorted(BUDGETS))
def test_burst_and_refill_stay_within_the_exchanges_window(exchange: str) -> None:
    client = build_exchange(exchange, session=None, enable_rate_limit=True)
    units_per_s, burst = pace(exchange, float(client.rateLimit))
    budget = BUDGETS[exchange]
    assert burst + units_per_s * budget.window_s <= budget.limit_units + 1e-9
    assert units_per_s <= 1000.0 / client.rateLimit  # never faster than ccxt's own rate
    assert isinstance(client.throttler, BurstThrottle)


def test_binance_gives_up_the_burst_in_its_refill_and_others_keep_ccxts_rate() -> None:
    assert pace("binance", 50.0) == pytest.approx((19.5, 30.0))
    assert pace("bybit", 20.0) == (50.0, 60.0)
    assert pace("okx", 110.0)[1] == 1.0
    assert pace("kucoin", 100.0) == (10.0, 1.0)  # no budget on record: ccxt's bucket and rate


@pytest.mark.parametrize("share", [1, 3])
def test_only_a_bucket_whose_window_fits_two_processes_worth_starts_full(share: int) -> None:
    started_full = {}
    for exchange, budget in BUDGETS.items():
        client = build_exchange(exchange, session=None, enable_rate_limit=True, budget_share=share)
        full = starts_full(exchange, float(client.rateLimit), share)
        units_per_s, burst = pace(exchange, float(client.rateLimit), share)
        spent_by_two = 2 * share * (burst + units_per_s * budget.window_s)
        assert full == (spent_by_two <= budget.limit_units)
        assert client.throttler._tokens == (burst if full else 0.0)
        started_full[exchange] = full
    # binance's minute is all liqbot spends, okx's 2 s window nearly: after a restart they wait.
    assert started_full == {"binance": False, "okx": False, "bybit": True}


async def test_a_bucket_started_full_lets_its_burst_go_at_once() -> None:
    throttle = BurstThrottle(units_per_s=10.0, burst_units=5.0, start_full=True)  # 100 ms/unit
    started = time.perf_counter()
    await asyncio.gather(*(throttle(1) for _ in range(6)))  # 5 units in hand, the 6th at 0
    assert time.perf_counter() - started < 0.05
    await throttle(1)  # the bucket is 1 unit in debt now: 100 ms
    assert time.perf_counter() - started >= 0.09
