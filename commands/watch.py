"""`/watch TOKEN` and `/unwatch TOKEN`: the tokens the daily digest always shows, audited."""

from __future__ import annotations

from bot.presenters.blocks_common import Reply
from bot.presenters.blocks_watch import watch_reply
from bot.usecases.services import Services
from bot.usecases.watch import set_watch
from commands.args import token_argument
from commands.declarations import Asker, SlashCommand

WATCH_DETAILS = (
    "puts a token on the team's watch list: the daily digest shows it every day with its "
    "change since the previous digest, at risk or not. `/unwatch` takes it off.\n• `/watch PEPE`"
)
UNWATCH_DETAILS = (
    "takes a token off the team's watch list: the digest shows it again only when it is at "
    "risk.\n• `/unwatch PEPE`"
)


async def watch_answer(services: Services, symbol: str, asker: Asker) -> Reply:
    return watch_reply(await set_watch(services, symbol, True, asker.user_id, asker.team_id))


async def unwatch_answer(services: Services, symbol: str, asker: Asker) -> Reply:
    return watch_reply(await set_watch(services, symbol, False, asker.user_id, asker.team_id))


WATCH = SlashCommand(
    name="/watch",
    arguments="TOKEN",
    description="Always show a token in the daily digest",
    details=lambda settings: WATCH_DETAILS,
    parse=lambda text, settings: token_argument(text, "/watch"),
    reply=watch_answer,
)

UNWATCH = SlashCommand(
    name="/unwatch",
    arguments="TOKEN",
    description="Stop always showing a token in the daily digest",
    details=lambda settings: UNWATCH_DETAILS,
    parse=lambda text, settings: token_argument(text, "/unwatch"),
    reply=unwatch_answer,
)
