"""Block Kit and text presenters: hand-computed figures, and Slack's limits at any size."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bot.domain.outreach import derive_case
from bot.domain.timeline import CaseEvent
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_atrisk import atrisk_blocks
from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    annotate_token_row,
    chunk_lines,
    code_block,
    context,
    fit_blocks,
    header,
    notes_block_id,
    section,
)
from bot.presenters.blocks_home import home_view
from bot.presenters.blocks_liquidity import liquidity_blocks
from bot.presenters.blocks_outreach import outreach_blocks, restate_outreach
from bot.presenters.text_atrisk import atrisk_text
from bot.presenters.text_liquidity import (
    contribution_lines,
    liquidity_text,
    trend_value,
    venue_table,
)
from bot.presenters.text_outreach import outreach_text
from bot.usecases.home import HomeSummary
from bot.usecases.outreach.case import OutreachState, case_rows
from bot.usecases.token import TrendPoint
from tests.builders import NOW, assessment, at_risk_list, case_view, demo_settings, zorb_view
from tests.fakes.slack_blocks import block_errors, view_errors


def slack_errors(blocks: list[dict[str, Any]], limit: int = 50) -> list[str]:
    # The stand-in wants action_ids unique across a message; Slack only within a block, and
    # every row of a list repeats the outreach buttons.
    return [e for e in block_errors(blocks, limit) if "duplicate action_id" not in e]


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_venue_table_rows() -> None:
    header_line, binance, okx, bybit, crossed = venue_table(zorb_view())

    assert cells(header_line) == [
        "venue", "pair", "spread bps", "bid -2%", "ask +2%", "slip 10k b/s", "slip 50k b/s",
        "24h vol",
    ]  # fmt: skip
    assert cells(binance) == [
        "binance", "ZORB/USDT", "20.0", "$40k", "$55k", "15.0/17.5", "61.0/–", "$200k",
    ]  # fmt: skip
    assert cells(okx) == ["okx", "ZORB/USDT", "35.0", "$10k", "$12k", "120/95.0", "–/–", "$50k"]
    assert cells(bybit)[:2] == ["bybit", "ZORB/USDT*"]  # left out of the aggregates
    assert crossed == "okx ZORB/USDC: error: crossed book: best bid 0.021 >= best ask 0.02"


def test_contribution_scenarios_next_to_todays_depth() -> None:
    # 1% of 1B tokens = 10M at $0.02 = $200k, 5× the home ±2% depth of $40k (the bid side).
    assert contribution_lines(zorb_view()) == [
        "1% of supply = 10M ZORB ≈ $200k = 5.0× today's home ±2% depth ($40k)",
        "3% of supply = 30M ZORB ≈ $600k = 15× today's home ±2% depth ($40k)",
        "5% of supply = 50M ZORB ≈ $1M = 25× today's home ±2% depth ($40k)",
    ]
    assert contribution_lines(zorb_view(supply=None)) == [
        "Circulating supply unknown: import it (liqbot supply import) to see what 1–5% of "
        "supply is worth."
    ]


def test_liquidity_text_has_aggregates_exclusions_and_unavailable_venues() -> None:
    text = liquidity_text(zorb_view())

    assert text.startswith("ZORB (Zorb Protocol) · tier low, score 18/100\n")
    # Home: binance only; global: binance + okx (bybit excluded): bid 50k, ask 67k.
    assert "Home ±2% depth (binance): $40k (bid $40k / ask $55k)" in text
    assert "Global ±2% depth: $50k (bid $50k / ask $67k)" in text
    assert "24h volume: home $200k · global $250k" in text
    assert "Home share: 81.2% of ±2% depth · 80.0% of volume" in text  # 95/117, 200/250
    assert "Market cap: $20M · 1B circulating" in text  # 1B tokens × $0.02
    assert "bybit ZORB/USDT: mid $0.05 deviates 150% from home mid $0.02" in text
    assert "Unavailable now:\n  kraken: timed out after 10 s" in text
    assert "Outreach: contacted 2 days ago · owner bob" in text


def test_liquidity_blocks() -> None:
    blocks = liquidity_blocks(zorb_view())

    assert slack_errors(blocks) == []
    row = next(b for b in blocks if b.get("block_id") == token_block_id("ZORB"))
    assert row["text"]["text"].splitlines() == [
        ":large_green_circle: *Tier low, score 18/100*",
        "• ±2% depth $40k &lt; $50k",  # escaped: a bare "<" would start a Slack link
        "*Market maker:* unknown — Too little history: 1 day of binance snapshots (needs 3).",
        "*Outreach:* contacted 2 days ago · owner <@U0BOB>",
    ]
    texts = json.dumps(blocks, ensure_ascii=False)
    assert "okx ZORB/USDC: error: crossed book: best bid 0.021 &gt;= best ask 0.02" in texts
    assert "* Left out of aggregates (ticker collision?): bybit ZORB/USDT" in texts
    assert ":warning: Unavailable now: kraken: timed out after 10 s" in texts
    assert blocks[-1] == outreach_buttons("ZORB")


def test_an_unrated_token_and_one_the_home_exchange_does_not_list_say_so() -> None:
    view = zorb_view()
    assert view.risk is not None
    fault = "ZORB/USDT on binance: crossed book: best bid 0.021 >= best ask 0.02"
    unrated = replace(view, risk=replace(view.risk, score=None, tier="unrated", reasons=(fault,)))
    text = liquidity_text(unrated)
    assert text.startswith("ZORB (Zorb Protocol) · unrated: data issue, no usable home book\n")
    assert f"  - {fault}" in text
    row = next(b for b in liquidity_blocks(unrated) if b.get("block_id") == token_block_id("ZORB"))
    assert row["text"]["text"].startswith(":white_circle: *Unrated: data issue")

    elsewhere = liquidity_text(replace(view, risk=None))
    assert elsewhere.startswith("ZORB (Zorb Protocol) · not assessed: not listed on binance\n")
    assert "  - binance does not list ZORB: other venues below" in elsewhere


def test_atrisk_text_lists_data_issues_apart() -> None:
    issue = replace(
        assessment("BAD", 0, "unrated"),
        score=None,
        reasons=("BAD/USDT on binance: timed out after 10 s",),
    )
    text = atrisk_text(replace(at_risk_list(2), data_issues=(issue,)))
    assert "Data issues (not rated, no usable home book): 1\n" in text
    assert "  BAD · BAD/USDT on binance: timed out after 10 s" in text
    assert "Data issues" not in atrisk_text(at_risk_list(2))


def test_atrisk_fits_fifty_blocks_at_any_size_and_keeps_every_token() -> None:
    for count in (1, 20, 21, 22, 100):
        result = at_risk_list(count)
        blocks = atrisk_blocks(result)
        with_buttons = [b["block_id"] for b in blocks if b["type"] == "actions"]
        rows = [b["block_id"] for b in blocks if str(b.get("block_id", "")).startswith("token:")]

        assert len(blocks) <= ANSWER_BLOCK_BUDGET and slack_errors(blocks) == []
        assert [r.removeprefix("token:") for r in rows] == [
            w.removeprefix("actions:") for w in with_buttons
        ]
        # The riskiest rows get the buttons; every other one is still listed.
        symbols = [r.symbol for r in result.rows]
        assert [r.removeprefix("token:") for r in rows] == symbols[: len(rows)]
        rest = json.dumps(blocks[1 + 2 * len(rows) :], ensure_ascii=False)
        assert all(f"{s} · high" in rest for s in symbols[len(rows) :])
    assert len([b for b in atrisk_blocks(at_risk_list(20)) if b["type"] == "actions"]) == 20
    # 100 rows: the other 80 take 3 compact sections, so (46 - 2 - 3) // 2 = 20 get buttons.
    assert len([b for b in atrisk_blocks(at_risk_list(100)) if b["type"] == "actions"]) == 20


def test_atrisk_text() -> None:
    text = atrisk_text(at_risk_list(2))
    assert text.splitlines()[:3] == [
        "At-risk tokens: 2 (2 high, 0 medium) · showing 2",
        "1. TOK001 · high 100 · ±2% depth $4.3k · 24h vol $2.9k · mkt cap $2.9M · MM unknown · "
        "outreach: not contacted",
        "    ±2% depth $4.3k < $50k; 24h volume $2.9k < $100k; spread 490 bps > 100 bps (+3 more)",
    ]


def test_a_long_timeline_keeps_the_newest_entries_within_the_budget() -> None:
    blocks = outreach_blocks(case_view(1000))
    texts = json.dumps(blocks, ensure_ascii=False)

    assert len(blocks) <= ANSWER_BLOCK_BUDGET and slack_errors(blocks) == []
    assert "reason number 1000 &lt;!channel&gt; &amp; more" in texts  # never a real @channel
    assert "reason number 1 &lt;" not in texts
    assert "earlier entries not shown" in texts
    assert (
        "±2% depth on binance: $4k (2026-11-25 12:00 UTC) → $5k (2027-01-06 05:00 UTC), +25%"
        in texts
    )
    entry = next(b for b in blocks if b.get("block_id") == "entry:1000")
    assert entry["text"]["text"].startswith(
        "#1000 2027-01-06 04:00 UTC alice — Declined the contribution: reason number 1000"
    )
    assert [o["value"] for o in entry["accessory"]["options"]] == [
        "correct:ZORB:1000",
        "retract:ZORB:1000",
    ]


def test_the_case_as_text_marks_corrections_and_retractions() -> None:
    view = case_view(2)
    fix = CaseEvent(
        3, "ZORB", "correct", NOW + timedelta(hours=3), "U0BOB", "bob",
        {"corrects": "declined", "reason": "no budget", "questions": ["contribution"]}, 1,
    )  # fmt: skip
    gone = CaseEvent(4, "ZORB", "retract", NOW + timedelta(hours=4), "U0BOB", "bob",
                     {"retracts": "declined", "reason": "wrong token"}, 2)  # fmt: skip
    events = [e.event for e in view.case.entries] + [fix, gone]
    later = view.as_of + timedelta(days=1)
    view = replace(view, as_of=later, case=derive_case("ZORB", events, later))
    lines = outreach_text(view).splitlines()
    assert lines[:3] == ["ZORB case · declined", "Owner: alice", "Market maker: not asked"]
    assert lines[3:5] == ["Contribution: declined", "  declined: no budget"]
    reason = "Declined the contribution: reason number"
    assert (
        f"#1 2026-11-25 13:00 UTC alice — {reason} 1 <!channel> & more [corrected by #3]" in lines
    )
    assert (
        "#3 2026-11-25 15:00 UTC bob — Correction of the decline: Declined the contribution: "
        "no budget (of #1)"
    ) in lines
    assert (
        f"#2 2026-11-25 14:00 UTC alice — {reason} 2 <!channel> & more [retracted by #4]" in lines
    )
    assert "#4 2026-11-25 16:00 UTC bob — Retracted the decline: wrong token (of #2)" in lines


def test_annotate_token_row_puts_the_note_under_the_row_once() -> None:
    blocks = [
        header("Digest"),
        section("*ZORB*", block_id=token_block_id("ZORB")),
        outreach_buttons("ZORB"),
    ]
    once = annotate_token_row(blocks, "ZORB", "logged by <@U1>")
    twice = annotate_token_row(once, "ZORB", "logged by <@U1>")
    more = annotate_token_row(twice, "ZORB", "snoozed by <@U2>")

    assert [b.get("block_id") for b in once] == [
        None,
        token_block_id("ZORB"),
        notes_block_id("ZORB"),
        "actions:ZORB",
    ]
    assert twice == once  # a retried submission changes nothing
    assert [e["text"] for e in more[2]["elements"]] == ["logged by <@U1>", "snoozed by <@U2>"]
    assert len(blocks) == 3  # the input is left as it was
    many = once
    for i in range(12):
        many = annotate_token_row(many, "ZORB", f"note {i}")
    assert [e["text"] for e in many[2]["elements"]] == [f"note {i}" for i in range(2, 12)]


def test_annotate_a_full_digest_keeps_fifty_blocks() -> None:
    fixed = [header("Digest"), context("a"), context("b"), context("c"), context("d"), context("e")]
    rows = []
    for i in range(22):
        rows += [section(f"*T{i}*", block_id=token_block_id(f"T{i}")), outreach_buttons(f"T{i}")]
    full = fixed + rows
    assert len(full) == 50

    annotated = annotate_token_row(full, "T3", "logged by <@U1>")

    assert len(annotated) == 50
    row = next(b for b in annotated if b.get("block_id") == token_block_id("T3"))
    assert row["text"]["text"] == "*T3*\nlogged by <@U1>"
    assert annotate_token_row(annotated, "T3", "logged by <@U1>") == annotated
    # A message without the row gets the note at its end.
    assert annotate_token_row([header("x")], "ZORB", "n")[-1]["block_id"] == notes_block_id("ZORB")


def test_restate_outreach_shows_the_new_state_in_any_answers_row() -> None:
    contacted = OutreachState("ZORB", "contacted", "contacted today", "U0ALICE", "alice")
    liquidity = restate_outreach(liquidity_blocks(zorb_view()), contacted)
    row = next(b for b in liquidity if b.get("block_id") == token_block_id("ZORB"))
    assert row["text"]["text"].splitlines()[-1] == (
        "*Outreach:* contacted today · owner <@U0ALICE>"
    )
    outreach = restate_outreach(outreach_blocks(case_view(2)), contacted)
    assert "*Stage:* contacted today · owner <@U0ALICE>" in json.dumps(outreach, ensure_ascii=False)

    row = atrisk_blocks(at_risk_list(1))[1]
    tok = replace(contacted, symbol="TOK001", label="contacted today · snoozed until 2026-11-28")
    [restated] = restate_outreach([row], tok)
    assert restated["text"]["text"].endswith(
        "\nOutreach: contacted today · snoozed until 2026-11-28 · owner <@U0ALICE>"
    )
    # Other rows and tokens are left as they are.
    assert restate_outreach([row], contacted) == [row]


def test_text_helpers_cut_to_slack_limits() -> None:
    lines = [f"{i:04d} " + "x" * 35 for i in range(200)]  # 40 characters each
    block = code_block(lines)
    kept = block.count("\n") - 2
    assert len(block) <= 3000 and block.endswith(f"… {200 - kept} more rows\n```")
    assert kept == (3000 - 6 - 2 - 40) // 41

    chunks = chunk_lines(["a" * 1000] * 7 + ["b" * 5000])
    assert [len(c) for c in chunks] == [2001, 2001, 2001, 1000, 3000]
    assert len(fit_blocks([context(str(i)) for i in range(60)], 46)) == 46


def test_home_view_fits_the_app_home_with_many_cases() -> None:
    cases = [
        derive_case(
            f"TOK{i:03d}",
            [
                CaseEvent(
                    i,
                    f"TOK{i:03d}",
                    "contact",
                    NOW - timedelta(days=9),
                    "U0ME",
                    "me",
                    {"channel": "telegram", "contact": "@t"},
                )
            ],
            NOW,
        )
        for i in range(60)
    ]
    rows = tuple(case_rows(cases, demo_settings("sqlite://"), NOW))
    summary = HomeSummary(
        "U0ME", NOW, "Europe/Berlin", True, NOW, 42, {"high": 16, "medium": 26},
        {"not_contacted": 30, "contacted": 12}, {"asked": 60, "pledged": 0}, rows, rows,
    )  # fmt: skip
    view = home_view(summary, demo=True)
    blocks = view["blocks"]

    assert [e for e in view_errors(view) if "duplicate action_id" not in e] == []
    assert len(blocks) <= 100
    assert len([b for b in blocks if b["type"] == "actions"]) == 25
    texts = json.dumps(blocks, ensure_ascii=False)
    assert "… and 35 more" in texts and "Updated 2026-11-25 13:00 CET" in texts
    assert blocks[1]["elements"][0]["text"].startswith(":warning: *DEMO DATA")
    first = next(b for b in blocks if b.get("block_id") == token_block_id("TOK000"))
    assert first["text"]["text"] == (
        "*TOK000* · contacted 9 days ago · owner <@U0ME>\n"
        "Follow-up: reminder due 2026-11-23 (2 days late)"
    )
    assert "TOK059 · contacted 9 days ago · owner me · reminder due 2026-11-23" in texts
    empty = home_view(replace(summary, scanned=False, mine=(), overdue=()), demo=False)
    assert "No scan yet" in json.dumps(empty) and "Nothing overdue" in json.dumps(empty)


def test_liquidity_trend_reads_first_to_last_day() -> None:
    view = zorb_view()
    assert trend_value(view) == "not enough history yet"
    one = replace(view, trend=(TrendPoint(date(2026, 11, 1), 40_000, 30),))
    assert trend_value(one) == "one day so far ($40k)"
    three = replace(
        view,
        trend=(
            TrendPoint(date(2026, 11, 1), 40_000, 30),
            TrendPoint(date(2026, 11, 2), None, None),
            TrendPoint(date(2026, 11, 3), 10_000, 80),
        ),
    )
    # 10k / 40k − 1 = −75%, over the 2 days that had a figure
    assert trend_value(three) == "Nov 01 $40k → Nov 03 $10k (-75%), 2 days"
    assert "Home ±2% depth trend (daily average, UTC days)" in liquidity_text(three)


def test_every_answers_times_are_in_the_teams_zone_and_labelled() -> None:
    berlin = "Europe/Berlin"
    atrisk = atrisk_text(replace(at_risk_list(1), timezone=berlin))
    assert "From the scan of 2026-11-25 13:00 CET;" in atrisk
    liquidity = liquidity_text(replace(zorb_view(), timezone=berlin))
    assert "As of 2026-11-25 13:00 CET, from the latest snapshot" in liquidity
    assert "As of 2026-11-25 12:00 UTC" in liquidity_text(zorb_view())  # UTC is labelled too
