"""The digest's Slack messages stay within Block Kit's limits at any list size; text fallbacks."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.market import DEMO_BANNER
from bot.presenters.actions import actions_block_id, token_block_id
from bot.presenters.digest import (
    CSV_AFTER_ROWS,
    MAX_MAIN_ROWS,
    THREAD_ROWS_PER_MESSAGE,
    digest_csv,
    digest_message,
    fallback_text,
    marker_block_id,
    render_digest_text,
    thread_messages,
    uses_csv,
)
from bot.usecases.digest import Digest, DigestRow, VenueNotScanned
from bot.usecases.digest_changes import TokenChange
from bot.usecases.outreach import OUTREACH_FORMS

AS_OF = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def row(rank: int, **changes: Any) -> DigestRow:
    base = DigestRow(
        rank=rank,
        symbol=f"TOK{rank:04d}",
        tier="high" if rank <= 10 else "medium",
        score=max(99 - rank // 10, 31),
        reasons=("±2% depth $4.3k < $50k", "spread 180 bps > 100 bps"),
        mm_status="observed",
        home_depth_2pct_usd=4_300.0,
        depth_truncated=False,
        home_spread_bps=180.0,
        home_volume_24h_usd=12_000.0,
        market_cap_usd=None,
        outreach="not contacted",
        new_today=rank % 2 == 0,
    )
    return replace(base, **changes)


def digest(count: int, top_n: int = 10, **changes: Any) -> Digest:
    rows = tuple(row(i) for i in range(1, count + 1))
    high = sum(1 for r in rows if r.tier == "high")
    base = Digest(
        day="2026-11-25",
        as_of=AS_OF,
        source="live",
        scanned_now=False,
        markets_scanned=2_000,
        markets_ok=1_990,
        tokens_assessed=max(count, 1) + 100,
        at_risk={"high": high, "medium": count - high},
        new_today=tuple(r.symbol for r in rows if r.new_today),
        recovered=("OLDRISK",),
        compared_with=datetime(2026, 11, 24, 23, 0, tzinfo=UTC),
        snoozed=(),
        top=rows[:top_n],
        rest=rows[top_n:],
        venues_not_scanned=(),
    )
    return replace(base, **changes)


def assert_within_slack_limits(blocks: list[dict[str, Any]], text: str) -> None:
    assert len(blocks) <= 50
    assert 0 < len(text) <= 40_000
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)) <= 25


@pytest.mark.parametrize(("count", "top_n"), [(0, 10), (1, 10), (40, 40), (75, 10), (500, 10)])
def test_every_size_fits_block_kit(count: int, top_n: int) -> None:
    d = digest(count, top_n)
    main = digest_message(d)
    assert_within_slack_limits(main.blocks, main.text)
    for reply in thread_messages(d):
        assert_within_slack_limits(reply.blocks, reply.text)
    shown = [b["block_id"] for b in main.blocks if b.get("block_id", "").startswith("token:")]
    listed_in_thread = sum(t.text.count("\n") for t in thread_messages(d))
    csv_rows = len(digest_csv(d).splitlines()) - 1 if uses_csv(d) else 0
    # Every listed token appears exactly once: main message, thread replies or the CSV.
    assert len(shown) == min(count, top_n, MAX_MAIN_ROWS)
    if uses_csv(d):
        assert csv_rows == count
    else:
        assert len(shown) + listed_in_thread == count


def test_top_rows_carry_block_ids_and_the_outreach_buttons() -> None:
    main = digest_message(digest(3)).blocks
    sections = [i for i, b in enumerate(main) if b.get("block_id", "").startswith("token:")]
    for index, symbol in zip(sections, ["TOK0001", "TOK0002", "TOK0003"], strict=True):
        assert main[index]["block_id"] == token_block_id(symbol)
        buttons = main[index + 1]
        assert buttons["type"] == "actions"
        assert buttons["block_id"] == actions_block_id(symbol)
        assert [e["action_id"] for e in buttons["elements"]] == [
            f.action_id for f in OUTREACH_FORMS
        ]
        assert {e["value"] for e in buttons["elements"]} == {symbol}
    assert main[0]["block_id"] == marker_block_id("2026-11-25")


def test_a_top_n_beyond_the_block_limit_moves_the_overflow_to_the_thread() -> None:
    d = digest(40, top_n=40)
    main = digest_message(d)
    assert sum(1 for b in main.blocks if b["type"] == "actions") == MAX_MAIN_ROWS == 22
    (reply,) = thread_messages(d)  # 18 rows: one reply
    assert "At-risk tokens 23–40" in reply.text
    assert "18 more at-risk tokens in the thread" in main.text


def test_the_thread_is_chunked_and_a_long_rest_becomes_a_csv() -> None:
    sixty = digest(10 + CSV_AFTER_ROWS)
    assert not uses_csv(sixty)
    replies = thread_messages(sixty)
    assert len(replies) == CSV_AFTER_ROWS // THREAD_ROWS_PER_MESSAGE == 3
    assert "At-risk tokens 11–30" in replies[0].text
    assert "At-risk tokens 51–70" in replies[2].text

    many = digest(500)
    assert uses_csv(many) and thread_messages(many) == []
    assert "490 more at-risk tokens in the attached CSV" in digest_message(many).text
    table = list(csv.DictReader(io.StringIO(digest_csv(many))))
    assert len(table) == 500
    assert table[0]["symbol"] == "TOK0001" and table[0]["home_depth_2pct_usd"] == "4300"
    assert table[0]["reasons"] == "±2% depth $4.3k < $50k; spread 180 bps > 100 bps"
    assert table[499]["rank"] == "500" and table[499]["tier"] == "medium"


def test_a_huge_row_is_cut_to_the_section_limit() -> None:
    d = digest(1, top=(row(1, reasons=("x" * 5000,)),))
    section = next(b for b in digest_message(d).blocks if b.get("block_id") == "token:TOK0001")
    assert len(section["text"]["text"]) == 3000
    assert section["text"]["text"].endswith("…")


def test_slack_text_is_escaped_and_the_terminal_text_is_not() -> None:
    d = digest(1)
    main = digest_message(d)
    section = next(b for b in main.blocks if b.get("block_id") == "token:TOK0001")
    assert "$4.3k &lt; $50k" in section["text"]["text"]
    assert "&lt;" in main.text and "<" not in main.text
    assert "$4.3k < $50k" in render_digest_text(d)


def test_key_numbers_and_mm_wording_in_a_row() -> None:
    text = render_digest_text(digest(1, top=(row(1, depth_truncated=True, market_cap_usd=3.1e6),)))
    assert (
        "±2% depth ≥$4.3k · spread 180 bps · 24h vol $12k · mkt cap $3.1M · "
        "MM market-maker-like liquidity"
    ) in text


def test_counts_all_clear_demo_banner_and_unscanned_venues() -> None:
    d = digest(
        0,
        source="demo",
        recovered=(),
        venues_not_scanned=(VenueNotScanned("okx", "exchange unavailable: timeout"),),
    )
    text = render_digest_text(d)
    assert text.splitlines()[0] == DEMO_BANNER
    assert "All clear: no token at risk today." in text
    assert "NOT SCANNED: okx (exchange unavailable: timeout)" in text
    assert "2000 markets scanned (1990 ok)" in text
    blocks = digest_message(d).blocks
    assert DEMO_BANNER in blocks[1]["text"]["text"]
    assert not [b for b in blocks if b["type"] == "actions"]
    assert "All clear" in fallback_text(d)


def test_counts_line_names_new_recovered_and_snoozed() -> None:
    d = digest(4, snoozed=("SNZ1", "SNZ2"))
    lines = render_digest_text(d).splitlines()
    assert "4 tokens at risk: 4 high, 0 medium" in lines
    assert "2 new today, 1 recovered since the previous digest (OLDRISK)" in lines
    assert "2 snoozed, not listed: SNZ1, SNZ2" in lines


def test_nothing_assessed_is_not_called_all_clear() -> None:
    d = digest(0, tokens_assessed=0, markets_scanned=0, markets_ok=0)
    text = render_digest_text(d)
    assert "All clear" not in text
    assert "No token could be assessed" in text


def test_data_issues_are_counted_apart_from_the_risks() -> None:
    d = digest(2, data_issues=("BRIXLET", "WUMBUM"))
    lines = render_digest_text(d).splitlines()
    assert "2 tokens at risk: 2 high, 0 medium" in lines
    assert "2 data issues, not rated (no usable home book): BRIXLET, WUMBUM" in lines
    assert "data issues" not in render_digest_text(digest(2))


def test_the_scan_time_is_shown_in_the_teams_zone_with_its_label() -> None:
    assert f"(scan of {AS_OF:%Y-%m-%d %H:%M} UTC)" in render_digest_text(digest(1))
    berlin = render_digest_text(digest(1, timezone="Europe/Berlin"))
    assert f"(scan of {AS_OF.astimezone(ZoneInfo('Europe/Berlin')):%Y-%m-%d %H:%M} CET)" in berlin


def test_the_csv_carries_the_change_since_the_previous_digest() -> None:
    dropped = TokenChange(True, "medium", 6_450.0, "high", 695.0)  # (695 − 6450) / 6450 = −89.2%
    first_seen = TokenChange(True, None, None, "high", 4_300.0)
    nothing_to_compare = TokenChange(False, None, None, "high", 4_300.0)
    d = digest(500)
    top = list(d.top)
    top[0] = replace(top[0], change=dropped)
    top[1] = replace(top[1], change=first_seen)
    top[2] = replace(top[2], change=nothing_to_compare)
    table = list(csv.DictReader(io.StringIO(digest_csv(replace(d, top=tuple(top))))))
    changes = [
        (t["previous_tier"], t["previous_home_depth_2pct_usd"], t["depth_change_pct"])
        for t in table[:4]
    ]
    assert changes == [("medium", "6450", "-89.2"), ("", "", ""), ("", "", ""), ("", "", "")]
