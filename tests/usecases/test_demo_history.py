"""`liqbot demo history`: DEMO DATA days behind the demo's market-maker statuses."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from bot.domain.vocabulary import MM_STATUSES
from bot.errors import UserFacingError
from bot.market.demo_history import NEW_LISTING
from bot.usecases.demo_history import DEMO_NO_MARKET_MAKER, write_demo_history
from bot.usecases.scan import run_scan
from bot.usecases.services import Services


async def test_the_demo_shows_every_market_maker_status(services: Services) -> None:
    history = await write_demo_history(services, days=4)
    assert history.scans == 4 * 24 and history.replies == 5

    result = await run_scan(services)

    statuses = {t.symbol: t.risk.mm_status for t in result.tokens}
    assert set(Counter(statuses.values())) == set(MM_STATUSES)
    assert (statuses["ZIBBKA"], statuses["MOOPLY"], statuses["GLIBBON"]) == (
        "breached",
        "verified",
        "claimed",
    )
    assert statuses[DEMO_NO_MARKET_MAKER] == "none" and statuses[NEW_LISTING] == "unknown"


async def test_demo_history_is_refused_outside_the_demo(services: Services) -> None:
    live = services.settings.model_copy(update={"market_source": "live"})
    with pytest.raises(UserFacingError, match="MARKET_SOURCE=demo"):
        await write_demo_history(dataclasses.replace(services, settings=live))
