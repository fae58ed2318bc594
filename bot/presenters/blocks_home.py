"""The App Home tab: the at-risk pipeline (counts by tier, by the stage of their cases, and every
case by its contribution's state), the viewer's open cases with their follow-ups (each with the
outreach buttons), and the team's overdue cases, whoever owns them."""

from __future__ import annotations

from typing import Any

from bot.domain.calendar import team_time
from bot.domain.outreach import STAGE_WORDS
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    VIEW_BLOCK_LIMIT,
    Block,
    banner,
    chunk_lines,
    context,
    divider,
    escape,
    fields,
    fit_blocks,
    header,
    section,
)
from bot.presenters.blocks_outreach import outreach_label
from bot.presenters.text_cases import followup_words, row_line
from bot.usecases.home import HomeSummary

CASES_WITH_BUTTONS = 25  # 2 blocks each, within the App Home's 100


def _pipeline(summary: HomeSummary) -> list[Block]:
    if not summary.scanned:
        return [section("No scan yet: run `liqbot scan`, or wait for the next snapshot.")]
    tiers = [(f"Tier {tier}", str(n)) for tier, n in summary.by_tier.items()]
    stages = [(STAGE_WORDS[s].capitalize(), str(n)) for s, n in summary.by_stage.items()]
    pledges = [(s.capitalize(), str(n)) for s, n in summary.by_contribution.items()]
    return [
        section(f"*{summary.at_risk} tokens at risk* in the latest scan"),
        fields(tiers),
        section("*At-risk tokens by the stage of their case*"),
        fields(stages),
        section("*Contributions, every case*"),
        fields(pledges),
    ]


def _mine(summary: HomeSummary) -> list[Block]:
    if not summary.mine:
        return [section("You own no open case. `/outreach team` shows who owns what.")]
    blocks: list[Block] = []
    for row in summary.mine[:CASES_WITH_BUTTONS]:
        text = (
            f"*{escape(row.case.symbol)}* · {outreach_label(row.state)}\n"
            f"Follow-up: {escape(followup_words(row.followup, summary.as_of))}"
        )
        blocks += [
            section(text, block_id=token_block_id(row.case.symbol)),
            outreach_buttons(row.case.symbol),
        ]
    if len(summary.mine) > CASES_WITH_BUTTONS:
        more = len(summary.mine) - CASES_WITH_BUTTONS
        blocks.append(context(f"… and {more} more: `/outreach mine` lists them all."))
    return blocks


def _overdue(summary: HomeSummary) -> list[Block]:
    if not summary.overdue:
        return [section("Nothing overdue in the team.")]
    lines = [f"• {escape(row_line(row, summary.as_of))}" for row in summary.overdue]
    return [section(text) for text in chunk_lines(lines)]


def home_view(summary: HomeSummary, demo: bool) -> dict[str, Any]:
    """The ``home`` view published for ``summary.user_id``."""
    blocks: list[Block] = [header("liqbot · at-risk pipeline")]
    if demo:
        blocks.append(banner(DEMO_BANNER))
    blocks += _pipeline(summary)
    blocks += [divider(), header(f"Your cases ({len(summary.mine)})"), *_mine(summary)]
    blocks += [divider(), header(f"The team's overdue cases ({len(summary.overdue)})")]
    blocks += _overdue(summary)
    blocks.append(context(f"Updated {team_time(summary.as_of, summary.timezone)}"))
    return {"type": "home", "blocks": fit_blocks(blocks, VIEW_BLOCK_LIMIT)}
