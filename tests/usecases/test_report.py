"""The weekly report of 2026-W47 on a generated fortnight (tests/report_scenario.py), every
figure worked out by hand; its text lines and its charts' data."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.pipeline import StageMove
from bot.presenters.report import report_lines, report_text
from bot.presenters.report_charts import (
    depth_change_chart,
    funnel_chart,
    pledges_chart,
    report_chart_files,
)
from bot.usecases.report import AtRiskToken, WeeklyReport, build_report
from bot.usecases.services import Services
from tests.builders import Clock
from tests.report_scenario import WEEK, store_fortnight

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def report(services: Services, clock: Clock) -> WeeklyReport:
    await store_fortnight(services, clock)
    return await build_report(services, WEEK)


async def test_the_weeks_figures(report: WeeklyReport) -> None:
    assert (report.first_day, report.last_day) == (date(2026, 11, 16), date(2026, 11, 22))
    assert report.at_risk == (
        AtRiskToken("AAA", "high", 3, 80),  # high twice, medium once; CCC only outside the week
        AtRiskToken("BBB", "medium", 1, 35),
    )
    assert report.at_risk_at_end == 1  # the 22 Nov scan: AAA high, BBB low
    assert report.opened == (StageMove("OPEN1", "not contacted", "in talks"),)
    assert report.moved == (StageMove("MOVE1", "contacted", "declined"),)
    assert report.funnel == (
        ("contacted", 1),  # AAA
        ("in talks", 2),  # OPEN1, STAY1
        ("agreed", 0),
        ("delivered", 0),
        ("declined", 1),  # MOVE1
        ("no response", 0),
        ("closed", 0),
    )  # LATE1 was contacted after the week
    r = report.responses
    assert (r.contacted, r.answered, r.answers_in_span, r.rate) == (4, 3, 2, 0.75)
    [pledge] = report.pledges
    assert (pledge.symbol, pledge.pct_of_supply, pledge.tokens) == ("OPEN1", 2.0, 2_000_000)
    assert (pledge.usd, pledge.absorbable_usd) == pytest.approx((40_000, 25_000))
    assert [(p.symbol, round(p.pledged_usd), p.received_usd) for p in report.pledged_received] == [
        ("OPEN1", 40_000, 0.0),
        ("STAY1", 2_000, 0.0),
    ]
    assert report.delivered == () and report.mm_verified == () and report.mm_breached == ()
    aaa, move1 = report.depth_after_outreach
    assert (aaa.symbol, aaa.contacted, aaa.change.before_usd, aaa.change.after_usd) == (
        "AAA",
        date(2026, 11, 10),
        5_000,
        20_000,
    )
    assert aaa.change.change == 3.0 and aaa.change.complete
    assert (move1.change.before_days, move1.change.after_days) == (7, 3)
    assert move1.change.change == pytest.approx(-0.2)


async def test_the_report_reads_as_a_person_would_say_it(report: WeeklyReport) -> None:
    assert report_lines(report) == [
        "At risk during the week: 2 tokens (1 high, 1 medium at their worst); 1 in the week's "
        "last scan. AAA (high, up to 80), BBB (medium, up to 35).",
        "Cases: 1 opened: OPEN1 (now in talks); 1 moved: MOVE1 (contacted → declined).",
        "Pipeline at the week's end: contacted 1 · in talks 2 · agreed 0 · delivered 0 · "
        "declined 1 · no response 0 · closed 0",
        "Response rate: 3 of 4 contacted projects answered (75%); 2 answers this week.",
        "Pledges this week: 1, $40k at mid, $25k absorbable within ±2%: OPEN1 2% of supply: 2M "
        "tokens, $40k at mid, $25k absorbable within ±2%.",
        "Delivered this week: none (no contribution recorded as received in the week).",
        "Market makers in the week's last scan: verified none; breached none.",
        "Depth after outreach (first contacted the week before; daily median home ±2% depth, 7 "
        "days before vs 7 days after): AAA $5k → $20k (+300%); MOVE1 $10k → $8k (-20%) [7+3 of "
        "14 days].",
    ]
    assert report_text(report).splitlines()[:2] == [
        "DEMO DATA — fictional tokens, not market data",
        "Weekly liquidity report 2026-W47 (2026-11-16 to 2026-11-22)",
    ]


async def test_the_charts_plot_the_reports_figures(report: WeeklyReport) -> None:
    funnel = funnel_chart(report)
    assert funnel.series == report.funnel and funnel.png.startswith(PNG)
    pledges = pledges_chart(report)
    assert [(s, round(p), r) for s, p, r in pledges.series] == [
        ("OPEN1", 40_000, 0.0),
        ("STAY1", 2_000, 0.0),
    ]
    depth = depth_change_chart(report, "DEMO DATA")
    assert depth.series == (("AAA", 5_000, 20_000), ("MOVE1", 10_000, 8_000))
    files = report_chart_files(report)
    assert [f.filename for f in files] == [
        "report-2026-W47-pipeline.png",
        "report-2026-W47-pledges.png",
        "report-2026-W47-depth-after-outreach.png",
    ]


async def test_an_empty_week_says_none_rather_than_nothing(services: Services) -> None:
    report = await build_report(services, "2026-W47")
    assert report_lines(report) == [
        "At risk during the week: none.",
        "Cases: 0 opened; 0 moved.",
        "Pipeline at the week's end: contacted 0 · in talks 0 · agreed 0 · delivered 0 · "
        "declined 0 · no response 0 · closed 0",
        "Response rate: no project contacted yet; 0 answers this week.",
        "Pledges this week: none.",
        "Delivered this week: none (no contribution recorded as received in the week).",
        "Market makers in the week's last scan: verified none; breached none.",
        "Depth after outreach (first contacted the week before; daily median home ±2% depth, 7 "
        "days before vs 7 days after): no project was first contacted the week before.",
    ]
    assert report_chart_files(report) == []
