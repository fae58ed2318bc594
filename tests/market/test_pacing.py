"""Replicas behind one IP share an exchange's request budget (``REPLICAS_PER_IP``): each
process's throttle spends its share of the rate, the window and the burst."""

from __future__ import annotations

import pytest

from bot.market.exchanges import build_exchange
from bot.market.throttle import BUDGETS, BurstThrottle


def test_replicas_behind_one_ip_share_the_exchanges_budget() -> None:
    alone = build_exchange("binance", None, enable_rate_limit=True)
    shared = build_exchange("binance", None, enable_rate_limit=True, budget_share=3)
    assert shared.rateLimit == 3 * alone.rateLimit
    assert isinstance(alone.throttler, BurstThrottle)
    assert isinstance(shared.throttler, BurstThrottle)
    # Three processes together: the rate and the burst of one alone, never more.
    assert 3 * shared.throttler.units_per_s == pytest.approx(alone.throttler.units_per_s)
    assert 3 * shared.throttler.burst_units == pytest.approx(alone.throttler.burst_units)
    budget = BUDGETS["binance"]
    per_window = 3 * (shared.throttler.burst_units + shared.throttler.units_per_s * budget.window_s)
    assert per_window <= budget.limit_units
