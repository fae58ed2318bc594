"""The slash commands: one dispatcher shared by Slack and `liqbot ask`, and one Bolt listener.

``SLASH_COMMANDS`` lists every command's declaration (``commands.declarations.SlashCommand``), in
the order Slack's app settings show them. ``answer(services, command, text, user_id)`` finds the
declaration, runs its parser, use case and presenters and returns a ``Reply`` (DEMO DATA banner on
top when MARKET_SOURCE=demo). The listener acknowledges at once, then answers through
``response_url`` (ephemeral). Errors are ``UserFacingError``s that the app's one error handler
shows; nothing here catches them.

The actions blocks of an answer get the command line appended to their block_id
(``actions:PEPE|/liquidity PEPE``): an ephemeral message is not sent back with a button click, so
that is how a modal submission knows which answer to redraw in place (``commands.origin``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.vocabulary import DEMO_BANNER
from bot.errors import UsageError
from bot.presenters.blocks_common import Block, Reply, banner, clip, escape
from bot.usecases.services import Services
from bot.usecases.token import LIVE_BUDGET_S
from commands.atrisk import ATRISK
from commands.declarations import Asker, SlashCommand
from commands.liquidity import LIQUIDITY, upload_chart
from commands.mm import MM
from commands.outreach import OUTREACH
from commands.review import REVIEW
from commands.slack_state import SlackState
from commands.watch import UNWATCH, WATCH

logger = logging.getLogger(__name__)

SLASH_COMMANDS: tuple[SlashCommand[Any], ...] = (
    LIQUIDITY,
    MM,
    ATRISK,
    OUTREACH,
    WATCH,
    UNWATCH,
    REVIEW,
)
"""Every slash command liqbot answers: registered, dispatched, helped and listed in the manifest
from here."""
_BY_NAME = {command.name: command for command in SLASH_COMMANDS}

ORIGIN_SEPARATOR = "|"
STAMPED = ("actions:", "owner:", "entry:")
"""block_ids of the blocks whose controls open a modal or write (buttons, the owner picker, an
entry's menu): they carry the command line."""
BLOCK_ID_LIMIT = 255
FALLBACK_TEXT_LIMIT = 3900


def declared(command: str) -> SlashCommand[Any]:
    """The declaration of ``command`` (e.g. ``/liquidity``); ``UserFacingError`` when unknown."""
    found = _BY_NAME.get(command.strip().lower())
    if found is None:
        known = ", ".join(_BY_NAME)
        raise UsageError(f"Unknown command `{clip(command, 24)}`: use one of {known}.")
    return found


async def answer(services: Services, command: str, text: str, asker: Asker | str) -> Reply:
    """The reply to ``command`` (e.g. ``/liquidity``) with ``text`` (e.g. ``PEPE okx``), for
    ``asker`` (an ``Asker``, or just the user id: the default answer deadline)."""
    if isinstance(asker, str):
        asker = Asker(asker)
    return with_banner(services, await declared(command).answer(services, text, asker))


def with_banner(services: Services, reply: Reply) -> Reply:
    """``reply`` with the DEMO DATA banner on top when MARKET_SOURCE=demo."""
    if not services.is_demo:
        return reply
    return Reply(
        text=f"{DEMO_BANNER}\n{reply.text}",
        blocks=[banner(DEMO_BANNER), *reply.blocks],
        summary=f"DEMO DATA · {reply.summary}",
        chart=reply.chart,
    )


def command_line(command: str, text: str) -> str:
    return f"{command} {' '.join(text.split())}".strip()


def stamp_origin(blocks: Sequence[Block], line: str) -> list[Block]:
    """``blocks`` with ``line`` appended to the block_id of each block with outreach controls
    (``STAMPED``; when it fits Slack's 255 characters)."""
    stamped = []
    for block in blocks:
        block_id = str(block.get("block_id") or "")
        candidate = f"{block_id}{ORIGIN_SEPARATOR}{line}"
        if block_id.startswith(STAMPED) and len(candidate) <= BLOCK_ID_LIMIT:
            block = {**block, "block_id": candidate}
        stamped.append(block)
    return stamped


def origin_command(block_id: str) -> str | None:
    """The command line stamped on an actions block_id, or None."""
    _, separator, line = block_id.partition(ORIGIN_SEPARATOR)
    return line if separator and line.startswith("/") else None


async def on_slash_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """Every slash command: ack at once, then the answer through response_url (ephemeral),
    due ``LIVE_BUDGET_S`` after the command arrived (Slack shows it within 5 s)."""
    answer_by = time.monotonic() + LIVE_BUDGET_S
    await ack()
    name, text = command.get("command", ""), command.get("text") or ""
    line = command_line(name, text)
    user_id = str(command.get("user_id") or "")
    declaration = declared(name)
    # Most answers do not depend on who asks (arguments are case-insensitive), so identical
    # commands share one; a personal one (`/outreach mine`, a write) is the asker's own. Only
    # answers that may fetch from the exchanges wait for a slot: help, /atrisk, /mm, /outreach,
    # /watch never queue.
    key = line.lower()
    team_id = command.get("team_id")
    asker = Asker(user_id, answer_by, team_id=team_id)
    if declaration.personal(text):
        key = f"{user_id}:{key}"
        actor = await slack_state.command_actor(client, services.settings, command)
        request_id = str(command.get("trigger_id") or "") or asker.request_id
        asker = Asker(user_id, answer_by, actor, request_id, team_id)
    reply = await slack_state.shared_answer(
        key,
        lambda: answer(services, name, text, asker),
        slotted=declaration.fetches_for(text),
    )
    blocks = stamp_origin(reply.blocks, line)
    sent = await respond(text=reply.notification, blocks=blocks, response_type="ephemeral")
    if sent.status_code != 200:
        # Slack refused the blocks (a presenter bug): the answer still reaches the user as text.
        logger.error(
            "Slack refused the %s answer's blocks: %s %s", name, sent.status_code, sent.body
        )
        await respond(text=escape(clip(reply.text, FALLBACK_TEXT_LIMIT)), response_type="ephemeral")
    if reply.chart is not None:
        channel, user = command.get("channel_id"), command.get("user_id", "")
        await upload_chart(client, services, channel, user, reply.chart)
