"""`/review` as Block Kit: each token up for the monitoring-tag review with its evidence and the
decision buttons (Recommend tag · Not now · Clear · Evidence pack); recommended tokens follow with
Clear and Evidence pack, tokens put off as one line.

A button's value is ``SYMBOL|N``, N being the id of the token's latest decision when the list was
drawn (0: none): the decision's idempotency key (``bot.usecases.review_decide``), so a double
click stores one decision. Each row's actions block has its own block_id, so the same action_ids
repeat from row to row (Slack wants them unique within a block).
"""

from __future__ import annotations

from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    Block,
    context,
    escape,
    header,
    mention,
    section,
)
from bot.presenters.text_review import (
    criteria_line,
    decision_line,
    depth_evidence,
    ground_lines,
    row_facts,
)
from bot.usecases.review import ReviewList, ReviewRow

RECOMMEND_ACTION = "review_recommend"
NOT_NOW_ACTION = "review_not_now"
CLEAR_ACTION = "review_clear"
PACK_ACTION = "review_pack"
DECISION_OF_ACTION = {
    RECOMMEND_ACTION: "recommend",
    NOT_NOW_ACTION: "not_now",
    CLEAR_ACTION: "clear",
}
"""The decision each decision button stores (``commands.review_buttons``)."""
ROW_BLOCKS = 2
TRAILING_BLOCKS = 5
"""At most after the rows' blocks: the "recommended" heading, the "no token" line, the "… and N
more" line, the put-off line and the as-of line."""


def button_value(row: ReviewRow) -> str:
    return f"{row.symbol}|{row.decided_after}"


def parse_button_value(value: str) -> tuple[str, int]:
    """(symbol, latest decision id) of a review button's value; ValueError when malformed."""
    symbol, _, after = value.rpartition("|")
    if not symbol or not after.isdigit():
        raise ValueError(f"not a review button value: {value[:40]!r}")
    return symbol, int(after)


def _button(action_id: str, text: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def review_actions(row: ReviewRow, snooze_days: int) -> Block:
    """The buttons under a token: the three decisions (Clear only, once recommended) and the
    evidence pack."""
    value = button_value(row)
    pack = _button(PACK_ACTION, "Evidence pack", value)
    if row.standing == "recommended":
        elements = [_button(CLEAR_ACTION, "Clear", value), pack]
    else:
        elements = [
            _button(RECOMMEND_ACTION, "Recommend tag", value, "primary"),
            _button(NOT_NOW_ACTION, f"Not now ({snooze_days} d)", value),
            _button(CLEAR_ACTION, "Clear", value),
            pack,
        ]
    return {"type": "actions", "block_id": f"review_actions:{row.symbol}", "elements": elements}


def row_section(row: ReviewRow, listing: ReviewList) -> Block:
    """A token's evidence (block_id ``review:SYMBOL``); people shown as mentions."""
    lines = [f"*{escape(row.symbol)}*", escape(depth_evidence(row, listing.rules))]
    lines += ground_lines(row, who=mention, quote=escape)
    lines.append(escape(row_facts(row)))
    if row.decision is not None:
        lines.append(f"_Last decision: {decision_line(row.decision, who=mention)}_")
    return section("\n".join(lines), block_id=f"review:{row.symbol}")


def _put_off_line(listing: ReviewList) -> str | None:
    names = [
        f"{escape(r.symbol)} until {r.decision.until:%Y-%m-%d}"
        for r in listing.not_now
        if r.decision is not None and r.decision.until is not None
    ]
    return f"Put off (not now): {', '.join(names)}" if names else None


def review_blocks(listing: ReviewList, note: str | None = None) -> list[Block]:
    """The `/review` answer, within ``ANSWER_BLOCK_BUDGET`` blocks (rows past it are named in
    one line; `/review` again once they are decided). ``note`` (mrkdwn) goes on top: what was
    just decided."""
    blocks: list[Block] = [header("Monitoring-tag review")]
    if note:
        blocks.append(context(note))
    blocks.append(context(escape(criteria_line(listing.rules))))
    rows = [*listing.open, *listing.recommended]
    room = (ANSWER_BLOCK_BUDGET - len(blocks) - TRAILING_BLOCKS) // ROW_BLOCKS
    if not listing.open:
        blocks.append(section("No token meets the review criteria and waits for a decision."))
    for number, row in enumerate(rows[:room]):
        if number == len(listing.open):
            blocks.append(section("*Recommended for the monitoring tag*"))
        blocks += [row_section(row, listing), review_actions(row, listing.rules.snooze_days)]
    if len(rows) > room:
        rest = ", ".join(escape(r.symbol) for r in rows[room:])
        blocks.append(section(f"… and {len(rows) - room} more: {rest}"))
    put_off = _put_off_line(listing)
    if put_off:
        blocks.append(context(put_off))
    blocks.append(context(f"As of {listing.as_of:%Y-%m-%d %H:%M} UTC"))
    return blocks
