"""`/outreach TOKEN|mine|team|overdue` and `/outreach assign TOKEN @user`: a token's case with
its timeline and next steps, the open cases by owner and stage, the overdue ones, and giving a
case its owner (a mention; without one, the case comes with its owner picker)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.errors import UsageError
from bot.presenters.blocks_cases import case_list_blocks
from bot.presenters.blocks_common import Reply, context
from bot.presenters.blocks_outreach import outreach_blocks, outreach_note
from bot.presenters.text_cases import case_list_summary, case_list_text
from bot.presenters.text_outreach import outreach_summary, outreach_text
from bot.usecases.args import parse_symbol
from bot.usecases.outreach import assign_owner, case_list, outreach_case
from bot.usecases.services import Services
from commands.args import no_more_words, words_of
from commands.declarations import Asker, SlashCommand

COMMAND = "/outreach"
LISTS = ("mine", "team", "overdue")
MENTION = re.compile(r"<@([UW][A-Z0-9]{2,20})(?:\|([^>]{1,80}))?>")
PICK_OWNER = "Pick the new owner with the picker next to *Owner* below."
DETAILS = (
    "a token's outreach case: its stage and owner, both answers (market maker; contribution "
    "pledged, agreed, received, with the shortfall), its follow-up, and the timeline of every "
    "event with who logged it and when, each answer with the home ±2% depth before and after; "
    "buttons for the next steps, and a menu on each entry to correct or retract it.\n"
    "• `/outreach PEPE` — the case\n"
    "• `/outreach mine` — the open cases you own\n"
    "• `/outreach team` — every open case, by owner and stage\n"
    "• `/outreach overdue` — the cases whose follow-up day has come\n"
    "• `/outreach assign PEPE @alice` — give the case to alice (without a name: a picker)"
)


@dataclass(frozen=True)
class OutreachQuery:
    """What `/outreach` was asked: a case, a list, or an assignment (``owner_id`` None: show
    the picker)."""

    what: Literal["case", "mine", "team", "overdue", "assign"]
    symbol: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None


def parse_outreach_args(text: str | None) -> OutreachQuery | None:
    """The query of ``/outreach …``; None = show help."""
    words = words_of(text, COMMAND)
    if not words:
        return None
    first = words[0].lower()
    if first in LISTS:
        no_more_words(words, 1, COMMAND)
        return OutreachQuery(first)  # type: ignore[arg-type]  # one of LISTS
    if first != "assign":
        symbol = parse_symbol(words[0])
        no_more_words(words, 1, COMMAND)
        return OutreachQuery("case", symbol)
    if len(words) < 2:
        raise UsageError(f"Give the token: `{COMMAND} assign PEPE @alice`.")
    symbol = parse_symbol(words[1])
    if len(words) == 2:
        return OutreachQuery("assign", symbol)
    mention = MENTION.fullmatch(" ".join(words[2:]))
    if mention is None:
        raise UsageError(f"Name the new owner with a mention: `{COMMAND} assign PEPE @alice`.")
    return OutreachQuery("assign", symbol, mention[1], mention[2])


def is_personal(text: str) -> bool:
    """`/outreach mine` and `/outreach assign …` depend on who asks."""
    first = (text.split() or [""])[0].lower()
    return first in ("mine", "assign")


async def case_reply(
    services: Services, symbol: str, lead: str | None = None, lead_text: str | None = None
) -> Reply:
    """The case of ``symbol``, with ``lead`` (mrkdwn; ``lead_text`` for a terminal) on top."""
    view = await outreach_case(services, symbol)
    blocks = outreach_blocks(view)
    text = outreach_text(view)
    if lead:
        blocks = [blocks[0], context(lead), *blocks[1:]]
        text = f"{lead_text or lead}\n{text}"
    return Reply(text=text, blocks=blocks, summary=outreach_summary(view))


async def outreach_reply(services: Services, query: OutreachQuery, asker: Asker) -> Reply:
    if query.what in LISTS:
        listed = await case_list(services, query.what, asker.user_id)  # type: ignore[arg-type]
        return Reply(
            text=case_list_text(listed),
            blocks=case_list_blocks(listed),
            summary=case_list_summary(listed),
        )
    assert query.symbol is not None  # parsed with the case and the assignment
    if query.what == "case":
        return await case_reply(services, query.symbol)
    if query.owner_id is None:
        return await case_reply(services, query.symbol, PICK_OWNER)
    key = f"assign:{query.symbol}:{asker.request_id}"
    actor = asker.as_actor
    result = await assign_owner(
        services, actor, query.symbol, query.owner_id, query.owner_name, key
    )
    done = (
        f"{result.description} — logged by {actor.user_name or actor.user_id} (#{result.record_id})"
    )
    return await case_reply(services, query.symbol, outreach_note(result), done)


OUTREACH = SlashCommand(
    name=COMMAND,
    arguments="TOKEN|mine|team|overdue, assign TOKEN @user",
    description="A token's outreach case and timeline; your cases, the team's, overdue ones",
    details=lambda settings: DETAILS,
    parse=lambda text, settings: parse_outreach_args(text),
    reply=outreach_reply,
    personal=is_personal,
    escapes=True,
)
