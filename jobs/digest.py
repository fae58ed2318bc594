"""The daily digest job and `liqbot digest` (SPEC 2 and 7): build, post once per channel and day.

Posting goes through the run ledger (``bot.usecases.ledger.run_once``) keyed ("digest:<channel>",
the team's day in ``TIMEZONE``): one process posts, across restarts and replicas. The main message
is recorded right after Slack accepts it, then each thread reply (or the CSV) likewise, so a run
taken over after a crash posts only what is missing. The one window the ledger cannot see, a crash
after ``chat.postMessage`` and before the ts is recorded, is closed by the message itself: it
carries metadata ``{"event_type": "liqbot_digest", "event_payload": {"period": day}}`` and a header
block_id naming the day, and a taken-over run looks for it in the channel history (needs
``channels:history`` / ``groups:history``) before posting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.digest import (
    digest_csv,
    digest_message,
    marker_block_id,
    render_digest_text,
    thread_messages,
    uses_csv,
)
from bot.settings import SettingsError
from bot.usecases.args import team_today
from bot.usecases.digest import Digest, build_digest
from bot.usecases.ledger import Posts, RunOutcome, run_once
from bot.usecases.services import Services
from jobs.scheduler import digest_trigger, latest_fire_today
from jobs.slack import JobMessage, post_with_thread, slack_client

logger = logging.getLogger(__name__)

EVENT_TYPE = "liqbot_digest"

DigestStatus = Literal["posted", "already_posted", "busy", "gave_up", "dry_run"]


@dataclass(frozen=True)
class DigestRun:
    """What `liqbot digest` / the job did. ``digest`` is None when nothing was built (already
    posted, or another process is posting it); ``ts`` is the main message's Slack ts."""

    status: DigestStatus
    day: str
    channel: str | None
    ts: str | None = None
    digest: Digest | None = None
    text: str = ""

    @property
    def message(self) -> str:
        """One line for the CLI."""
        where = f" in {self.channel}" if self.channel else ""
        return {
            "posted": f"digest of {self.day} posted{where} (ts {self.ts})",
            "already_posted": (
                f"digest of {self.day} already posted{where} (ts {self.ts}); --force posts it again"
            ),
            "busy": f"digest of {self.day}{where} is being posted by another liqbot process",
            "gave_up": f"digest of {self.day}{where} failed too often; --force posts it",
            "dry_run": f"digest of {self.day} (dry run, not posted)",
        }[self.status]


def digest_job_name(channel: str) -> str:
    """The run ledger's job name: one digest per channel and day."""
    return f"digest:{channel}"


async def post_digest(
    client: AsyncWebClient, channel: str, digest: Digest, posts: Posts, check_history: bool
) -> str:
    """Post what of the digest is not recorded yet: main message, thread replies or the CSV.
    Returns the main message's ts."""
    job = JobMessage(EVENT_TYPE, digest.day, marker_block_id(digest.day))
    main, thread = digest_message(digest), thread_messages(digest)
    channel_id, ts = await post_with_thread(
        client, channel, main, thread, posts, job, check_history
    )
    if uses_csv(digest) and posts.posted("csv") is None:
        upload = await client.files_upload_v2(
            channel=channel_id,
            thread_ts=ts,
            content=digest_csv(digest),
            filename=f"liqbot-at-risk-{digest.day}.csv",
            title=f"At-risk tokens {digest.day}",
            initial_comment=f"All {len(digest.rows)} listed at-risk tokens of {digest.day}.",
        )
        files = upload.get("files") or [upload.get("file") or {}]
        await posts.record(channel_id, str(files[0].get("id") or "file"), "csv")
    return ts


def _summary(digest: Digest) -> dict[str, Any]:
    return {
        "day": digest.day,
        "scan_id": digest.scan_id,  # what the next digest compares with
        "markets_scanned": digest.markets_scanned,
        "at_risk": digest.at_risk,
        "listed": len(digest.rows),
        "new_today": len(digest.new_today),
        "recovered": len(digest.recovered),
        "venues_not_scanned": [v.exchange for v in digest.venues_not_scanned],
    }


def _main_ts(outcome: RunOutcome) -> str | None:
    return next((p.ts for p in outcome.posts if p.kind == "main"), None)


async def run_digest(
    services: Services,
    channel: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    now: datetime | None = None,
    *,
    period: str | None = None,
) -> DigestRun:
    """`liqbot digest [--dry-run] [--channel C] [--force]`: build today's digest and post it to
    ``channel`` (default ``DIGEST_CHANNEL``) once per channel and local day, unless ``force``.
    ``dry_run`` posts nothing and returns the text rendering. ``period`` (the local date,
    ISO) overrides the day taken from ``now``. Raises ``SettingsError`` without a channel."""
    settings = services.settings
    moment = now or services.clock()
    day = period or team_today(settings, moment).isoformat()
    target = channel or settings.digest_channel
    if dry_run:
        digest = await build_digest(services, moment)
        return DigestRun("dry_run", day, target, digest=digest, text=render_digest_text(digest))
    if not target:
        raise SettingsError(
            "missing setting DIGEST_CHANNEL: the channel id the digest is posted to "
            "(or pass --channel)"
        )
    client = slack_client(settings)
    job = digest_job_name(target)
    if force:
        digest = await build_digest(services, moment)
        forced = Posts(services, job, day, ())
        ts = await post_digest(client, target, digest, forced, check_history=False)
        return DigestRun("posted", day, target, ts, digest, render_digest_text(digest))

    async def work() -> Digest:
        return await build_digest(services, moment)

    async def post(digest: Digest, posts: Posts) -> None:
        await post_digest(client, target, digest, posts, check_history=posts.attempt > 1)

    outcome = await run_once(services, job, day, work, post, summarize=_summary)
    if outcome.status == "done":
        digest = outcome.result
        text = render_digest_text(digest)
        return DigestRun("posted", day, target, _main_ts(outcome), digest, text)
    skipped: dict[str, DigestStatus] = {"already_done": "already_posted", "gave_up": "gave_up"}
    return DigestRun(skipped.get(outcome.status, "busy"), day, target, _main_ts(outcome))


async def digest_job(services: Services) -> DigestRun | None:
    """The scheduled digest (and its catch-up): today's period once ``DIGEST_CRON`` has fired
    today; None when it has not fired yet today or no ``DIGEST_CHANNEL`` is set (``register``
    says so once, at start)."""
    settings = services.settings
    if not settings.digest_channel:
        return None
    now = services.clock()
    fired = latest_fire_today(digest_trigger(settings), settings, now)
    if fired is None:
        return None
    return await run_digest(services, now=now, period=team_today(settings, fired).isoformat())
