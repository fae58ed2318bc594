"""`/liquidity TOKEN history`: daily medians from the stored scans, the case's events, and the
chart's data (what is plotted, by value; the PNG itself is only checked to be one)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.errors import UserFacingError
from bot.presenters.history_chart import history_chart
from bot.presenters.history_series import before_after_caption, history_filename, history_title
from bot.usecases.history import token_history
from bot.usecases.services import Services
from tests.builders import NOW, Clock, market, store_snapshot
from tests.history_builders import Figures, store_scan_of
from tests.history_scenario import (
    CONTACT_DAY,
    ENGAGEMENT_DAY,
    FIRST_DAY,
    LAST_DAY,
    PLEDGE_DAY,
    store_engagement_story,
)

PNG = b"\x89PNG\r\n\x1a\n"


async def test_the_history_has_one_median_per_day_and_the_cases_events(
    services: Services, clock: Clock
) -> None:
    await store_engagement_story(services, clock)
    history = await token_history(services, "ZORB", 30)
    assert (history.first_day, history.last_day) == (date(2026, 10, 27), date(2026, 11, 25))
    assert [d.day for d in history.days] == [
        FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)
    ]
    # Three scans a day at ½×, 1×, 2× the day's figures: the median is the figure itself.
    figures = {
        (
            d.day >= ENGAGEMENT_DAY,
            d.scans,
            d.home_depth_2pct_usd,
            d.global_depth_2pct_usd,
            d.home_spread_bps,
        )
        for d in history.days
    }
    assert figures == {(False, 3, 4_000, 12_000, 300), (True, 3, 60_000, 90_000, 40)}
    assert [(e.day, e.kind, e.label) for e in history.events] == [
        (CONTACT_DAY, "contact", "contact (telegram)"),
        (ENGAGEMENT_DAY, "engagement_start", "engagement start: Wintermute"),
        (PLEDGE_DAY, "pledge", "pledge 3%, $600k"),  # 3% of 1B tokens at the $0.02 mid
    ]
    assert history.floor_usd == 50_000


async def test_the_chart_shows_depth_rising_after_the_engagement_started(
    services: Services, clock: Clock
) -> None:
    await store_engagement_story(services, clock)
    history = await token_history(services, "ZORB", 90)
    image = history_chart(history, "DEMO DATA")
    series = image.series
    assert image.png.startswith(PNG)
    assert series.days[0] == FIRST_DAY and len(series.days) == 24
    assert (
        series.home_depth_usd[:12] == (4_000,) * 12 and series.home_depth_usd[12:] == (60_000,) * 12
    )
    assert series.global_depth_usd[11:13] == (12_000, 90_000)
    assert series.spread_bps[11:13] == (300, 40)
    assert [kind for _, kind, _ in series.events] == ["contact", "engagement_start", "pledge"]
    # The turning point is the engagement start: the 7 days before it against the 7 after.
    change = series.turning_point
    assert change is not None and change.around == ENGAGEMENT_DAY and change.complete
    assert (change.before_usd, change.after_usd, change.change) == (4_000, 60_000, 14.0)
    assert series.turning_label == "engagement start: Wintermute"
    assert before_after_caption(series) == (
        "engagement start: Wintermute, 2026-11-13: home ±2% depth $4k → $60k (+1400%), medians "
        "of the 7 days before and after"
    )
    assert series.depth_log and not series.spread_log  # $4k..$90k spans 22×; 40..300 bps 7.5×
    assert history_filename(history) == "ZORB-history-90d.png"
    assert history_title(history) == (
        "ZORB: daily ±2% depth and spread, last 90 days (24 days of history, 2026-11-01 to "
        "2026-11-24)"
    )


async def test_day_one_is_one_labelled_point(services: Services) -> None:
    await store_scan_of(services, NOW, [Figures("ZORB", 4_300, None, 180)])
    image = history_chart(await token_history(services, "ZORB", 30))
    series = image.series
    assert (series.days, series.home_depth_usd, series.global_depth_usd) == (
        (date(2026, 11, 25),),
        (4_300,),
        (4_300,),
    )
    assert series.events == () and series.turning_point is None
    assert image.png.startswith(PNG)


async def test_nothing_to_draw_is_said_plainly(services: Services) -> None:
    with pytest.raises(UserFacingError, match="Nothing stored about NOPE yet"):
        await token_history(services, "NOPE", 30)
    # Traded elsewhere, never assessed (the home exchange does not list it).
    await store_snapshot(services, [market("OKXONLY/USDT", "okx")], NOW)
    with pytest.raises(UserFacingError, match="keeps the history of the tokens binance lists"):
        await token_history(services, "OKXONLY", 30)
