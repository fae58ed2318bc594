"""The digest use case: counts, new today, recovered, snoozed, venues, the scan-freshness rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db import repo_assessment, repo_market
from bot.domain.models import RiskAssessment
from bot.usecases.digest import build_digest
from bot.usecases.outreach import log_outreach, snooze
from tests.builders import ALICE, Clock, Token, liquidity, store_batch
from tests.conftest import MakeServices

YESTERDAY = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
THIS_MORNING = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
NINE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def seed(make_services: MakeServices, clock: Clock) -> None:
    """Yesterday: AAA high, BBB medium, CCC high, EEE low. This morning: AAA high, BBB low
    (recovered), CCC medium (snoozed), DDD high (new), EEE medium (new), FFF low."""
    services = make_services()
    await store_batch(
        services,
        YESTERDAY,
        [
            Token("AAA", "high", 80),
            Token("BBB", "medium", 40),
            Token("CCC", "high", 70),
            Token("EEE", "low", 10),
        ],
    )
    await store_batch(
        services,
        THIS_MORNING,
        [
            Token("AAA", "high", 85, depth_usd=4_300, spread_bps=180, volume_usd=12_000),
            Token("BBB", "low", 20),
            Token("CCC", "medium", 45),
            Token("DDD", "high", 65, depth_usd=900, spread_bps=250, volume_usd=3_100),
            Token("EEE", "medium", 35),
            Token("FFF", "low", 5),
        ],
        summary={
            "binance": {"markets": 6, "ok": 6, "error": None},
            "okx": {"markets": 0, "ok": 0, "error": "exchange unavailable: timeout"},
        },
    )
    clock.now = THIS_MORNING
    await snooze(services, ALICE, "CCC", 3, "snooze-ccc")
    await log_outreach(services, ALICE, "AAA", "telegram", "@aaa", None, None, "outreach-aaa")


async def test_the_digest_counts_compares_with_yesterday_and_lists_the_rest(
    make_services: MakeServices, clock: Clock
) -> None:
    await seed(make_services, clock)
    clock.now = NINE
    digest = await build_digest(make_services(), top_n=2)

    assert digest.day == "2026-11-25"
    assert digest.scanned_now is False  # the 08:30 scan is 30 min old: fresh
    assert digest.as_of == THIS_MORNING
    assert (digest.markets_scanned, digest.markets_ok, digest.tokens_assessed) == (6, 6, 6)
    assert digest.at_risk == {"high": 2, "medium": 2}  # AAA, DDD; CCC, EEE
    assert digest.new_today == ("DDD", "EEE")
    assert digest.recovered == ("BBB",)
    assert digest.compared_with == YESTERDAY
    assert digest.snoozed == ("CCC",)
    assert [(r.rank, r.symbol) for r in digest.top] == [(1, "AAA"), (2, "DDD")]
    assert [(r.rank, r.symbol) for r in digest.rest] == [(3, "EEE")]
    aaa, ddd = digest.top
    assert (aaa.score, aaa.tier, aaa.new_today, ddd.new_today) == (85, "high", False, True)
    assert (aaa.home_depth_2pct_usd, aaa.home_spread_bps, aaa.home_volume_24h_usd) == (
        4_300,
        180,
        12_000,
    )
    assert (ddd.home_depth_2pct_usd, ddd.home_spread_bps) == (900, 250)
    assert aaa.outreach == "contacted today · owner alice"  # stage and owner
    assert ddd.outreach == "not contacted"
    assert [(v.exchange, v.error) for v in digest.venues_not_scanned] == [
        ("okx", "exchange unavailable: timeout")
    ]


async def test_a_snoozed_token_comes_back_when_its_snooze_ends(
    make_services: MakeServices, clock: Clock
) -> None:
    await seed(make_services, clock)
    services = make_services(snapshot_interval_minutes=60 * 24 * 7)  # keep the scan fresh
    clock.now = THIS_MORNING + timedelta(days=3, minutes=1)
    digest = await build_digest(services)
    assert digest.snoozed == ()
    assert "CCC" in [r.symbol for r in digest.rows]


async def test_an_old_scan_is_refreshed_before_the_digest(
    make_services: MakeServices, clock: Clock
) -> None:
    await seed(make_services, clock)
    services = make_services(snapshot_interval_minutes=60)
    clock.now = THIS_MORNING + timedelta(minutes=65, seconds=1)  # interval + 5 min + 1 s
    digest = await build_digest(services)
    assert digest.scanned_now is True
    assert digest.as_of == clock.now
    assert digest.source == "demo"
    assert digest.markets_scanned > 100  # the demo cassette's binance markets
    # Compared with the last scan before today's midnight, not with this morning's.
    assert digest.compared_with == YESTERDAY


async def test_the_first_digest_calls_nothing_new_or_recovered(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await store_batch(services, THIS_MORNING, [Token("AAA", "high", 85), Token("BBB", "low", 5)])
    clock.now = NINE
    digest = await build_digest(services)
    assert digest.compared_with is None
    assert (digest.new_today, digest.recovered) == ((), ())
    assert [r.new_today for r in digest.rows] == [False]


async def test_a_day_with_nothing_at_risk_is_all_clear(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await store_batch(services, THIS_MORNING, [Token("AAA", "low", 12), Token("BBB", "low", 5)])
    clock.now = NINE
    digest = await build_digest(services)
    assert digest.all_clear and digest.rows == () and digest.tokens_assessed == 2


async def test_the_local_day_follows_the_team_zone(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services(timezone="Asia/Tokyo")
    await store_batch(
        services, datetime(2026, 11, 25, 15, 30, tzinfo=UTC), [Token("A", "high", 70)]
    )
    clock.now = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # 01:00 on the 26th in Tokyo
    assert (await build_digest(services)).day == "2026-11-26"


async def test_an_unrated_token_is_a_data_issue_not_a_risk(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await store_batch(services, THIS_MORNING, [Token("AAA", "high", 85)])
    unrated = Token("BAD", "unrated", 0)
    fault = RiskAssessment("BAD", None, "unrated", ("BAD/USDT on binance: timeout",), (), "none")
    async with services.session() as session:
        scan = await repo_market.latest_scan(session)
        assert scan is not None
        await repo_assessment.store_assessments(
            session, scan.id, THIS_MORNING, [(liquidity(unrated), fault)]
        )
    clock.now = NINE
    digest = await build_digest(make_services())
    assert digest.data_issues == ("BAD",) and digest.tokens_assessed == 2
    assert digest.at_risk == {"high": 1, "medium": 0}
    assert [r.symbol for r in digest.rows] == ["AAA"]
