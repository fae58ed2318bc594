"""Risk assessments: today's batch, yesterday's batch, one token's trend."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repo_assessment import (
    latest_assessments,
    previous_day_assessments,
    store_assessments,
    token_assessments,
)
from bot.db.repo_market import store_scan
from bot.domain.models import RiskAssessment, TokenLiquidity
from tests.builders import NOW, liquidity


def _liquidity(symbol: str, depth: float | None, cap: float | None = None) -> TokenLiquidity:
    """The figures an assessment keeps: the global ±2% depth is 3× the home one."""
    return liquidity(
        symbol,
        home_mid_usd=0.5,
        home_depth_2pct_usd=depth,
        global_depth_2pct_usd=None if depth is None else 3 * depth,
        home_volume_24h_usd=90_000.0,
        global_volume_24h_usd=400_000.0,
        market_cap_usd=cap,
    )


def _risk(symbol: str, score: int, tier: str) -> RiskAssessment:
    return RiskAssessment(
        symbol=symbol,
        score=score,
        tier=tier,  # type: ignore[arg-type]
        reasons=(f"±2% depth ${score}k < $50k",),
        rules=("low_depth",),
        mm_status="unknown",
    )


async def test_latest_and_previous_day_batches(session: AsyncSession) -> None:
    yesterday, today = NOW - timedelta(days=1), NOW
    scan_y = await store_scan(session, "live", yesterday, yesterday, {}, [], yesterday)
    scan_t = await store_scan(session, "live", today, today, {}, [], today)
    assert (
        await store_assessments(
            session,
            scan_y,
            yesterday,
            [(_liquidity("PEPE", 4_300.0), _risk("PEPE", 70, "high"))],
        )
        == 1
    )
    await store_assessments(
        session,
        scan_t,
        today,
        [
            (_liquidity("WIF", None), _risk("WIF", 35, "medium")),
            (_liquidity("PEPE", 5_000.0, cap=2e6), _risk("PEPE", 65, "high")),
            (_liquidity("BONK", 9_000.0), _risk("BONK", 35, "medium")),
        ],
    )
    await session.commit()

    latest = await latest_assessments(session)
    assert [(a.symbol, a.score, a.tier) for a in latest] == [
        ("PEPE", 65, "high"),
        ("BONK", 35, "medium"),  # equal scores: by symbol
        ("WIF", 35, "medium"),
    ]
    pepe = latest[0]
    assert (pepe.scan_id, pepe.assessed_at, pepe.reasons, pepe.rules) == (
        scan_t,
        today,
        ("±2% depth $65k < $50k",),
        ("low_depth",),
    )
    assert (pepe.home_depth_2pct_usd, pepe.global_depth_2pct_usd, pepe.market_cap_usd) == (
        5_000.0,
        15_000.0,
        2e6,
    )
    assert (pepe.mid_usd, pepe.home_volume_24h_usd, pepe.global_volume_24h_usd) == (
        0.5,
        90_000.0,
        400_000.0,
    )
    previous = await previous_day_assessments(session, day_start=today - timedelta(hours=12))
    assert [(a.symbol, a.score, a.assessed_at) for a in previous] == [("PEPE", 70, yesterday)]
    assert await previous_day_assessments(session, day_start=yesterday) == []
    trend = await token_assessments(session, "PEPE", since=yesterday)
    assert [a.score for a in trend] == [70, 65]


async def test_no_assessments_yet(session: AsyncSession) -> None:
    assert await latest_assessments(session) == []
    assert await store_assessments(session, 1, NOW, []) == 0


async def test_an_unrated_token_is_stored_without_a_score_and_listed_last(
    session: AsyncSession,
) -> None:
    scan = await store_scan(session, "live", NOW, NOW, {}, [], NOW)
    unrated = RiskAssessment(
        symbol="AAA",
        score=None,
        tier="unrated",
        reasons=("AAA/USDT on binance: crossed book: best bid 1.01 >= best ask 1",),
        rules=("data_fault",),
        mm_status="unknown",
    )
    await store_assessments(
        session,
        scan,
        NOW,
        [
            (_liquidity("AAA", None), unrated),
            (_liquidity("ZZZ", 900.0), _risk("ZZZ", 5, "low")),
            (_liquidity("MMM", 4_300.0), _risk("MMM", 70, "high")),
        ],
    )
    await session.commit()

    latest = await latest_assessments(session)
    # NULLs sort first on PostgreSQL and last on SQLite by default: both put them last here.
    assert [(a.symbol, a.score, a.tier) for a in latest] == [
        ("MMM", 70, "high"),
        ("ZZZ", 5, "low"),
        ("AAA", None, "unrated"),
    ]
    assert latest[-1].reasons == unrated.reasons
