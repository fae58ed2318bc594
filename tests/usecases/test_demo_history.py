"""The generated demo history: a week of daily demo snapshots, alert-checked, before today's scan,
whose alert is the demo token's ±2% depth collapse and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserFacingError
from bot.usecases.alerts import check_alerts
from bot.usecases.demo_history import COLLAPSE_FACTOR, COLLAPSING_TOKEN, write_demo_history
from bot.usecases.scan import run_scan
from bot.usecases.services import Services
from tests.builders import count_rows
from tests.conftest import MakeServices


async def test_today_collapses_against_the_generated_week(services: Services) -> None:
    history = await write_demo_history(services, days=3)
    # Day 1 is the baseline; day 2 opens the demo's one-sided books, which stay so.
    assert history.snapshots == 3
    assert history.alerts == ("PRUXIO:one_sided", "WUMBUM:one_sided")
    assert await count_rows(services, "alert_checks") == 3

    today = await run_scan(services)
    assert today.scan_id is not None
    batch = await check_alerts(services, today.scan_id, persist=False)
    (alert,) = batch.opened
    depth = next(t for t in today.tokens if t.symbol == COLLAPSING_TOKEN).liquidity
    assert (alert.symbol, alert.kind) == (COLLAPSING_TOKEN, "depth_collapse")
    assert alert.facts["depth_usd"] == depth.home_depth_2pct_usd
    assert alert.facts["median_usd"] == pytest.approx(COLLAPSE_FACTOR * depth.home_depth_2pct_usd)
    assert await count_rows(services, "alert_episodes") == 2  # the preview stored nothing


async def test_demo_history_is_for_an_empty_demo_database(
    make_services: MakeServices, tmp_path: Path
) -> None:
    with pytest.raises(UserFacingError, match="MARKET_SOURCE=demo"):
        await write_demo_history(make_services(market_source=f"replay:{tmp_path}"), days=2)
    services = make_services()
    await run_scan(services)
    with pytest.raises(UserFacingError, match="without scans"):
        await write_demo_history(services, days=2)
