"""Block Kit pieces shared by every liqbot answer, modal and App Home, within Slack's limits.

Slack refuses a whole message for one oversize part (``invalid_blocks``), so every builder here cuts
instead: a section's text at 3,000 characters, a field at 2,000, a header at 150, at most 10
fields and 10 context elements, and ``fit_blocks`` keeps a message within 50 blocks (100 for a
modal or the App Home) with a last line saying what was left out.

``Reply`` is one command's answer in both renderings (Slack blocks, terminal text), with the chart
it asks for (``ChartRequest``); ``OutgoingFile`` is a file for a person;
``annotate_token_row`` writes "Outreach logged by @alice" under a token's row of any message
drawn with ``bot.presenters.actions`` (answers and digest rows alike).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.presenters.actions import token_block_id

Block = dict[str, Any]

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
ANSWER_BLOCK_BUDGET = 46
"""Blocks a command's presenter may use: room is left for the DEMO banner and an outreach note."""
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_LIMIT = 10
HEADER_TEXT_LIMIT = 150
CONTEXT_ELEMENTS_LIMIT = 10
NOTES_PREFIX = "notes:"
TIER_ICONS = {
    "high": ":red_circle:",
    "medium": ":large_orange_circle:",
    "low": ":large_green_circle:",
    "unrated": ":white_circle:",
}

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


@dataclass(frozen=True)
class ChartRequest:
    """A chart to upload with an answer: ``symbol``'s home ``depth`` chart, or its ``history``
    over the last ``days`` days."""

    symbol: str
    kind: Literal["depth", "history"] = "depth"
    days: int | None = None


@dataclass(frozen=True)
class OutgoingFile:
    """A file for a person (a chart, an evidence pack's part): its name, the title Slack shows,
    its bytes."""

    filename: str
    title: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Reply:
    """A command's answer: ``text`` is the full plain-text rendering (terminal, `liqbot ask`),
    ``blocks`` the Slack rendering, ``summary`` one plain line for Slack's notification fallback
    (sent escaped, as ``notification``). ``chart`` asks the Slack layer (and `liqbot ask`) for
    that chart too."""

    text: str
    blocks: list[Block]
    summary: str
    chart: ChartRequest | None = None

    @property
    def notification(self) -> str:
        """``summary`` as the ``text`` of the Slack message: escaped like the blocks, so that a
        contact or a market maker's name typed as ``<!channel>`` neither pings nor links."""
        return escape(self.summary)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def tier_icon(tier: str) -> str:
    """The emoji every Block Kit answer shows before a risk tier (none for an unknown tier)."""
    return TIER_ICONS.get(tier, "")


def escape(text: str) -> str:
    """Text safe inside mrkdwn: ``&``, ``<`` and ``>`` escaped, so "$4.3k < $50k" or a contact
    typed as ``<!channel>`` neither breaks the message nor pings anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str | None) -> str:
    """``<@U123>`` for a Slack user id (Slack shows the name); anything else escaped as text."""
    if user_id and _USER_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    return escape(user_id or "someone")


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_TEXT_LIMIT)}}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip(text or " ", SECTION_TEXT_LIMIT)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def fields(pairs: Sequence[tuple[str, str]], block_id: str | None = None) -> Block:
    """A section of up to 10 ``*label*\\nvalue`` fields (the rest are dropped: keep lists short)."""
    items = [
        {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", FIELD_TEXT_LIMIT)}
        for label, value in pairs[:FIELDS_LIMIT]
    ]
    block: Block = {"type": "section", "fields": items}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str, block_id: str | None = None) -> Block:
    elements = [
        {"type": "mrkdwn", "text": clip(t or " ", SECTION_TEXT_LIMIT)}
        for t in texts[:CONTEXT_ELEMENTS_LIMIT]
    ]
    block: Block = {"type": "context", "elements": elements}
    if block_id:
        block["block_id"] = block_id
    return block


def divider() -> Block:
    return {"type": "divider"}


def banner(text: str) -> Block:
    """The warning line on top of an answer (e.g. DEMO DATA)."""
    return context(f":warning: *{escape(text)}*")


def code_block(lines: Sequence[str], limit: int = SECTION_TEXT_LIMIT) -> str:
    """``lines`` in a monospace block of at most ``limit`` characters; lines that do not fit are
    replaced by "… N more rows"."""
    fence = "```"
    kept: list[str] = []
    budget = limit - 2 * len(fence) - 2 - 40  # the fences, newlines and the "more" line
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    if len(kept) < len(lines):
        kept.append(f"… {len(lines) - len(kept)} more rows")
    return fence + "\n" + "\n".join(kept) + "\n" + fence


def chunk_lines(lines: Iterable[str], limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Lines joined into as few texts of at most ``limit`` characters as possible (a line longer
    than ``limit`` is cut)."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            texts.append(current)
            candidate = line
        current = candidate
    if current:
        texts.append(current)
    return texts


def fit_blocks(blocks: Sequence[Block], limit: int = ANSWER_BLOCK_BUDGET) -> list[Block]:
    """At most ``limit`` blocks: when there are more, the first ``limit - 1`` and a context line
    saying how many were left out."""
    if len(blocks) <= limit:
        return list(blocks)
    kept = list(blocks[: limit - 1])
    return [*kept, context(f"… {len(blocks) - len(kept)} more blocks not shown")]


def notes_block_id(symbol: str) -> str:
    """block_id of the context line of outreach notes under a token's row."""
    return f"{NOTES_PREFIX}{symbol}"


def annotate_token_row(
    blocks: Sequence[Block], symbol: str, note: str, limit: int = MESSAGE_BLOCK_LIMIT
) -> list[Block]:
    """``blocks`` with ``note`` (mrkdwn) shown under the token's row (block_id
    ``token_block_id(symbol)``), for any message: answers, digest rows, App Home.

    The note goes into the row's notes line (a context block, newest last, at most 10 notes; an
    identical note is not repeated, so a retried submission changes nothing). Without room for a
    new block (a full 50-block digest) it is appended to the row's own text instead; a message
    without the token's row gets the notes line at its end.
    """
    result = [dict(b) for b in blocks]
    notes_id = notes_block_id(symbol)
    element = {"type": "mrkdwn", "text": clip(note, SECTION_TEXT_LIMIT)}
    for block in result:
        if block.get("block_id") == notes_id and block.get("type") == "context":
            elements = list(block.get("elements") or [])
            if element not in elements:
                elements.append(element)
            block["elements"] = elements[-CONTEXT_ELEMENTS_LIMIT:]
            return result
    row = next(
        (i for i, b in enumerate(result) if b.get("block_id") == token_block_id(symbol)), None
    )
    if len(result) < limit:
        position = len(result) if row is None else row + 1
        result.insert(position, {"type": "context", "block_id": notes_id, "elements": [element]})
        return result
    if row is not None and isinstance(result[row].get("text"), dict):
        text = dict(result[row]["text"])
        if note not in text.get("text", ""):
            text["text"] = clip(f"{text.get('text', '')}\n{note}", SECTION_TEXT_LIMIT)
        result[row]["text"] = text
    return result
