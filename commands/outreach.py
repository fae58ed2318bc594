"""`/outreach TOKEN`: the timeline of outreach and replies with the ±2% depth before and after."""

from __future__ import annotations

from bot.presenters.blocks_common import Reply
from bot.presenters.blocks_outreach import outreach_blocks
from bot.presenters.text_outreach import outreach_summary, outreach_text
from bot.usecases.outreach import outreach_timeline
from bot.usecases.services import Services
from commands.args import token_argument
from commands.declarations import Asker, SlashCommand

COMMAND = "/outreach"
DETAILS = (
    "every outreach to the token's project and every reply, oldest first, with who logged it "
    "and the home ±2% depth before and after each reply; the buttons log more.\n"
    "• `/outreach PEPE`"
)


def parse_outreach_args(text: str | None) -> str | None:
    """The token symbol of ``/outreach TOKEN``; None = show help."""
    return token_argument(text, COMMAND)


async def outreach_reply(services: Services, symbol: str, asker: Asker) -> Reply:
    timeline = await outreach_timeline(services, symbol)
    return Reply(
        text=outreach_text(timeline),
        blocks=outreach_blocks(timeline),
        summary=outreach_summary(timeline),
    )


OUTREACH = SlashCommand(
    name=COMMAND,
    arguments="TOKEN",
    description="Outreach and replies for a token, with depth before/after",
    details=lambda settings: DETAILS,
    parse=lambda text, settings: parse_outreach_args(text),
    reply=outreach_reply,
)
