"""`/outreach TOKEN` as Block Kit: the token's state, the timeline (newest entries kept when it is
long), and the outreach buttons. ``outreach_label`` is the state as every answer shows it;
``outreach_note`` and ``restate_outreach`` redraw any message's token row after a submission."""

from __future__ import annotations

from collections.abc import Sequence

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
from bot.usecases.outreach.common import LogResult
from bot.usecases.outreach.log import OutreachState, OutreachTimeline, TimelineEntry

FIXED_BLOCKS = 5  # header, state row, "earlier entries" line, as-of line, buttons
OUTREACH_LEADS = ("*Outreach:* ", "Outreach: ", "*State:* ")
"""How a token row introduces its outreach state on a line of its own (`/liquidity`; `/atrisk`
and the digest; `/outreach`): ``restate_outreach`` rewrites that line."""
SNOOZED_MARK = " · :zzz: snoozed"
"""After the state in an `/atrisk` row whose token is snoozed while the state says otherwise."""


def outreach_label(state: OutreachState) -> str:
    """The state's label in mrkdwn, the user who logged it as a mention."""
    label = escape(state.label)
    if state.by and state.label.endswith(f"by {state.by}"):
        label = label[: -len(escape(state.by))] + mention(state.by)
    return label


def outreach_note(result: LogResult) -> str:
    """``:memo: Outreach logged by <@U123>: telegram to @pepe_team, follow-up 2026-12-01``"""
    what = result.description.removeprefix("Outreach logged: ")
    return f":memo: Outreach logged by {mention(result.logged_by)}: {escape(what)}"


def _restated(text: str, state: OutreachState) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        lead = next((lead for lead in OUTREACH_LEADS if line.startswith(lead)), None)
        if lead is not None:
            still_snoozed = state.snoozed and state.state != "snoozed"
            mark = SNOOZED_MARK if still_snoozed and line.endswith(SNOOZED_MARK) else ""
            lines[i] = f"{lead}{outreach_label(state)}{mark}"
    return "\n".join(lines)


def restate_outreach(blocks: Sequence[Block], state: OutreachState) -> list[Block]:
    """``blocks`` with the outreach state in ``state.symbol``'s row (block_id
    ``token_block_id``) shown as ``state``; rows without a state line are left as they are."""
    row_id = token_block_id(state.symbol)
    result = []
    for block in blocks:
        text = block.get("text")
        if block.get("block_id") == row_id and isinstance(text, dict):
            block = {**block, "text": {**text, "text": _restated(str(text.get("text")), state)}}
        result.append(block)
    return result


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
