"""`/outreach TOKEN` as Block Kit: the token's state, the timeline (newest entries kept when it is
long), and the outreach buttons. ``outreach_label`` is the state as every answer shows it."""

from __future__ import annotations

from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    Block,
    chunk_lines,
    context,
    escape,
    header,
    mention,
    section,
)
from bot.presenters.text_outreach import entry_details
from bot.usecases.outreach.log import OutreachState, OutreachTimeline, TimelineEntry

FIXED_BLOCKS = 5  # header, state row, "earlier entries" line, as-of line, buttons


def outreach_label(state: OutreachState) -> str:
    """The state's label in mrkdwn, the user who logged it as a mention."""
    label = escape(state.label)
    if state.by and state.label.endswith(f"by {state.by}"):
        label = label[: -len(escape(state.by))] + mention(state.by)
    return label


def entry_text(entry: TimelineEntry, home_exchange: str) -> str:
    details = "".join(f"\n>  {escape(line)}" for line in entry_details(entry, home_exchange))
    return f"• `{entry.at:%Y-%m-%d %H:%M}` {mention(entry.by)} — {escape(entry.summary)}{details}"


def outreach_blocks(timeline: OutreachTimeline) -> list[Block]:
    """The `/outreach` answer within ``ANSWER_BLOCK_BUDGET`` blocks."""
    symbol = timeline.symbol
    blocks: list[Block] = [
        header(f"{symbol} outreach"),
        section(f"*State:* {outreach_label(timeline.state)}", block_id=token_block_id(symbol)),
    ]
    texts = chunk_lines(entry_text(e, timeline.home_exchange) for e in timeline.entries)
    room = ANSWER_BLOCK_BUDGET - FIXED_BLOCKS
    if not texts:
        blocks.append(section("Nothing logged yet: use the buttons below to log outreach."))
    elif len(texts) > room:
        shown = texts[-room:]
        blocks.append(
            context(
                f"{len(texts) - room} earlier sections not shown: "
                "`liqbot outreach export` has the whole log."
            )
        )
        blocks += [section(text) for text in shown]
    else:
        blocks += [section(text) for text in texts]
    blocks += [
        context(f"As of {timeline.as_of:%Y-%m-%d %H:%M} UTC"),
        outreach_buttons(symbol),
    ]
    return blocks
