"""Generated histories for the history chart, the review and the weekly report: scans stored the
way the snapshot job stores them (snapshots and assessments at one moment), with figures chosen
so that every daily median can be computed by hand.

Each token of a scan gets a binance X/USDT market holding its home ±2% depth on the bid side
(the ask side 1.5× deeper, so the bid is the smaller side) and, when its global depth is larger,
an okx X/USDT market holding the rest the same way; its assessment carries the same home and
global figures, its tier and its market-maker status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.db import repo_assessment
from bot.domain.models import RiskAssessment
from bot.usecases.services import Services
from tests.builders import liquidity, market, store_snapshot

THREE_SCANS = ((2, 0.5), (10, 1.0), (18, 2.0))
"""``store_days``' default scans of a day: (UTC hour, factor on the depths). The median of ½×,
1× and 2× is the figure itself."""
ONE_SCAN = ((10, 1.0),)


@dataclass(frozen=True)
class Figures:
    """One token in one scan: home and global ±2% depth (USD), home spread (bps), tier."""

    symbol: str
    home_usd: float
    global_usd: float | None = None  # None: the token trades on binance only
    spread_bps: float = 150.0
    tier: str = "high"
    score: int = 70
    mm_status: str = "unknown"


async def store_scan_of(services: Services, at: datetime, tokens: Sequence[Figures]) -> int:
    """One scan at ``at`` of ``tokens`` (snapshots and assessments); its id."""
    markets = []
    for t in tokens:
        markets.append(
            market(
                f"{t.symbol}/USDT",
                "binance",
                bid_usd=t.home_usd,
                ask_usd=t.home_usd * 1.5,
                spread_bps=t.spread_bps,
            )
        )
        rest = (t.global_usd or t.home_usd) - t.home_usd
        if rest > 0:
            markets.append(
                market(
                    f"{t.symbol}/USDT",
                    "okx",
                    bid_usd=rest,
                    ask_usd=rest * 1.5,
                    spread_bps=t.spread_bps * 2,
                )
            )
    scan_id = await store_snapshot(services, markets, at)
    assessed = [
        (
            liquidity(
                t.symbol,
                home_depth_2pct_usd=t.home_usd,
                global_depth_2pct_usd=t.global_usd or t.home_usd,
                home_spread_bps=t.spread_bps,
            ),
            RiskAssessment(t.symbol, t.score, t.tier, (), (), t.mm_status),  # type: ignore[arg-type]
        )
        for t in tokens
    ]
    async with services.session() as session:
        await repo_assessment.store_assessments(session, scan_id, at, assessed)
    return scan_id


async def store_days(
    services: Services,
    days: dict[date, Sequence[Figures]],
    scans: Sequence[tuple[int, float]] = THREE_SCANS,
) -> None:
    """For each day, one scan of its tokens per (UTC hour, factor) of ``scans``, the depths
    times the factor (the spread as given): by default the day's median depth is the given
    one."""
    for day, tokens in sorted(days.items()):
        for hour, factor in scans:
            scaled = [
                Figures(
                    t.symbol,
                    t.home_usd * factor,
                    None if t.global_usd is None else t.global_usd * factor,
                    t.spread_bps,
                    t.tier,
                    t.score,
                    t.mm_status,
                )
                for t in tokens
            ]
            await store_scan_of(services, datetime.combine(day, time(hour), tzinfo=UTC), scaled)


def day_range(last: date, count: int) -> list[date]:
    """``count`` consecutive days ending on ``last``, oldest first."""
    return [last - timedelta(days=count - 1 - i) for i in range(count)]
