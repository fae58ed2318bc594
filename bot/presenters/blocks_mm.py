"""`/mm TOKEN` as Block Kit: status and why, the last 14 days as marks with the figures against
the obligations, each firm's scorecard across tokens, and the records on file."""

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
from bot.presenters.text_mm import (
    LEGEND,
    STATUS_WORDS,
    day_row,
    engagement_what,
    figures_line,
    scorecard_line,
    track_title,
    window_title,
)
from bot.usecases.mm import MMReport


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
    tracks = [
        f"*{escape(track_title(t))}*\n`{day_row(report, t.track)}` {escape(figures_line(t.track))}"
        for t in report.tracks
    ]
    blocks.append(section(f"*{escape(window_title(report))}*\n" + "\n".join(tracks)))
    blocks.append(context(escape(LEGEND)))
    if report.scorecards:
        cards = [f"• {escape(scorecard_line(card))}" for card in report.scorecards]
        blocks.append(section("*Market makers across tokens*\n" + "\n".join(cards)))
    records = [
        f"• {r.logged_at:%Y-%m-%d} {escape(engagement_what(r))} "
        f"({escape(r.source)}, logged by {mention(r.logged_by)})"
        for r in reversed(report.engagements)  # newest first: the budget cuts the oldest
    ] or ["• nothing on record"]
    texts = chunk_lines(["*On record* (newest first)", *records])
    blocks += [section(text) for text in texts[:5]]
    blocks.append(context(f"As of {team_time(report.as_of, report.timezone)}"))
    return fit_blocks(blocks)
