"""`/outreach TOKEN` as Block Kit: the case (stage, owner with its picker, both answers, the
follow-up), the timeline (one section per entry with its Correct / Retract menu; the newest kept
when it is long), and the next steps' buttons. ``outreach_label`` is the one-line state every
answer shows; ``outreach_note`` and ``restate_outreach`` redraw any message's token row after a
submission."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.calendar import team_time
from bot.domain.timeline import Entry
from bot.presenters.actions import (
    entry_menu,
    outreach_buttons,
    owner_block_id,
    owner_picker,
    token_block_id,
)
from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    Block,
    context,
    escape,
    header,
    mention,
    section,
)
from bot.presenters.text_outreach import case_lines, depth_line, entry_line
from bot.usecases.outreach.case import CaseView, OutreachState, state_of
from bot.usecases.outreach.common import LogResult
from bot.usecases.outreach.events import NOT_RETRACTABLE
from bot.usecases.outreach.kinds_case import CORRECTABLE

FIXED_BLOCKS = 7  # header, stage, owner, answers, "earlier entries", as-of line, buttons
OUTREACH_LEADS = ("*Outreach:* ", "Outreach: ", "*Stage:* ")
"""How a token row introduces its outreach state on a line of its own (`/liquidity`; `/atrisk`
and the digest; `/outreach`): ``restate_outreach`` rewrites that line."""


def outreach_label(state: OutreachState) -> str:
    """The state in mrkdwn: stage and answers, then the owner as a mention."""
    owner = f" · owner {mention(state.owner)}" if state.owner else ""
    return escape(state.label) + owner


def outreach_note(result: LogResult) -> str:
    """``:memo: Outreach by telegram to @pepe_team… — logged by <@U123> (#12)``"""
    return (
        f":memo: {escape(result.description)} — logged by {mention(result.logged_by)} "
        f"(#{result.record_id})"
    )


def _restated(text: str, state: OutreachState) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        lead = next((lead for lead in OUTREACH_LEADS if line.startswith(lead)), None)
        if lead is not None:
            lines[i] = f"{lead}{outreach_label(state)}"
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


def _modes(entry: Entry) -> list[str]:
    if not entry.standing:
        return []
    modes = ["correct"] if entry.kind in CORRECTABLE else []
    return modes + ([] if entry.kind in NOT_RETRACTABLE else ["retract"])


def entry_block(view: CaseView, entry: Entry) -> Block:
    """One timeline entry, with the home ±2% depth around an answer, and its menu."""
    text = escape(entry_line(entry, view.timezone))
    depth = view.depth.get(entry.event.id)
    if depth is not None:
        text += "\n>" + escape(depth_line(depth, view.home_exchange, view.timezone))
    block = section(text, block_id=f"entry:{entry.event.id}")
    modes = _modes(entry)
    if modes:
        block["accessory"] = entry_menu(view.symbol, entry.event.id, modes)
    return block


def outreach_blocks(view: CaseView) -> list[Block]:
    """The `/outreach TOKEN` answer within ``ANSWER_BLOCK_BUDGET`` blocks."""
    symbol = view.symbol
    state = state_of(view.case, view.as_of, view.timezone)
    owner, *answers = case_lines(view)
    owner_text = f"*Owner:* {mention(state.owner)}" if state.owner else f"*{escape(owner)}*"
    owner_line = section(owner_text, block_id=owner_block_id(symbol))
    owner_line["accessory"] = owner_picker(state.owner)
    blocks: list[Block] = [
        header(f"{symbol} case"),
        section(f"*Stage:* {outreach_label(state)}", block_id=token_block_id(symbol)),
        owner_line,
        section(escape("\n".join(answers))),
    ]
    entries = [entry_block(view, e) for e in view.case.entries]
    room = ANSWER_BLOCK_BUDGET - FIXED_BLOCKS
    if not entries:
        blocks.append(section("Nothing logged yet: use the buttons below to log outreach."))
    elif len(entries) > room:
        blocks.append(
            context(
                f"{len(entries) - room} earlier entries not shown: "
                "`liqbot outreach export` has the whole timeline."
            )
        )
    blocks += entries[-room:]
    blocks += [
        context(f"As of {team_time(view.as_of, view.timezone)}"),
        outreach_buttons(symbol, view.steps),
    ]
    return blocks
