"""Follow-ups (SPEC 6 and 7): a case without an answer after ``FOLLOWUP_DAYS`` → one direct
message to its owner; still none ``FOLLOWUP_ESCALATE_DAYS`` after that reminder → one post in
``DIGEST_CHANNEL`` mentioning the owner. An answer to one question restarts the wait for the
other (``bot.domain.followup``).

Each step is its own run in the ledger (``followup_reminder`` / ``followup_escalation``, period
= token and the contact or answer waited on since): the message is recorded right after Slack
accepts it, then the step is recorded as an event of the case, so replicas and a restart after
a crash send each message once. The message carries metadata naming its step
(``liqbot_followup``: token, step, the anchor and the period); a later attempt of the run (a
takeover after a crash, a retry after a failure) first looks for it in the DM or channel among
the messages posted since the run started, so a message Slack took just before the runner died
(or before the database refused the record) is recorded with its ts, not sent again. A history
that cannot be read for now fails the attempt; the next run asks again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.calendar import team_day, team_time
from bot.domain.event_words import KIND_WORDS
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import escape, mention
from bot.usecases.ledger import Posts, RunOutcome, run_once
from bot.usecases.outreach.followups import DueStep, due_steps, record_step
from bot.usecases.services import Services
from jobs.slack import find_since, slack_client

logger = logging.getLogger(__name__)

JOBS = {"remind": "followup_reminder", "escalate": "followup_escalation"}
FOLLOWUP_EVENT = "liqbot_followup"
"""The metadata event type of a reminder or an escalation; ``followup_payload`` is its payload."""


def _waiting(due: DueStep, now: datetime) -> str:
    followup = due.followup
    anchor = followup.anchor
    days = followup.days_waiting(now)
    awaiting = " and ".join(followup.awaiting)
    return (
        f"waiting for {awaiting} since the {KIND_WORDS.get(anchor.kind, anchor.kind)} of "
        f"{team_time(anchor.at, followup.timezone)}, {days} day{'' if days == 1 else 's'} ago"
    )


def reminder_text(due: DueStep, now: datetime) -> str:
    """The reminder to the owner, as one plain line."""
    return (
        f"Follow-up due for {due.followup.symbol} (your case): {_waiting(due, now)}. Log the "
        "project's answer, log a new outreach, or snooze the token."
    )


def escalation_text(due: DueStep, now: datetime) -> str:
    """The escalation in the team's channel (mrkdwn: the owner is mentioned)."""
    followup = due.followup
    reminded = followup.reminded
    when = f"; reminded {team_day(reminded.at, followup.timezone)}" if reminded else ""
    owner = mention(followup.case.owner) if followup.case.owner else "Nobody owns this case"
    return (
        f"{owner}: {escape(followup.symbol)} is escalated, {escape(_waiting(due, now))}"
        f"{when}. `/outreach {escape(followup.symbol)}` shows the case."
    )


def step_blocks(due: DueStep, text: str) -> list[dict[str, Any]]:
    """The message with the token's outreach buttons (the same ones as a digest row)."""
    section = {
        "type": "section",
        "block_id": token_block_id(due.followup.symbol),
        "text": {"type": "mrkdwn", "text": text},
    }
    return [section, outreach_buttons(due.followup.symbol)]


def _message(services: Services, due: DueStep) -> tuple[str, str] | None:
    """(channel, mrkdwn text) of the step's message; None when it has nowhere to go."""
    now = services.clock()
    owner = due.followup.case.owner
    if due.step == "remind" and owner:
        return owner, escape(reminder_text(due, now))
    channel = services.settings.digest_channel
    return (channel, escalation_text(due, now)) if channel else None


def followup_payload(due: DueStep) -> dict[str, str]:
    """What identifies the step's message in Slack: one per token, step and anchor (the contact
    or answer waited on since), like its run in the ledger."""
    return {
        "token": due.followup.symbol,
        "step": due.step,
        "anchor": str(due.followup.anchor.id),
        "period": due.period,
    }


async def post_step(
    client: AsyncWebClient, due: DueStep, target: str, text: str, posts: Posts
) -> tuple[str, str]:
    """Post the step's message to ``target`` (a user id: the DM; or a channel), or, on a later
    attempt of its run, find it there if an earlier attempt posted it. Returns (conversation
    id, ts)."""
    payload = followup_payload(due)
    if posts.attempt > 1:
        found = await find_since(client, target, FOLLOWUP_EVENT, payload, posts.started_at)
        if found is not None:
            logger.info("%s of %s was already in Slack (%s)", due.step, due.followup.symbol, found)
            return found
    response = await client.chat_postMessage(
        channel=target,
        text=text,
        blocks=step_blocks(due, text),
        metadata={"event_type": FOLLOWUP_EVENT, "event_payload": payload},
    )
    return str(response["channel"]), str(response["ts"])


async def carry_out(services: Services, client: AsyncWebClient, due: DueStep) -> RunOutcome:
    """Post one reminder or escalation unless it was posted already, then record it in the
    case."""

    async def work() -> DueStep:
        return due

    async def post(item: DueStep, posts: Posts) -> None:
        message = _message(services, item)
        if message is None:
            logger.warning("no DIGEST_CHANNEL: %s not escalated", item.followup.symbol)
            return
        target, text = message
        recorded = posts.posted(item.step)
        if recorded is not None:
            channel = recorded.channel
        else:
            channel, ts = await post_step(client, item, target, text, posts)
            await posts.record(channel, ts, item.step, item.followup.symbol)
        await record_step(services, item, services.clock(), channel)

    def summary(item: DueStep) -> dict[str, Any]:
        return {"symbol": item.followup.symbol, "owner": item.followup.case.owner}

    return await run_once(services, JOBS[due.step], due.period, work, post, summarize=summary)


async def reminders_job(services: Services) -> int:
    """Carry out every reminder and escalation due now, once each; returns how many this call
    sent. One failed message (a deactivated user) does not hold up the others; it is retried by
    the next run."""
    due = await due_steps(services, services.clock())
    if not due:
        return 0
    client = slack_client(services.settings)
    sent = 0
    for step in due:
        try:
            outcome = await carry_out(services, client, step)
        except Exception:
            logger.exception("follow-up %s of %s failed", step.step, step.followup.symbol)
            continue
        sent += outcome.status == "done"
    return sent
