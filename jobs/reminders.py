"""Follow-up reminders (SPEC 7): outreach without a reply after ``FOLLOWUP_DAYS`` → one direct
message to the person who logged it.

Each reminder is its own run in the ledger ("followup_reminder", outreach id): the DM is recorded
right after Slack accepts it and ``mark_reminded`` follows, so replicas and a restart after a
crash send exactly one reminder per outreach.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import escape
from bot.usecases.ledger import Posts, RunOutcome, run_once
from bot.usecases.outreach.followups import FollowUp, due_followups, mark_reminded
from bot.usecases.services import Services
from jobs.slack import slack_client

logger = logging.getLogger(__name__)

JOB = "followup_reminder"


def reminder_text(followup: FollowUp) -> str:
    """The reminder as one plain line."""
    contact = f" to {followup.contact}" if followup.contact else ""
    days = "day" if followup.days_waiting == 1 else "days"
    return (
        f"Follow-up due for {followup.symbol}: you logged outreach via {followup.channel}{contact} "
        f"on {followup.logged_at:%Y-%m-%d}, {followup.days_waiting} {days} ago, and no reply is "
        "recorded. Log the project's answer, log a new outreach, or snooze the token."
    )


def reminder_blocks(followup: FollowUp) -> list[dict[str, Any]]:
    """The reminder with the token's outreach buttons (the same ones as a digest row)."""
    section = {
        "type": "section",
        "block_id": token_block_id(followup.symbol),
        "text": {"type": "mrkdwn", "text": escape(reminder_text(followup))},
    }
    return [section, outreach_buttons(followup.symbol)]


async def send_reminder(
    services: Services, client: AsyncWebClient, followup: FollowUp
) -> RunOutcome:
    """DM one reminder unless it was sent already, then mark the outreach reminded."""

    async def work() -> FollowUp:
        return followup

    async def post(item: FollowUp, posts: Posts) -> None:
        if posts.posted("dm") is None:
            response = await client.chat_postMessage(
                channel=item.logged_by,
                text=escape(reminder_text(item)),
                blocks=reminder_blocks(item),
            )
            await posts.record(str(response["channel"]), str(response["ts"]), "dm", item.symbol)
        await mark_reminded(services, item.outreach_id, services.clock())

    def summary(item: FollowUp) -> dict[str, Any]:
        return {"symbol": item.symbol, "user": item.logged_by}

    return await run_once(services, JOB, str(followup.outreach_id), work, post, summarize=summary)


async def reminders_job(services: Services) -> int:
    """Remind every due outreach once; returns how many reminders this call sent. One failed
    DM (a deactivated user) does not hold up the others; it is retried by the next run."""
    due = await due_followups(services, services.clock(), services.settings.followup_days)
    if not due:
        return 0
    client = slack_client(services.settings)
    sent = 0
    for followup in due:
        try:
            outcome = await send_reminder(services, client, followup)
        except Exception:
            logger.exception("follow-up reminder of outreach %s failed", followup.outreach_id)
            continue
        sent += outcome.status == "done"
    return sent
