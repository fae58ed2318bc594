"""The weekly report job and `liqbot report` (SPEC 2 and 7): the previous ISO week's report, posted
once per channel and week to ``REPORT_CHANNEL`` (default ``DIGEST_CHANNEL``), with its charts in
the thread.

The run ledger is keyed ("report:<channel>", "2026-W47"): one process posts, across restarts and
replicas; a week missed while the bot was down is posted by the catch-up within 7 days of its
fire time. The main message is recorded right after Slack accepts it (``jobs.slack.post_once``
closes the window before that), then the charts; a run taken over after a crash posts only what
is missing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.calendar import previous_iso_week, week_monday
from bot.errors import UserFacingError
from bot.presenters.report import marker_block_id, report_blocks, report_summary, report_text
from bot.presenters.report_charts import report_chart_files
from bot.settings import SettingsError
from bot.usecases.ledger import Posts, run_once
from bot.usecases.report import WeeklyReport, build_report
from bot.usecases.services import Services
from jobs.scheduler import latest_fire_since, report_trigger
from jobs.slack import Thread, find_posted, post_once, slack_client

logger = logging.getLogger(__name__)

EVENT_TYPE = "liqbot_report"
CATCH_UP_DAYS = 7
ReportStatus = Literal["posted", "already_posted", "busy", "gave_up", "dry_run"]


@dataclass(frozen=True)
class ReportRun:
    """What `liqbot report` / the job did; ``text`` is the report as text (when built)."""

    status: ReportStatus
    week: str
    channel: str | None
    ts: str | None = None
    text: str = ""

    @property
    def message(self) -> str:
        """One line for the CLI."""
        where = f" in {self.channel}" if self.channel else ""
        return {
            "posted": f"report of {self.week} posted{where} (ts {self.ts})",
            "already_posted": f"report of {self.week} already posted{where} (ts {self.ts})",
            "busy": f"report of {self.week}{where} is being posted by another liqbot process",
            "gave_up": f"report of {self.week}{where} failed too often",
            "dry_run": f"report of {self.week} (dry run, not posted)",
        }[self.status]


def report_week(services: Services, week: str | None, now: datetime) -> str:
    """``week`` checked (``YYYY-Www``), or the ISO week before ``now``'s in ``TIMEZONE``."""
    if week is None:
        return previous_iso_week(now, services.settings.timezone)
    try:
        week_monday(week)
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    return week.strip().upper()


@dataclass(frozen=True)
class _ReportMessage:
    text: str
    blocks: list[dict[str, Any]]


async def post_report(
    client: AsyncWebClient, channel: str, report: WeeklyReport, posts: Posts, watermark: str | None
) -> str:
    """Post what of the report is not recorded yet: the main message, then its charts in the
    thread. Returns the main message's ts."""
    marker = marker_block_id(report.week)
    main = posts.posted("main")
    if main is not None:
        channel_id, ts = main.channel, main.ts
    else:
        found = None
        if posts.attempt > 1:
            found = await find_posted(client, channel, EVENT_TYPE, report.week, marker)
        if found is not None:
            channel_id, ts = channel, found
        else:
            message = _ReportMessage(report_summary(report), report_blocks(report))
            channel_id, ts = await post_once(
                client, channel, message, EVENT_TYPE, report.week, marker
            )
        await posts.record(channel_id, ts, "main")
    files = await asyncio.to_thread(report_chart_files, report, watermark)
    if files and posts.posted("charts") is None:
        # A run taken over may find the charts shared just before a crash: not again.
        shared = None
        if posts.attempt > 1:
            shared = await Thread(client, channel_id, ts).file_shared(files[0].filename)
        if shared is not None:
            await posts.record(channel_id, shared, "charts")
            return ts
        upload = await client.files_upload_v2(
            channel=channel_id,
            thread_ts=ts,
            file_uploads=[
                {"file": f.content, "filename": f.filename, "title": f.title} for f in files
            ],
            initial_comment=f"Charts of the weekly report {report.week}",
        )
        uploaded = upload.get("files") or [upload.get("file") or {}]
        await posts.record(channel_id, str(uploaded[0].get("id") or "files"), "charts")
    return ts


def _summary(report: WeeklyReport) -> dict[str, Any]:
    return {
        "week": report.week,
        "at_risk": len(report.at_risk),
        "opened": len(report.opened),
        "moved": len(report.moved),
        "pledges": len(report.pledges),
    }


async def run_report(
    services: Services,
    week: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ReportRun:
    """`liqbot report [--dry-run] [--week YYYY-Www]`: build the week's report (default the
    previous ISO week) and post it once to ``REPORT_CHANNEL`` (else ``DIGEST_CHANNEL``), or only
    return its text with ``dry_run``. ``SettingsError`` without a channel."""
    settings = services.settings
    chosen = report_week(services, week, now or services.clock())
    target = settings.report_target
    if dry_run:
        report = await build_report(services, chosen)
        return ReportRun("dry_run", chosen, target, text=report_text(report))
    if not target:
        raise SettingsError(
            "missing setting REPORT_CHANNEL (or DIGEST_CHANNEL): the channel id the weekly "
            "report is posted to"
        )
    client = slack_client(settings)
    watermark = "DEMO DATA" if services.is_demo else None

    async def work() -> WeeklyReport:
        return await build_report(services, chosen)

    async def post(report: WeeklyReport, posts: Posts) -> None:
        await post_report(client, target, report, posts, watermark)

    outcome = await run_once(services, f"report:{target}", chosen, work, post, summarize=_summary)
    ts = next((p.ts for p in outcome.posts if p.kind == "main"), None)
    if outcome.status == "done":
        return ReportRun("posted", chosen, target, ts, report_text(outcome.result))
    skipped: dict[str, ReportStatus] = {"already_done": "already_posted", "gave_up": "gave_up"}
    return ReportRun(skipped.get(outcome.status, "busy"), chosen, target, ts)


async def report_job(services: Services) -> ReportRun | None:
    """The scheduled report (and its catch-up): the week before the latest ``REPORT_CRON`` fire
    time of the last 7 days; None when none fired or no channel is set."""
    settings = services.settings
    if not settings.report_target:
        return None
    now = services.clock()
    since = now - timedelta(days=CATCH_UP_DAYS)
    fired = latest_fire_since(report_trigger(settings), settings, since, now)
    if fired is None:
        return None
    return await run_report(services, previous_iso_week(fired, settings.timezone), now=now)
