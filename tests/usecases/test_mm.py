"""Market-maker status from records and from the home exchange's snapshot history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import UserFacingError
from bot.usecases.mm import mm_report, mm_statuses, uptime_line
from bot.usecases.outreach import log_reply_has_mm
from bot.usecases.services import Services
from tests.builders import ALICE, NOW, market, store_snapshot

DAYS = tuple(datetime(2026, 11, day, tzinfo=UTC) for day in (22, 23, 24))
HOURS = (0, 6, 12, 18)


async def _history(services: Services) -> None:
    """Four scans a day on Nov 22–24 (and FLIM on Nov 24 only):
    - ZORB: USDT pair (bid 6k, ask 7k) + FDUSD pair (5k, 5k) on binance = 11k ≥ 10k per scan,
      tightest spread 20 bps, except one scan on Nov 23 at 90 bps on both pairs (3 of 4 = 75%:
      the day still counts);
    - QUUX: deep but 80 bps wide on binance (and tight on okx, which is not home);
    - FLIM: market-maker-like, but one day of history only."""
    for day in DAYS:
        for hour in HOURS:
            at = day + timedelta(hours=hour)
            wide = day == DAYS[1] and hour == 12
            markets = [
                market("ZORB/USDT", bid_usd=6_000, ask_usd=7_000, spread_bps=90 if wide else 20),
                market("ZORB/FDUSD", bid_usd=5_000, ask_usd=5_000, spread_bps=90 if wide else 35),
                market("QUUX/USDT", bid_usd=90_000, ask_usd=90_000, spread_bps=80),
                market("QUUX/USDT", "okx", bid_usd=90_000, ask_usd=90_000, spread_bps=5),
            ]
            if day == DAYS[2]:
                markets.append(market("FLIM/USDT", bid_usd=20_000, ask_usd=20_000))
            await store_snapshot(services, markets, at)


async def test_status_from_history_sums_the_home_pairs(services: Services) -> None:
    await _history(services)
    statuses = await mm_statuses(services, ["ZORB", "QUUX", "FLIM", "NONE"], NOW)
    assert statuses == {"ZORB": "observed", "QUUX": "none", "FLIM": "unknown", "NONE": "unknown"}
    assert await mm_statuses(services, [], NOW) == {}


async def test_history_older_than_14_days_does_not_count(services: Services) -> None:
    await _history(services)
    later = DAYS[2] + timedelta(days=15)
    assert (await mm_statuses(services, ["ZORB"], later))["ZORB"] == "unknown"


async def test_mm_report_shows_14_and_30_day_quoting(services: Services) -> None:
    await _history(services)
    # 20 days back: one scan, one-sided (no asks) — only the 30-day window sees it.
    await store_snapshot(services, [market("ZORB/USDT", ask_usd=0.0)], NOW - timedelta(days=20))

    report = await mm_report(services, "zorb")

    assert (report.symbol, report.status, report.home_exchange) == ("ZORB", "observed", "binance")
    fortnight, month = report.quoting
    assert (fortnight.days_back, month.days_back) == (14, 30)
    q = fortnight.summary
    assert (q.samples, q.days, q.qualifying_days) == (12, 3, 3)
    assert q.two_sided_uptime == 1.0 and q.uptime == pytest.approx(11 / 12)
    # The tightest home pair's spread per scan: 20 bps in 11 scans, 90 bps in one.
    assert q.median_spread_bps == 20 and q.median_depth_2pct_usd == 11_000
    m = month.summary
    assert (m.samples, m.days, m.two_sided_uptime) == (13, 4, pytest.approx(12 / 13))
    assert report.explanation == (
        "Market-maker-like liquidity on binance: 3 of 3 days two-sided, spread ≤ 50.0 bps and "
        "±2% depth ≥ $10k in ≥ 75% of snapshots."
    )
    assert uptime_line(fortnight) == (
        "14d: two-sided 100.0% of 12 snapshots, median spread 20.0 bps, median ±2% depth $11k"
    )
    assert report.engagements == () and report.active == ()
    assert (report.criteria.max_spread_bps, report.criteria.min_days) == (50, 3)


async def test_mm_report_lists_the_engagement_on_record(services: Services) -> None:
    await _history(services)
    await log_reply_has_mm(
        services, ALICE, "QUUX", "Wintermute", "2026-06-01", None, None, None, "mm-1"
    )

    report = await mm_report(services, "QUUX")

    assert report.status == "confirmed"
    [engagement] = report.active
    assert report.engagements == (engagement,)
    assert (engagement.mm_name, engagement.source, engagement.logged_by) == (
        "Wintermute",
        "reply",
        "U_ALICE",
    )
    assert report.explanation == (
        "Market maker on record: Wintermute since 2026-06-01 (logged by U_ALICE from reply)"
    )
    # The books still say what they say: 80 bps is not market-maker-like quoting.
    assert report.quoting[0].summary.qualifying_days == 0


async def test_mm_report_explains_none_and_unknown(services: Services) -> None:
    await _history(services)
    none = await mm_report(services, "QUUX")
    assert none.status == "none"
    assert none.explanation.startswith("No market-maker-like liquidity on binance: only 0 of 3")
    unknown = await mm_report(services, "FLIM")
    assert unknown.status == "unknown"
    assert unknown.explanation == "Too little history: 1 day of binance snapshots (needs 3)."


async def test_mm_report_of_an_unknown_token_is_a_clear_error(services: Services) -> None:
    with pytest.raises(UserFacingError, match="Nothing known about ZORB"):
        await mm_report(services, "ZORB")
    with pytest.raises(UserFacingError, match="not a token symbol"):
        await mm_report(services, "ZORB; DROP")
