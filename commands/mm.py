"""`/mm TOKEN`: market-maker engagement on record and observed quoting from snapshot history."""

from __future__ import annotations

from bot.presenters.blocks_common import Reply
from bot.presenters.blocks_mm import mm_blocks
from bot.presenters.text_mm import mm_summary, mm_text
from bot.usecases.mm import mm_report
from bot.usecases.services import Services
from commands.args import token_argument
from commands.declarations import Asker, SlashCommand

COMMAND = "/mm"
DETAILS = (
    "the market maker on record for a token (who, since, until, source, who logged it) and the "
    "market-maker-like quoting seen in the home exchange's snapshots over 14 and 30 days "
    "(two-sided uptime, median spread, median ±2% depth), with the status: verified, claimed or "
    "breached for a market maker on record (judged against its obligations), else observed, "
    "none or unknown.\n• `/mm PEPE`"
)


def parse_mm_args(text: str | None) -> str | None:
    """The token symbol of ``/mm TOKEN``; None = show help."""
    return token_argument(text, COMMAND)


async def mm_reply(services: Services, symbol: str, asker: Asker) -> Reply:
    report = await mm_report(services, symbol)
    return Reply(text=mm_text(report), blocks=mm_blocks(report), summary=mm_summary(report))


MM = SlashCommand(
    name=COMMAND,
    arguments="TOKEN",
    description="Market-maker engagement on record and observed quoting",
    details=lambda settings: DETAILS,
    parse=lambda text, settings: parse_mm_args(text),
    reply=mm_reply,
)
