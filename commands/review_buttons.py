"""The buttons of a `/review` answer: Recommend tag · Not now · Clear store the decision (editors
only, audited, once per listing: ``bot.usecases.review_decide``) and redraw the answer in place
with what was decided on top; Evidence pack uploads the pack's four files to the channel (or the
clicker's DM when liqbot is not in it) and says where.

An ephemeral answer can only be changed through the click's response_url
(``replace_original``), which is what ``respond`` does here.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.presenters.blocks_common import mention
from bot.presenters.blocks_review import DECISION_OF_ACTION, parse_button_value
from bot.presenters.text_review import decision_line
from bot.usecases.args import parse_symbol
from bot.usecases.review import review_list
from bot.usecases.review_decide import decide_review
from bot.usecases.services import Services
from commands.review import evidence_files, review_answer
from commands.slack_state import SlackState
from commands.slash import with_banner
from commands.uploads import upload_for


def _clicked(action: dict[str, Any]) -> tuple[str, int]:
    try:
        symbol, after = parse_button_value(str(action.get("value") or ""))
    except ValueError:
        raise UserFacingError("That button is not one of liqbot's review buttons.") from None
    return parse_symbol(symbol), after


async def on_review_decision(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    services: Services,
    slack_state: SlackState,
) -> None:
    """Recommend tag · Not now · Clear."""
    await ack()
    symbol, after = _clicked(action)
    decision = DECISION_OF_ACTION[str(action.get("action_id"))]
    actor = await slack_state.actor(client, services.settings, body)
    result = await decide_review(services, actor, symbol, decision, after)
    note = f"*{symbol}*: {decision_line(result.decision, who=mention)}"
    answer = with_banner(services, review_answer(await review_list(services), note))
    await respond(
        text=answer.summary,
        blocks=answer.blocks,
        replace_original=True,
        response_type="ephemeral",
    )


async def on_review_pack(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    services: Services,
) -> None:
    """Evidence pack: the four files, then an ephemeral line saying where they went."""
    await ack()
    symbol, _ = _clicked(action)
    files = await evidence_files(services, symbol)
    channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get(
        "id"
    )
    user_id = str((body.get("user") or {}).get("id") or "")
    where = await upload_for(
        client, channel, user_id, files, f"Monitoring-tag evidence pack for {symbol}"
    )
    await respond(
        text=f"Evidence pack for {symbol} uploaded to <#{where}>.",
        response_type="ephemeral",
        replace_original=False,
    )
