"""The verified-market-maker alert over the Slack stand-in: a market maker on record that misses
its obligations (max spread 50 bps, $60k on the thinner ±2% side) on 3 snapshots in a row is
posted once, failed snapshots count neither way, and two snapshots that meet them again close
the episode with a reply in the alert's thread. Obligations by hand; books from the scan code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.domain.models import MarketMetrics, MMStatus
from bot.usecases.outreach import end_engagement, log_reply_has_mm
from bot.usecases.services import Services
from jobs.alerts import alerts_job
from jobs.scheduler import snapshot_period
from tests.builders import ALICE, NOW, failed
from tests.conftest import MakeServices
from tests.fakes.slack_api import SlackApiStandIn
from tests.jobs.alert_scans import deep, main_posts, replies, snapshot

ALERTS = "C0ALERTS"
KEPT = deep(spread_bps=20.0)  # 20 bps ≤ 50, thinner side $100k ≥ $60k
WIDE = deep(spread_bps=80.0)  # 80 bps > 50: missed


async def run(
    services: Services, hour: int, *markets: MarketMetrics, mm: MMStatus = "verified"
) -> Any:
    scan_id = await snapshot(services, hour, *markets, mm={"ZORB": mm})
    return await alerts_job(
        services, snapshot_period(services.settings, NOW + timedelta(hours=hour)), scan_id
    )


@pytest.fixture
async def services(make_services: MakeServices) -> Services:
    services = make_services(alert_channel=ALERTS)
    await log_reply_has_mm(
        services, ALICE, "ZORB", "Wintermute", "2026-11-20", None, "50", "60000", "mm-1"
    )
    return services


async def test_three_missed_snapshots_in_a_row_alert_once_and_two_kept_ones_recover(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, KEPT)  # the baseline
    await run(services, 1, WIDE)  # missed 1
    await run(services, 2, KEPT)  # kept: the count starts again
    await run(services, 3, WIDE)  # missed 1
    await run(services, 4, WIDE)  # missed 2
    skipped = await run(services, 5, failed("binance", "ZORB/USDT"))  # neither way
    assert skipped.result.opened == () and main_posts(slack_api) == []
    third = await run(services, 6, WIDE)  # missed 3: the alert

    assert [(e.symbol, e.kind) for e in third.result.opened] == [("ZORB", "mm_obligations")]
    assert third.result.opened[0].facts == {
        "market_maker": "Wintermute",
        "spread_bps": pytest.approx(80.0),
        "depth_usd": pytest.approx(100_000.0),
        "max_spread_bps": 50.0,
        "min_depth_usd": 60_000.0,
        "missed": 3,
    }
    (post,) = main_posts(slack_api)
    assert "ZORB · Wintermute missed its obligations on the last 3 snapshots" in post.args["text"]
    ts = post.answer["ts"]
    (detail,) = replies(slack_api, ts)
    assert detail == (
        "ZORB · market maker off its obligations: Wintermute missed its obligations on the last 3 "
        "snapshots in a row; now spread 80.0 bps (max 50.0 bps), thinner ±2% side $100k (min "
        "$60k); over after 2 healthy snapshots in a row (met again)."
    )

    await run(services, 7, WIDE)  # still missed: nothing new
    await run(services, 8, KEPT)  # healthy 1
    # $55k < $60k: missed, the count starts again ($55k is above the $50k depth-alert floor).
    await run(services, 9, deep(bid=55_000, ask=120_000))
    await run(services, 10, KEPT)  # healthy 1
    await run(services, 11, failed("binance", "ZORB/USDT"))  # neither way
    assert len(replies(slack_api, ts)) == 1
    recovered = await run(services, 12, KEPT)  # healthy 2: recovered
    assert [e.kind for e in recovered.result.recovered] == ["mm_obligations"]
    assert len(main_posts(slack_api)) == 1
    assert replies(slack_api, ts)[1].startswith(
        "ZORB recovered from market maker off its obligations: obligations met again"
    )


async def test_a_market_maker_not_verified_is_not_judged_on_its_obligations(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, KEPT, mm="claimed")
    for hour in range(1, 5):
        outcome = await run(services, hour, WIDE, mm="claimed")
        assert outcome.result.opened == ()
    assert main_posts(slack_api) == []


async def test_snapshots_before_the_contract_started_do_not_count(
    make_services: MakeServices, slack_api: SlackApiStandIn
) -> None:
    services = make_services(alert_channel=ALERTS)
    await run(services, 0, WIDE)
    await run(services, 1, WIDE)
    # Logged the next day; the contract starts then (team day 2026-11-26).
    services.clock.advance(seconds=13 * 3600)  # type: ignore[attr-defined]
    await log_reply_has_mm(
        services, ALICE, "ZORB", "Wintermute", "2026-11-26", None, "50", "60000", "mm-1"
    )
    await run(services, 11, WIDE)  # 2026-11-25 23:00 UTC: before the contract, not judged
    await run(services, 12, WIDE)  # 2026-11-26 00:00 UTC: missed 1
    second = await run(services, 13, WIDE)  # missed 2 (3 with the one before the contract)
    assert second.result.opened == () and main_posts(slack_api) == []
    third = await run(services, 14, WIDE)  # missed 3
    assert [e.kind for e in third.result.opened] == ["mm_obligations"]


async def test_an_alert_whose_contract_ended_closes_instead_of_staying_open(
    services: Services, slack_api: SlackApiStandIn
) -> None:
    await run(services, 0, KEPT)
    for hour in (1, 2, 3):
        opened = await run(services, hour, WIDE)
    assert [e.kind for e in opened.result.opened] == ["mm_obligations"]
    (post,) = main_posts(slack_api)
    await end_engagement(services, ALICE, "ZORB", "Wintermute", "2026-11-24", "mm-end")

    await run(services, 4, WIDE, mm="none")  # nothing owed any more: healthy 1
    closed = await run(services, 5, WIDE, mm="none")  # healthy 2: over
    assert [e.kind for e in closed.result.recovered] == ["mm_obligations"]
    assert replies(slack_api, post.answer["ts"])[1].startswith(
        "ZORB recovered from market maker off its obligations: no engagement running any more"
    )
