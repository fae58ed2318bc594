"""`/liquidity TOKEN` as Block Kit: the token's row (tier, reasons, market maker, outreach), home vs
global aggregates, the per-venue table, contribution scenarios, excluded and unavailable venues,
and the outreach buttons."""

from __future__ import annotations

from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    Block,
    code_block,
    context,
    escape,
    fields,
    fit_blocks,
    header,
    section,
    tier_icon,
)
from bot.presenters.blocks_outreach import outreach_label
from bot.presenters.text_liquidity import (
    EXCLUDED_MARK,
    aggregate_pairs,
    as_of_line,
    contribution_lines,
    excluded_lines,
    mm_line,
    risk_line,
    risk_reasons,
    title,
    unavailable_lines,
    venue_table,
)
from bot.usecases.token import TokenView


def token_row(view: TokenView) -> Block:
    """The section a modal submission annotates (block_id ``token_block_id``)."""
    reasons = "\n".join(f"• {escape(r)}" for r in risk_reasons(view))
    icon = tier_icon(view.risk.tier) if view.risk else ""
    headline = risk_line(view)
    text = (
        f"{icon} *{escape(headline[:1].upper() + headline[1:])}*\n{reasons}\n"
        f"*Market maker:* {escape(mm_line(view))}\n*Outreach:* {outreach_label(view.outreach)}"
    )
    return section(text, block_id=token_block_id(view.symbol))


def liquidity_blocks(view: TokenView) -> list[Block]:
    """The `/liquidity` answer (at most ``ANSWER_BLOCK_BUDGET`` blocks)."""
    blocks: list[Block] = [
        header(title(view)),
        token_row(view),
        fields([(label, escape(value)) for label, value in aggregate_pairs(view)]),
        section(code_block([escape(line) for line in venue_table(view)])),
        section(
            "*What a contribution to the savings pools would be worth*\n"
            + "\n".join(f"• {escape(line)}" for line in contribution_lines(view))
        ),
    ]
    if view.liquidity.excluded:
        lines = "; ".join(escape(line) for line in excluded_lines(view))
        blocks.append(
            context(f"{EXCLUDED_MARK} Left out of aggregates (ticker collision?): {lines}")
        )
    if view.unavailable:
        lines = "; ".join(escape(line) for line in unavailable_lines(view))
        blocks.append(context(f":warning: Unavailable now: {lines}"))
    blocks += [context(escape(as_of_line(view))), outreach_buttons(view.symbol)]
    return fit_blocks(blocks)
