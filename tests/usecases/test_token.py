"""`/liquidity TOKEN [EXCHANGE]`: a recent snapshot answers at once, otherwise a live fetch of
every venue (a hand-written cassette: binance answers, okx is down)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.errors import UserFacingError
from bot.usecases.outreach import log_outreach, log_reply_declined, log_reply_has_mm
from bot.usecases.services import Services
from bot.usecases.token import depth_chart, token_report
from tests.builders import ALICE, NOW, market, store_snapshot, store_supply
from tests.market.cassettes import (
    BINANCE,
    binance_symbol,
    binance_ticker,
    entry,
    write_cassette,
)

# ZORB/USDT on binance: mid 0.02, spread 100 bps. ±2% band = [0.0196, 0.0204]:
# bids 0.0199×1M + 0.0197×1M = 19,900 + 19,700 = 39,600 USD; asks 0.0201×1M + 0.0203×2M =
# 20,100 + 40,600 = 60,700 USD. ±1%: 19,900 / 20,100. Levels at 0.0185 and 0.0215 lie outside
# both the ±2% band and the chart's ±5%.
ZORB_BOOK = {
    "lastUpdateId": 1,
    "bids": [["0.0199", "1000000"], ["0.0197", "1000000"], ["0.0185", "5000000"]],
    "asks": [["0.0201", "1000000"], ["0.0203", "2000000"], ["0.0215", "5000000"]],
}


def _cassette(directory: Path) -> None:
    info = {"timezone": "UTC", "serverTime": 1767268800000}
    info["symbols"] = [binance_symbol("ZORB", "USDT"), binance_symbol("QUUX", "USDT")]
    tickers = [
        binance_ticker("ZORBUSDT", "0.02", "7500000", "150000"),
        binance_ticker("QUUXUSDT", "1.0", "1000", "1000"),
    ]
    write_cassette(
        directory,
        "binance",
        [
            entry(f"{BINANCE}/exchangeInfo", info),
            entry(f"{BINANCE}/ticker/24hr", tickers),
            entry(f"{BINANCE}/depth?symbol=ZORBUSDT&limit=100", ZORB_BOOK),
        ],
    )  # okx.jsonl is missing: every okx request is "not in the cassette", i.e. okx is down


@pytest.fixture
def replay(make_services: Callable[..., Services], replay_dir: Path) -> Services:
    _cassette(replay_dir)
    return make_services(
        market_source=f"replay:{replay_dir}", exchanges="binance,okx", quote_assets="USDT"
    )


async def test_live_fetch_measures_every_venue_and_names_the_one_down(replay: Services) -> None:
    await store_supply(replay, "ZORB", 1_000_000_000)
    # A snapshot older than SNAPSHOT_INTERVAL_MINUTES + 5 min does not answer.
    await store_snapshot(replay, [market(mid=5.0)], NOW - timedelta(minutes=66))

    view = await token_report(replay, "ZORB")

    assert (view.symbol, view.from_snapshot, view.as_of) == ("ZORB", False, NOW)
    assert [(u.exchange, "not in the cassette" in u.reason) for u in view.unavailable] == [
        ("okx", True)
    ]
    [row] = view.markets
    assert (row.exchange, row.symbol, row.status) == ("binance", "ZORB/USDT", "ok")
    assert row.mid == pytest.approx(0.02) and row.spread_bps == pytest.approx(100)
    assert row.depth_bid_2pct_usd == pytest.approx(39_600)
    assert row.depth_ask_2pct_usd == pytest.approx(60_700)
    assert row.depth_bid_1pct_usd == pytest.approx(19_900)
    assert row.volume_24h_usd == pytest.approx(150_000)
    liquidity = view.liquidity
    assert liquidity.home_depth_2pct_usd == pytest.approx(39_600)
    assert view.market_cap_usd == pytest.approx(20_000_000)  # 1e9 × $0.02
    assert view.contributions is not None
    one, three, five = view.contributions
    assert (one.tokens, one.usd) == (pytest.approx(10_000_000), pytest.approx(200_000))
    assert three.usd == pytest.approx(600_000) and five.usd == pytest.approx(1_000_000)
    assert three.depth_multiple == pytest.approx(600_000 / 39_600)
    # low depth: 35 × max(0.5, 1 − 39.6k/50k) = 17.5 points; a market maker nobody knows of yet
    # ("unknown": no history) adds nothing.
    assert view.risk is not None
    assert (view.risk.score, view.risk.tier, view.risk.rules) == (18, "low", ("low_depth",))
    assert view.risk.reasons == ("±2% depth $39.6k < $50k",)
    assert view.mm_status == "unknown" and view.outreach.stage == "not_contacted"

    chart = view.depth_chart
    assert chart is not None and (chart.exchange, chart.symbol) == ("binance", "ZORB/USDT")
    assert chart.mid_usd == pytest.approx(0.02)
    assert chart.bids == (
        (pytest.approx(0.0199), pytest.approx(19_900)),
        (pytest.approx(0.0197), pytest.approx(39_600)),
    )
    assert chart.asks == (
        (pytest.approx(0.0201), pytest.approx(20_100)),
        (pytest.approx(0.0203), pytest.approx(60_700)),
    )
    assert await depth_chart(replay, "ZORB") == chart


async def test_recent_snapshot_answers_without_fetching(services: Services) -> None:
    await store_supply(services, "ZORB", 1_000_000_000)
    taken = NOW - timedelta(minutes=30)
    okx = market("ZORB/USDT", "okx", bid_usd=10_000, ask_usd=12_000)
    summary = {"bybit": {"error": "bybit: exchange unavailable"}}
    await store_snapshot(services, [okx, market()], taken, summary)
    await log_outreach(services, ALICE, "ZORB", "email", None, None, None, "o-1")

    view = await token_report(services, "ZORB")

    assert (view.from_snapshot, view.as_of) == (True, taken)
    assert [m.exchange for m in view.markets] == ["binance", "okx"]  # home first
    assert [(u.exchange, u.reason) for u in view.unavailable] == [
        ("bybit", "bybit: exchange unavailable")
    ]
    assert view.liquidity.home_depth_2pct_usd == 40_000
    assert view.liquidity.global_depth_2pct_usd == 50_000  # min(40k + 10k, 55k + 12k)
    assert view.contributions is not None
    three = view.contributions[1]
    # 3% of 1,000,000,000 = 30,000,000 tokens × $0.02 = $600,000 = 15 × the $40,000 depth.
    assert (three.pct_of_supply, three.tokens) == (3, pytest.approx(30_000_000))
    assert (three.usd, three.depth_multiple) == (pytest.approx(600_000), pytest.approx(15))
    assert view.depth_chart is None and view.source == "demo"
    assert view.outreach.text == "contacted today · owner alice"

    okx_only = await token_report(services, "ZORB", "okx")
    assert [m.exchange for m in okx_only.markets] == ["okx"]
    assert okx_only.exchange_filter == "okx"
    assert okx_only.liquidity == view.liquidity  # aggregates still cover every venue


async def test_a_has_mm_reply_shows_in_the_next_answer(services: Services) -> None:
    await store_snapshot(services, [market()], NOW - timedelta(minutes=5))
    unknown = await token_report(services, "ZORB")
    assert unknown.mm_status == "unknown" and unknown.risk is not None
    assert "no_mm" not in unknown.risk.rules  # no history yet: information, not a risk
    await log_reply_declined(services, ALICE, "ZORB", "no budget", "d", ["market_maker"])
    before = await token_report(services, "ZORB")  # recorded "no market maker": a known absence
    assert before.mm_status == "none" and before.risk is not None
    assert "no_mm" in before.risk.rules

    await log_reply_has_mm(services, ALICE, "ZORB", "Wintermute", None, None, None, None, "m")
    after = await token_report(services, "ZORB")

    # An engagement recorded after the "none" counts again: claimed, judged once days pass.
    assert after.risk is not None and before.risk.score is not None
    assert after.mm_status == "claimed" and after.risk.mm_status == "claimed"
    assert "no_mm" not in after.risk.rules and after.risk.score == before.risk.score - 10
    assert after.mm_summary.startswith("Wintermute on record since 2026-11-25: 0 whole days")


async def test_unknown_token_names_the_venues_searched(
    services: Services, replay: Services
) -> None:
    with pytest.raises(UserFacingError) as caught:
        await token_report(services, "ZORB")  # the demo lists no ZORB
    assert caught.value.message == (
        "No market for ZORB on binance, okx, bybit (QUOTE_ASSETS: USDT, USDC, FDUSD)."
    )
    with pytest.raises(UserFacingError) as caught:
        await token_report(replay, "NOPE")
    assert caught.value.message == (
        "No market for NOPE on binance (QUOTE_ASSETS: USDT). Unavailable right now: okx."
    )


async def test_every_venue_down_is_said_plainly(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    nothing = make_services(market_source=f"replay:{tmp_path}", exchanges="binance,okx")
    with pytest.raises(UserFacingError) as caught:
        await token_report(nothing, "ZORB")
    assert caught.value.message == (
        "Cannot reach the exchanges right now (binance: not in the cassette: GET "
        "https://api.binance.com/api/v3/exchangeInfo; okx: not in the cassette: GET "
        "https://www.okx.com/api/v5/public/instruments?instType=SPOT) and no snapshot of ZORB is "
        "stored yet. Try again in a minute."
    )


async def test_a_venue_that_does_not_list_the_token_is_a_user_facing_error(
    services: Services,
) -> None:
    # Bad symbols and exchanges never get here: `/liquidity` parses its text once, at the edge
    # (tests/commands/test_args.py).
    await store_snapshot(services, [market()], NOW - timedelta(minutes=5))
    with pytest.raises(UserFacingError, match="No market for ZORB on bybit"):
        await token_report(services, "ZORB", "bybit")


async def test_a_demo_token_is_answered_live(services: Services) -> None:
    view = await token_report(services, "ZORBLE")
    assert not view.from_snapshot and view.unavailable == ()
    assert {m.exchange for m in view.markets} <= {"binance", "okx", "bybit"}
    assert all(m.base == "ZORBLE" for m in view.markets)
    assert view.risk is not None and view.risk.symbol == "ZORBLE"
    assert view.risk.score is not None and 0 <= view.risk.score <= 100


async def test_trend_is_the_home_books_daily_depth(services: Services) -> None:
    # Two days of home snapshots (binance ZORB/USDT and ZORB/USDC) and one okx one that the
    # home trend must not count. Day 1: the smaller of the side sums, as in the headline: bids
    # 40k + 12k = 52k, asks 55k + 10k = 65k → 52k (not 40k + 10k, a sum of per-pair minimums);
    # day 2 averages 20k and 30k.
    day1 = NOW - timedelta(days=2)
    await store_snapshot(
        services,
        [
            market(bid_usd=40_000, ask_usd=55_000, spread_bps=30),
            market("ZORB/USDC", bid_usd=12_000, ask_usd=10_000, spread_bps=80),
            market(exchange="okx", bid_usd=900_000, ask_usd=900_000),
        ],
        day1,
    )
    for minutes_ago, depth in ((50, 10_000), (20, 30_000)):
        await store_snapshot(
            services,
            [market(bid_usd=depth, ask_usd=depth, spread_bps=50)],
            NOW - timedelta(minutes=minutes_ago),
        )
    await store_supply(services, "ZORB", 1e9)

    view = await token_report(services, "ZORB")

    assert [(p.depth_2pct_usd, p.spread_bps) for p in view.trend] == [
        (pytest.approx(52_000), pytest.approx(30)),
        (pytest.approx(20_000), pytest.approx(50)),
    ]
    assert view.trend[0].day == day1.date()
