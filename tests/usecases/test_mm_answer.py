"""`/mm TOKEN` as a user sees it: the status, the last 14 days as marks with the figures against
the obligations, each firm's scorecard across tokens, the records on file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.presenters.blocks_mm import mm_blocks
from bot.presenters.text_mm import mm_summary, mm_text
from bot.usecases.mm import mm_report
from bot.usecases.outreach import log_reply_has_mm
from bot.usecases.services import Services
from tests.builders import ALICE
from tests.fakes.slack_blocks import block_errors
from tests.usecases.mm_history import store_hourly
from tests.usecases.test_mm import EVERY, START, _books


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    return make_services(snapshot_interval_minutes=120)


async def test_mm_answer_shows_days_figures_and_the_scorecard(services: Services) -> None:
    await store_hourly(services, START, 4 * 24 + 12, _books, EVERY)
    # ZORB's Wintermute names no obligations: the RISK_MM_ defaults (50 bps, $10k) apply.
    await log_reply_has_mm(
        services, ALICE, "ZORB", "Wintermute", "2026-11-20", None, None, None, "1"
    )
    await log_reply_has_mm(
        services, ALICE, "ZIBB", "Wintermute", "2026-11-20", None, "50", "20000", "2"
    )

    report = await mm_report(services, "ZIBB")
    text = mm_text(report)

    assert mm_summary(report) == (
        "ZIBB: market maker breached — Wintermute: obligations met on 0 of 4 days; median "
        "spread 277 bps > 50.0 bps; median ±2% depth $695 < $20k"
    )
    assert "Last 14 days on binance (2026-11-12 → 2026-11-25, oldest first)" in text
    assert (
        "    ––––––––·✗✗✗✗◌  met 0 of 4 days · median spread 277 bps (max 50.0 bps) · median "
        "±2% depth $695 (min $20k per side) · uptime ≥ 75%"
    ) in text
    assert (
        "  - Wintermute: 2 tokens (ZIBB, ZORB) · obligations met on 4 of 8 days · breached on ZIBB"
    ) in text
    assert "max spread 50.0 bps, min ±2% depth $20k per side (reply, logged by U_ALICE)" in text

    blocks = mm_blocks(report)
    assert block_errors(blocks, 50) == []
    assert blocks[0]["text"]["text"] == "ZIBB market maker: breached"
    shown = "\n".join(b.get("text", {}).get("text", "") for b in blocks if b["type"] == "section")
    assert "`––––––––·✗✗✗✗◌`" in shown and "breached on ZIBB" in shown
