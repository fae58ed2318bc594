"""liqbot's scheduled jobs (SPEC 7), all registered here with stable ids.

``build_scheduler(settings)`` makes the AsyncIOScheduler (``TIMEZONE``), ``register(scheduler,
services)`` adds every job; `liqbot serve` calls both and starts it. Each job body runs through
the run ledger (``bot.usecases.ledger.run_once``), so a period runs once however many processes
fire it; ``catch_up`` runs at start and every few minutes and does whatever is due but not done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.usecases.services import Services
from jobs.digest import DigestRun, digest_job, run_digest
from jobs.reminders import reminders_job
from jobs.report import ReportRun, report_job, run_report
from jobs.scheduler import (
    build_scheduler,
    digest_trigger,
    reminders_trigger,
    report_trigger,
    snapshot_trigger,
    supply_refresh_trigger,
    zone,
)
from jobs.snapshot import snapshot_job
from jobs.supply_refresh import supply_refresh_job

logger = logging.getLogger(__name__)

CATCH_UP_EVERY_MINUTES = 5
JOB_IDS = (
    "snapshot",
    "digest",
    "weekly_report",
    "followup_reminders",
    "supply_refresh",
    "catch_up",
)

__all__ = [
    "JOB_IDS",
    "DigestRun",
    "ReportRun",
    "build_scheduler",
    "catch_up",
    "register",
    "run_digest",
    "run_report",
]


async def catch_up(services: Services) -> None:
    """Run every period that is due and not done: the current snapshot slot, today's digest
    once ``DIGEST_CRON`` has passed, the last week's report once ``REPORT_CRON`` has passed (up
    to 7 days late), due reminders, today's supply refresh. In this order, so a digest after a
    restart uses the fresh snapshot. One failing job does not stop the others."""
    for name, job in (
        ("snapshot", snapshot_job),
        ("digest", digest_job),
        ("weekly_report", report_job),
        ("followup_reminders", reminders_job),
        ("supply_refresh", supply_refresh_job),
    ):
        try:
            await job(services)
        except Exception:
            logger.exception("catch-up: the %s job failed (retried at the next catch-up)", name)


def register(scheduler: BaseScheduler, services: Services) -> None:
    """Every job of liqbot, each with a stable id (``JOB_IDS``) and a trigger in ``TIMEZONE``."""
    settings = services.settings
    if not settings.digest_channel:
        logger.warning("no DIGEST_CHANNEL set: the daily digest is not posted")
    if not settings.alert_target:
        logger.warning("no ALERT_CHANNEL or DIGEST_CHANNEL set: alerts are checked, not posted")
    if not settings.report_target:
        logger.warning("no REPORT_CHANNEL or DIGEST_CHANNEL set: the weekly report is not posted")
    jobs: list[tuple[str, Callable[[Services], Awaitable[object]], BaseTrigger]] = [
        ("snapshot", snapshot_job, snapshot_trigger(settings)),
        ("digest", digest_job, digest_trigger(settings)),
        ("followup_reminders", reminders_job, reminders_trigger(settings)),
    ]
    if settings.report_target:
        jobs.append(("weekly_report", report_job, report_trigger(settings)))
    if settings.coingecko_api_key is not None:
        jobs.append(("supply_refresh", supply_refresh_job, supply_refresh_trigger(settings)))
    for job_id, func, trigger in jobs:
        scheduler.add_job(func, trigger, args=[services], id=job_id, replace_existing=True)
    tz = zone(settings)
    scheduler.add_job(
        catch_up,
        IntervalTrigger(minutes=CATCH_UP_EVERY_MINUTES, timezone=tz),
        args=[services],
        id="catch_up",
        next_run_time=datetime.now(tz),  # at start: a restart never loses a period
        replace_existing=True,
    )
