"""`/review`: the tokens that meet the monitoring-tag review criteria, each with its evidence and
the decision buttons (``commands.review_buttons``); and the evidence pack's files, shared by the
"Evidence pack" button and `liqbot review pack`."""

from __future__ import annotations

import asyncio

from bot.errors import UsageError
from bot.presenters.blocks_common import OutgoingFile, Reply
from bot.presenters.blocks_review import review_blocks
from bot.presenters.review_pack import pack_files
from bot.presenters.text_review import review_summary, review_text
from bot.settings import Settings
from bot.usecases.review import ReviewList, review_list
from bot.usecases.review_pack import review_pack
from bot.usecases.services import Services
from commands.args import words_of
from commands.declarations import Asker, SlashCommand

COMMAND = "/review"


def review_details(settings: Settings) -> str:
    review = settings.review
    return (
        "the tokens that meet the monitoring-tag review criteria: daily median home ±2% depth "
        f"under the floor on at least {review.min_days_under_floor} of the last "
        f"{review.window_days} days, and the contribution declined, no response after the "
        "escalation, or the market maker breached. Each with its evidence and the buttons "
        f"Recommend tag · Not now ({review.snooze_days} days) · Clear (editors; audited) · "
        "Evidence pack (daily metrics CSV, case timeline CSV, history chart, summary).\n"
        "• `/review`"
    )


def parse_review_args(text: str | None) -> bool | None:
    """``/review`` takes no arguments: True to answer, None = show help."""
    words = words_of(text, COMMAND)
    if words is None:
        return None
    if words:
        raise UsageError(f"`{COMMAND}` takes no arguments. Try `{COMMAND} help`.")
    return True


def review_answer(listing: ReviewList, note: str | None = None) -> Reply:
    """The `/review` answer; ``note`` (mrkdwn) on top says what was just decided."""
    return Reply(
        text=review_text(listing),
        blocks=review_blocks(listing, note),
        summary=review_summary(listing),
    )


async def review_reply(services: Services, _: bool, asker: Asker) -> Reply:
    return review_answer(await review_list(services))


async def evidence_files(services: Services, symbol: str) -> list[OutgoingFile]:
    """The evidence pack of ``symbol`` as files (the chart drawn off the event loop)."""
    pack = await review_pack(services, symbol)
    watermark = "DEMO DATA" if services.is_demo else None
    return await asyncio.to_thread(pack_files, pack, watermark)


REVIEW = SlashCommand(
    name=COMMAND,
    arguments="",
    description="Tokens up for the monitoring-tag review, with evidence and decisions",
    details=review_details,
    parse=lambda text, settings: parse_review_args(text),
    reply=review_reply,
)
