"""The daily supply / market-cap refresh job (issue 4 item 6): once per team's day, only when
``COINGECKO_API_KEY`` is set; the refresh itself is ``bot.usecases.supply_refresh``."""

from __future__ import annotations

from bot.usecases.args import team_today
from bot.usecases.ledger import RunOutcome, run_once
from bot.usecases.services import Services
from bot.usecases.supply_refresh import (
    PAUSE_S,
    SupplyRefresh,
    refresh_tracked_supply,
    supply_refresh_summary,
)

JOB = "supply_refresh"


async def supply_refresh_job(services: Services, pause_s: float = PAUSE_S) -> RunOutcome | None:
    """Today's refresh, once per team's day; None without ``COINGECKO_API_KEY``."""
    if services.settings.coingecko_api_key is None:
        return None
    day = team_today(services.settings, services.clock()).isoformat()

    async def work() -> SupplyRefresh:
        return await refresh_tracked_supply(services, pause_s)

    return await run_once(services, JOB, day, work, summarize=supply_refresh_summary)
