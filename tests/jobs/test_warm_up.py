"""`liqbot serve` loads every exchange's market list at start, before any command asks."""

from __future__ import annotations

import gc

from bot.serve import warm_up
from tests.conftest import MakeServices


async def test_the_market_lists_are_loaded_at_start_and_frozen(
    make_services: MakeServices,
) -> None:
    services = make_services(exchanges="binance,okx,bybit", replay_latency_ms=20)
    try:
        await warm_up(services.gateway)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    sent = {e: s.requests for e, s in services.gateway.status().items()}
    assert sent == {"binance": 1, "okx": 1, "bybit": 1}  # one market list each
    for exchange in sent:
        assert await services.gateway.markets(exchange)  # loaded: nothing more is sent
    assert {e: s.requests for e, s in services.gateway.status().items()} == sent
