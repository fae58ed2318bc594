"""The alerts of each scheduled snapshot (SPEC 6 "Alerts"), posted once to ``ALERT_CHANNEL``
(default ``DIGEST_CHANNEL``).

A snapshot slot's alerts are their own run in the run ledger (job "alerts", the slot's period),
started right after the slot's snapshot run by whoever ran it or found it done
(``jobs.snapshot``), so a crash between the two is caught up with the snapshot:
1. work: ``check_alerts`` stores what the snapshot opens and closes, once (a retry finds it);
2. post: the new alerts as ONE message, recorded as "main" (the episodes note its ts), their
   details in its thread ("thread:N"), and each recovery as a reply in the thread of the message
   that announced it ("recovery:<episode id>"). A run taken over after a crash posts only what
   was not recorded; a crash between Slack's answer and the record is caught by the message's
   metadata, in the channel for the alert message (``jobs.slack.post_once``) and in the thread
   for the replies (``jobs.slack.Thread``). An episode is announced once, however many replicas.
Without a channel the alerts are checked and stored, not posted (``register`` says so).
"""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.alerts import alert_marker, alert_message, recovery_message, thread_messages
from bot.usecases.alerts import AlertBatch, check_alerts, mark_posted
from bot.usecases.ledger import Posts, RunOutcome, run_once
from bot.usecases.services import Services
from jobs.slack import JobMessage, Thread, post_with_thread, slack_client

JOB = "alerts"
EVENT_TYPE = "liqbot_alerts"


def alert_summary(batch: AlertBatch) -> dict[str, Any]:
    """What the run ledger keeps of an alerts run."""
    return {
        "scan_id": batch.scan_id,
        "baseline": batch.baseline,
        "opened": [f"{e.symbol}:{e.kind}" for e in batch.opened],
        "recovered": [f"{e.symbol}:{e.kind}" for e in batch.recovered],
        "announced_late": [f"{e.symbol}:{e.kind}" for e in batch.unannounced],
    }


async def post_alerts(
    services: Services,
    client: AsyncWebClient,
    channel: str,
    batch: AlertBatch,
    posts: Posts,
    period: str,
) -> None:
    """Post what of the batch is not recorded yet: the alert message and its thread (the new
    alerts and the open ones never announced), then the recoveries (an alert never announced
    recovers silently)."""
    batch = batch.to_announce()
    if batch.opened:
        job = JobMessage(EVENT_TYPE, period, alert_marker(period))
        main, thread = alert_message(batch, period), thread_messages(batch)
        check_history = posts.attempt > 1
        channel_id, ts = await post_with_thread(
            client, channel, main, thread, posts, job, check_history
        )
        await mark_posted(services, batch, channel_id, ts)
    threads: dict[tuple[str, str], Thread] = {}
    for episode in batch.recovered:
        kind = f"recovery:{episode.id}"
        if episode.post_channel is None or episode.post_ts is None or posts.posted(kind):
            continue
        where = (episode.post_channel, episode.post_ts)
        replies = threads.setdefault(where, Thread(client, *where, check=posts.attempt > 1))
        ts = await replies.reply_once(recovery_message(episode, batch), kind)
        await posts.record(episode.post_channel, ts, kind, episode.symbol)


async def alerts_job(services: Services, period: str, scan_id: int) -> RunOutcome:
    """Check the alerts of the snapshot slot ``period`` (stored as scan ``scan_id``) and post
    them, once across processes and restarts."""
    channel = services.settings.alert_target

    async def work() -> AlertBatch:
        return await check_alerts(services, scan_id)

    async def post(batch: AlertBatch, posts: Posts) -> None:
        if channel and (batch.opened or batch.recovered or batch.unannounced):
            client = slack_client(services.settings)
            await post_alerts(services, client, channel, batch, posts, period)

    return await run_once(services, JOB, period, work, post, summarize=alert_summary)
