"""`/atrisk` as Block Kit: ranked rows with their outreach state; the top rows carry the outreach
buttons as long as Slack's 50 blocks allow, the rest follow as compact lines."""

from __future__ import annotations

from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    Block,
    chunk_lines,
    context,
    escape,
    header,
    section,
    tier_icon,
)
from bot.presenters.blocks_outreach import outreach_label
from bot.presenters.text_atrisk import (
    as_of_line,
    empty_line,
    figures,
    heading,
    reasons,
    row_line,
)
from bot.usecases.atrisk import AtRiskList, AtRiskRow

FIXED_BLOCKS = 2  # header and the as-of line


def row_section(row: AtRiskRow) -> Block:
    """A token's row (block_id ``token_block_id``): rank, tier, figures, reasons, outreach."""
    a = row.assessment
    text = (
        f"*{row.rank}. {escape(a.symbol)}* · {tier_icon(a.tier)} {a.tier} · score "
        f"{a.score}\n{escape(figures(row))}\n_{escape(reasons(row))}_\n"
        f"Outreach: {outreach_label(row.outreach)}"
    )
    return section(text, block_id=token_block_id(a.symbol))


def atrisk_blocks(result: AtRiskList) -> list[Block]:
    """The `/atrisk` answer, at most ``ANSWER_BLOCK_BUDGET`` blocks at any list size."""
    blocks: list[Block] = [header(heading(result))]
    empty = empty_line(result)
    if empty:
        blocks.append(section(escape(empty)))
    rows = list(result.rows)
    full = len(rows)
    compact_texts: list[str] = []
    while full >= 0:  # fewest compact sections first: shrink the full rows until all fit
        compact_texts = chunk_lines(escape(row_line(r)) for r in rows[full:])
        if FIXED_BLOCKS + 2 * full + len(compact_texts) <= ANSWER_BLOCK_BUDGET:
            break
        full -= 1
    for row in rows[:full]:
        blocks += [row_section(row), outreach_buttons(row.symbol)]
    blocks += [section(text) for text in compact_texts]
    blocks.append(context(escape(as_of_line(result))))
    return blocks
