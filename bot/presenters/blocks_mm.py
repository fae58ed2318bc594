"""`/mm TOKEN` as Block Kit: status and why, engagements on record, observed quoting windows."""

from __future__ import annotations

from bot.domain.calendar import team_time
from bot.presenters.actions import token_block_id
from bot.presenters.blocks_common import (
    Block,
    chunk_lines,
    context,
    escape,
    fit_blocks,
    header,
    mention,
    section,
)
from bot.presenters.text_mm import STATUS_WORDS, criteria_line, engagement_what
from bot.usecases.mm import MMReport, uptime_line


def mm_blocks(report: MMReport) -> list[Block]:
    """The `/mm` answer; long records lists are split over sections and cut to the budget."""
    status = STATUS_WORDS.get(report.status, report.status)
    blocks: list[Block] = [
        header(f"{report.symbol} market maker: {report.status}"),
        section(
            f"*{escape(status)}*\n{escape(report.explanation)}",
            block_id=token_block_id(report.symbol),
        ),
    ]
    records = [
        f"• {r.logged_at:%Y-%m-%d} {escape(engagement_what(r))} "
        f"({escape(r.source)}, logged by {mention(r.logged_by)})"
        for r in reversed(report.engagements)  # newest first: the budget cuts the oldest
    ] or ["• nothing on record"]
    texts = chunk_lines(["*On record* (newest first)", *records])
    blocks += [section(text) for text in texts[:5]]
    quoting = [f"• {escape(uptime_line(w))}" for w in report.quoting]
    blocks.append(
        section(f"*Observed quoting on {escape(report.home_exchange)}*\n" + "\n".join(quoting))
    )
    blocks.append(
        context(escape(criteria_line(report)), f"As of {team_time(report.as_of, report.timezone)}")
    )
    return fit_blocks(blocks)
