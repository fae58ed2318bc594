"""The digest's change since the previous digest (±2% depth, tier moves, new, recovered) and the
watched tokens it always shows. Depths by hand: store_batch gives each token its ±2% depth."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.presenters.digest import MAX_MAIN_ROWS, digest_message, render_digest_text
from bot.usecases.digest import build_digest
from bot.usecases.digest_changes import TokenChange, WatchedRow
from bot.usecases.watch import set_watch
from jobs.digest import run_digest
from tests.builders import Clock, Token, store_batch
from tests.conftest import MakeServices
from tests.jobs.test_digest_presenter import assert_within_slack_limits, digest

YESTERDAY_NINE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
YESTERDAY_EVENING = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
THIS_MORNING = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
NINE = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

BEFORE = [
    Token("AAA", "high", 80, depth_usd=10_000),
    Token("BBB", "medium", 40, depth_usd=40_000),
    Token("EEE", "low", 10, depth_usd=80_000),
]
NOW = [
    Token("AAA", "high", 85, depth_usd=4_000),  # -60%
    Token("BBB", "low", 20, depth_usd=60_000),  # recovered, +50%
    Token("DDD", "high", 65, depth_usd=900),  # not in the previous digest
    Token("EEE", "medium", 35, depth_usd=40_000),  # new at risk, -50%
    Token("FFF", "low", 5, depth_usd=200_000),  # watched only
]


async def test_rows_show_the_change_and_watched_tokens_always_appear(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services()
    await store_batch(services, YESTERDAY_EVENING, BEFORE)
    await store_batch(services, THIS_MORNING, NOW)
    clock.now = THIS_MORNING
    for symbol in ("AAA", "BBB", "EEE", "FFF"):
        await set_watch(services, symbol, True, "U0ALICE")
    clock.now = NINE
    digest = await build_digest(services)

    rows = {r.symbol: r for r in digest.rows}
    assert [s for s in rows] == ["AAA", "DDD", "EEE"]
    assert rows["AAA"].watched and not rows["DDD"].watched
    aaa = rows["AAA"].change
    assert aaa is not None and aaa.depth_change_pct == -60.0 and not aaa.tier_moved
    assert [w.symbol for w in digest.watched] == ["BBB", "FFF"]
    # Ranked past the top rows, a watched token is shown with the watched ones too.
    top_one = await build_digest(services, top_n=1)
    assert [w.symbol for w in top_one.watched] == ["BBB", "EEE", "FFF"]

    text = render_digest_text(digest)
    assert "   since the previous digest: ±2% depth -60% ($10k → $4k)" in text
    assert "   not in the previous digest" in text  # DDD
    assert "   since the previous digest: tier low → medium, ±2% depth -50% ($80k → $40k)" in text
    assert (
        "BBB · low 20 · ±2% depth $60k · since the previous digest: recovered (was medium), "
        "±2% depth +50% ($40k → $60k)"
    ) in text
    assert "FFF · low 5 · ±2% depth $200k · not in the previous digest" in text
    message = digest_message(digest)
    (watched,) = [b for b in message.blocks if "Watched (2)" in str(b.get("text"))]
    assert "BBB · low 20" in watched["text"]["text"]
    aaa_row = next(b for b in message.blocks if b.get("block_id") == "token:AAA")
    assert ":eyes: watched\n" in aaa_row["text"]["text"]
    assert "\nSince the previous digest: ±2% depth -60% ($10k → $4k)\n" in aaa_row["text"]["text"]


async def test_the_change_is_since_the_previous_digest_not_the_last_scan(
    make_services: MakeServices, clock: Clock
) -> None:
    services = make_services(snapshot_interval_minutes=60 * 24)  # no scan before the digest
    await store_batch(services, YESTERDAY_NINE - (NINE - THIS_MORNING), BEFORE)
    clock.now = YESTERDAY_NINE
    assert (await run_digest(services)).status == "posted"  # yesterday's digest
    await store_batch(services, YESTERDAY_EVENING, NOW)  # the day went on
    await store_batch(services, THIS_MORNING, NOW)
    clock.now = NINE
    digest = await build_digest(services)

    assert digest.compared_with == YESTERDAY_NINE - (NINE - THIS_MORNING)
    assert digest.new_today == ("DDD", "EEE")  # at risk now, not in yesterday's digest
    assert digest.recovered == ("BBB",)
    aaa = digest.rows[0].change
    assert aaa is not None and aaa.previous_depth_2pct_usd == 10_000


async def test_the_first_digest_has_no_change(make_services: MakeServices, clock: Clock) -> None:
    services = make_services()
    await store_batch(services, THIS_MORNING, NOW)
    clock.now = NINE
    digest = await build_digest(services)
    assert all(r.change is not None and not r.change.compared for r in digest.rows)
    assert "since the previous digest" not in render_digest_text(digest)


def test_a_full_digest_with_many_watched_tokens_stays_within_block_kit() -> None:
    change = TokenChange(True, "high", 1_000.0, "low", 250_000.0)
    watched = tuple(
        WatchedRow(f"WATCHED{i:03d}", "low", 5, 250_000.0, False, change) for i in range(200)
    )
    full = replace(digest(60, top_n=40), watched=watched)
    message = digest_message(full)
    assert_within_slack_limits(message.blocks, message.text)
    assert sum(1 for b in message.blocks if b["type"] == "actions") == MAX_MAIN_ROWS - 1
    (block,) = [b for b in message.blocks if "Watched (200)" in str(b.get("text"))]
    assert block["text"]["text"].endswith("more watched tokens")
    assert "recovered (was high), ±2% depth +24,900% ($1k → $250k)" in block["text"]["text"]
