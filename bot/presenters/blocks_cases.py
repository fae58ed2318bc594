"""`/outreach mine`, `/outreach team` and `/outreach overdue` as Block Kit: the lines of
``text_cases`` in as few sections as fit (the whole list within ``ANSWER_BLOCK_BUDGET``)."""

from __future__ import annotations

from bot.domain.calendar import team_time
from bot.presenters.blocks_common import (
    ANSWER_BLOCK_BUDGET,
    Block,
    chunk_lines,
    context,
    escape,
    fit_blocks,
    header,
    section,
)
from bot.presenters.text_cases import EMPTY, TITLES, case_list_lines
from bot.usecases.outreach.case import CaseList


def case_list_blocks(result: CaseList) -> list[Block]:
    """The answer: a header, the rows (owners in bold for ``team``), the as-of line."""
    lines = []
    for line in case_list_lines(result):
        owner_line = result.which == "team" and not line.startswith("  ")
        lines.append(f"*{escape(line)}*" if owner_line else f"• {escape(line.strip())}")
    blocks: list[Block] = [header(f"{TITLES[result.which]} ({len(result.rows)})")]
    blocks += [section(text) for text in chunk_lines(lines)] or [section(EMPTY[result.which])]
    as_of = team_time(result.as_of, result.timezone)
    blocks.append(context(f"As of {as_of} · `/outreach TOKEN` shows a case and its timeline"))
    return fit_blocks(blocks, ANSWER_BLOCK_BUDGET)
