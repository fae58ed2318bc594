"""The evidence pack of a token up for review, checked by value: the daily metrics CSV, the case
timeline CSV, the one-page summary and the chart's file (tests/review_scenario.py's DECLO)."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.presenters.history_chart import history_chart
from bot.presenters.review_pack import pack_files, summary_markdown
from bot.usecases.review_decide import decide_review
from bot.usecases.review_pack import review_pack
from bot.usecases.services import Services
from tests.builders import ALICE, Clock
from tests.review_scenario import store_review_tokens


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


async def test_the_pack_is_four_files_a_reviewer_can_forward(
    services: Services, clock: Clock
) -> None:
    await store_review_tokens(services, clock)
    clock.advance(minutes=5)
    await decide_review(services, ALICE, "DECLO", "not_now", 0)
    pack = await review_pack(services, "declo")
    files = pack_files(pack, "DEMO DATA")
    assert [f.filename for f in files] == [
        "DECLO-review-summary.md",
        "DECLO-history-90d.png",
        "DECLO-daily-metrics.csv",
        "DECLO-case-timeline.csv",
    ]
    summary, chart, daily, timeline = files
    assert chart.content.startswith(b"\x89PNG")

    days = _csv(daily.content)
    assert len(days) == 23  # 1..24 Nov without the 15th
    assert days[0] == {
        "day": "2026-11-01",
        "scans": "1",
        "home_depth_2pct_usd": "80000",
        "global_depth_2pct_usd": "80000",
        "home_spread_bps": "150.0",
        "under_floor": "False",
        "counted_for_review": "True",
    }
    assert [d["day"] for d in days if d["under_floor"] == "True"][:7] == [
        f"2026-11-{n:02d}" for n in (9, 10, 11, 12, 13, 14, 16)
    ]

    events = _csv(timeline.content)
    assert [(e["kind"], e["by"], e["summary"]) for e in events] == [
        ("contact", "alice", "Outreach by email"),  # the case's entries, names as stored
        ("declined", "bob", "Declined the contribution: no budget"),
        ("review_not_now", "U_ALICE", "Not now (until 2026-12-25) by U_ALICE on 2026-11-25"),
    ]
    assert (events[1]["depth_before_usd"], events[1]["depth_after_usd"]) == ("8000", "8000")

    text = summary.content.decode()
    assert text == summary_markdown(pack)
    for line in (
        "# DECLO: monitoring-tag review evidence",
        "**Meets the monitoring-tag review criteria: yes** (last decision: Not now (until "
        "2026-12-25) by U_ALICE on 2026-11-25).",
        "- Depth: 15 of the last 30 days under $50k (daily median home ±2% depth; 23 days with "
        "data, latest $8k on 2026-11-24)",
        "- Contribution declined on 2026-11-10 (logged by U_BOB): “no budget”",
        "- Case stage: declined · market maker: unknown",
        "| last day (2026-11-24) | $8k | $8k | 150 bps |",
        "| median of the last 7 days | $8k | $8k | 150 bps |",
        "| median of the last 30 days | $8k | $8k | 150 bps |",  # 15 days at $8k, 8 at $80k
        "- 2026-11-07 contact (email) (alice)",  # the name stored with the event
        "- 2026-11-10 declined (bob)",
        "Turning point of the case: contact (email), 2026-11-07: home ±2% depth $80k → $8k "
        "(-90%), medians of the 7 days before and after.",
        "Attached: `DECLO-daily-metrics.csv`, `DECLO-case-timeline.csv`, `DECLO-history-90d.png`.",
    ):
        assert line in text.splitlines(), line
    assert "DEMO DATA" in text


async def test_a_day_without_a_scan_is_a_gap_in_the_chart(services: Services, clock: Clock) -> None:
    await store_review_tokens(services, clock)
    series = history_chart((await review_pack(services, "DECLO")).history).series
    assert len(series.days) == 24 and series.days[14] == date(2026, 11, 15)
    assert series.home_depth_usd[13:16] == (8_000, None, 8_000)
