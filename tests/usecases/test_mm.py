"""Market-maker status from the records and the day-by-day checks kept as snapshots are stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db import repo_market, repo_outreach
from bot.domain.models import MarketMetrics
from bot.errors import UserFacingError
from bot.usecases.mm import mm_judgements, mm_report, mm_statuses
from bot.usecases.outreach import end_engagement, log_reply_declined, log_reply_has_mm
from bot.usecases.services import Services
from bot.usecases.snapshot import downsample_history
from tests.builders import ALICE, NOW, Clock, market
from tests.usecases.mm_history import store_hourly

START = datetime(2026, 11, 21, tzinfo=UTC)  # four whole days before NOW (Nov 25, 12:00)
EVERY = timedelta(hours=2)


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    return make_services(snapshot_interval_minutes=120)


def _books(at: datetime) -> list[MarketMetrics]:
    """ZORB: two home pairs that together quote ≥ $10k a side within 50 bps (but once, on
    Nov 22 at noon, at 90 bps); QUUX: deep but 80 bps wide at home (tight on okx, not home);
    ZIBB: the issue's book, 277 bps wide and $695 deep; FLIM: market-maker-like, from Nov 24."""
    wide = at == datetime(2026, 11, 22, 12, tzinfo=UTC)
    books = [
        market("ZORB/USDT", bid_usd=6_000, ask_usd=7_000, spread_bps=90 if wide else 20),
        market("ZORB/FDUSD", bid_usd=5_000, ask_usd=5_000, spread_bps=90 if wide else 35),
        market("QUUX/USDT", bid_usd=90_000, ask_usd=90_000, spread_bps=80),
        market("QUUX/USDT", "okx", bid_usd=90_000, ask_usd=90_000, spread_bps=5),
        market("ZIBB/USDT", bid_usd=695, ask_usd=900, spread_bps=277),
    ]
    if at >= datetime(2026, 11, 24, tzinfo=UTC):
        books.append(market("FLIM/USDT", bid_usd=20_000, ask_usd=20_000))
    return books


async def _history(services: Services, hours: int = 4 * 24 + 12) -> None:
    await store_hourly(services, START, hours, _books, EVERY)


async def test_statuses_come_from_whole_days_of_the_home_pairs(services: Services) -> None:
    await _history(services)
    statuses = await mm_statuses(services, ["ZORB", "QUUX", "FLIM", "ZIBB", "NONE"], NOW)
    assert statuses == {
        "ZORB": "observed",
        "QUUX": "none",
        "FLIM": "unknown",  # Nov 24 is its one whole day; Nov 25 is not over
        "ZIBB": "none",
        "NONE": "unknown",
    }
    # A scan asks for many tokens at once: their days are counted in SQL, to the same statuses.
    many = await mm_statuses(services, [*statuses, *(f"T{n}" for n in range(60))], NOW)
    assert {symbol: many[symbol] for symbol in statuses} == statuses
    judged = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
    assert (judged.tally.judged, judged.tally.met) == (4, 4)
    assert await mm_statuses(services, [], NOW) == {}
    # 25 hours of history: no whole day yet.
    assert (await mm_statuses(services, ["FLIM"], START + timedelta(days=4, hours=25)))[
        "FLIM"
    ] == "unknown"


async def test_the_issues_book_with_a_has_mm_reply_is_breached_at_once(
    services: Services,
) -> None:
    await _history(services)
    async with services.session() as session:
        [before] = [a for a in await repo_market.latest_assessments(session) if a.symbol == "ZIBB"]
    assert before.mm_status == "none" and "no_mm" in before.rules

    await log_reply_has_mm(
        services, ALICE, "ZIBB", "Wintermute", "2026-11-01", None, "50", "20000", "mm-1"
    )

    report = await mm_report(services, "ZIBB")
    assert report.status == "breached"
    assert report.explanation == (
        "Wintermute: obligations met on 0 of 4 days; median spread 277 bps > 50.0 bps; "
        "median ±2% depth $695 < $20k"
    )
    async with services.session() as session:
        [after] = [a for a in await repo_market.latest_assessments(session) if a.symbol == "ZIBB"]
    # Re-assessed at once: the score does not drop for a market maker that does not quote.
    assert after.mm_status == "breached" and after.score == before.score
    assert after.scan_id == before.scan_id and "mm_breached" in after.rules


async def test_down_sampling_old_snapshots_never_changes_a_status(
    make_services: Callable[..., Services], clock: Clock
) -> None:
    """The issue's book: market-maker-like 23 hours a day (here 11 of 12 two-hourly scans),
    the day's last snapshot not; 7 days of raw retention over a 14-day window."""
    services = make_services(snapshot_interval_minutes=120)
    start = NOW - timedelta(days=12, hours=12)

    def books(at: datetime) -> list[MarketMetrics]:
        late = at.hour == 22
        return [market("ZORB/USDT", bid_usd=20_000, ask_usd=20_000, spread_bps=80 if late else 20)]

    await store_hourly(services, start, 12 * 24 + 12, books, EVERY)
    before = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
    assert (before.status, before.tally.judged, before.tally.met) == ("observed", 12, 12)

    assert await downsample_history(services, NOW) > 0
    after = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
    assert after == before


async def test_mm_shows_the_last_14_days_and_the_firms_scorecard(services: Services) -> None:
    await _history(services)
    for symbol in ("ZORB", "QUUX"):
        await log_reply_has_mm(
            services, ALICE, symbol, "Wintermute", "2026-11-20", None, None, None, f"mm-{symbol}"
        )

    report = await mm_report(services, "zorb")

    assert (report.symbol, report.status, report.home_exchange) == ("ZORB", "verified", "binance")
    assert report.days[0].isoformat() == "2026-11-12" and report.days[-1] == NOW.date()
    wintermute, quoting = report.tracks
    assert (wintermute.label, wintermute.status) == ("Wintermute", "verified")
    marks = [wintermute.track.mark(day) for day in report.days]
    assert marks[:8] == ["not running"] * 8
    assert marks[8:] == ["no data", "met", "met", "met", "met", "partial"]
    assert quoting.status is None and quoting.track.met == 4
    [card] = report.scorecards
    assert (card.firm, card.tokens, card.breaches) == ("Wintermute", ("QUUX", "ZORB"), ("QUUX",))
    assert (card.days_judged, card.days_met) == (8, 4)
    assert [r.mm_name for r in report.engagements] == ["Wintermute"]


async def test_an_end_date_ends_the_open_ended_engagement_and_none_ends_them_all(
    services: Services, clock: Clock
) -> None:
    await _history(services)
    await log_reply_has_mm(services, ALICE, "QUUX", "GSR", None, None, None, None, "mm-1")
    assert (await mm_statuses(services, ["QUUX"], NOW))["QUUX"] == "claimed"
    await log_reply_has_mm(services, ALICE, "QUUX", "gsr", None, "2026-11-26", None, None, "mm-2")
    later = NOW + timedelta(days=2)
    assert (await mm_statuses(services, ["QUUX"], later))["QUUX"] == "none"  # from the books

    await log_reply_has_mm(services, ALICE, "ZORB", "Keyrock", None, None, None, None, "mm-3")
    await log_reply_declined(
        services, ALICE, "ZORB", "no MM after all", "d-1", ["market_maker"], True
    )
    assert (await mm_statuses(services, ["ZORB"], NOW))["ZORB"] == "none"  # recorded, not observed
    async with services.session() as session:
        [zorb] = [a for a in await repo_market.latest_assessments(session) if a.symbol == "ZORB"]
    assert zorb.mm_status == "none" and "no_mm" in zorb.rules  # re-assessed with the reply
    await log_reply_has_mm(services, ALICE, "ZORB", "Keyrock", None, None, None, None, "mm-4")
    judged = (await mm_judgements(services, ["ZORB"], NOW))["ZORB"]
    assert judged.status == "claimed" and judged.engagement is not None
    assert judged.engagement.ids == (judged.engagement.id,)  # a new engagement, not the old one


async def test_ending_the_engagement_in_the_case_ends_it_for_the_status(
    services: Services, clock: Clock
) -> None:
    await _history(services)
    await log_reply_has_mm(services, ALICE, "QUUX", "GSR", None, None, "50", "20000", "mm-1")
    assert (await mm_statuses(services, ["QUUX"], NOW))["QUUX"] == "claimed"
    await end_engagement(services, ALICE, "QUUX", None, "2026-11-25", "end-1")
    later = NOW + timedelta(days=2)
    judged = (await mm_judgements(services, ["QUUX"], later))["QUUX"]
    assert judged.status == "none"  # nothing running: judged from the books again
    async with services.session() as session:
        [first, ending] = await repo_outreach.engagements(session, ["QUUX"])
    assert (ending.supersedes_id, ending.until) == (first.id, date(2026, 11, 25))
    assert (ending.max_spread_bps, ending.min_depth_usd) == (50.0, 20_000.0)  # carried over


async def test_mm_report_of_an_unknown_token_is_a_clear_error(services: Services) -> None:
    with pytest.raises(UserFacingError, match="Nothing known about ZORB"):
        await mm_report(services, "ZORB")
    with pytest.raises(UserFacingError, match="not a token symbol"):
        await mm_report(services, "ZORB; DROP")
