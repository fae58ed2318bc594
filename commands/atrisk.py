"""`/atrisk [N] [high|medium]`: the current at-risk list, ranked, with each token's outreach
state."""

from __future__ import annotations

from bot.presenters.blocks_atrisk import atrisk_blocks
from bot.presenters.blocks_common import Reply
from bot.presenters.text_atrisk import atrisk_summary, atrisk_text
from bot.usecases.args import parse_at_risk_args
from bot.usecases.atrisk import at_risk
from bot.usecases.services import Services
from commands.args import no_more_words, words_of
from commands.declarations import Asker, SlashCommand

COMMAND = "/atrisk"
DETAILS = (
    "the tokens at risk in the latest scan, riskiest first, with their key figures, reasons "
    "and outreach state (N from 1 to 100, default 20).\n"
    "• `/atrisk`: the top 20, tiers high and medium\n"
    "• `/atrisk 10 high`: the 10 riskiest of tier high"
)


def parse_atrisk_args(text: str | None) -> tuple[int, str | None] | None:
    """(how many, tier or None for both) of ``/atrisk [N] [high|medium]``; None = show help."""
    words = words_of(text, COMMAND)
    if words is None:
        return None
    limit, tier = parse_at_risk_args(" ".join(words[:2]))
    no_more_words(words, 2, COMMAND)
    return limit, tier


async def atrisk_reply(services: Services, args: tuple[int, str | None], asker: Asker) -> Reply:
    result = await at_risk(services, *args)
    return Reply(
        text=atrisk_text(result), blocks=atrisk_blocks(result), summary=atrisk_summary(result)
    )


ATRISK = SlashCommand(
    name=COMMAND,
    arguments="[N] [high|medium]",
    description="Tokens at risk, ranked, with their outreach state",
    details=lambda settings: DETAILS,
    parse=lambda text, settings: parse_atrisk_args(text),
    reply=atrisk_reply,
)
