"""`liqbot serve`: the bot (HTTP or Socket Mode) and the scheduler in one process.

Wiring only: services, the Bolt app and the scheduler are built here, in one place, from settings.
Migrations are applied by the CLI before this runs.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.market import DEMO_BANNER, MarketDataError
from bot.settings import Settings
from bot.usecases.services import Services
from bot.wiring import build_services

logger = logging.getLogger(__name__)


async def health(services: Services, scheduler: Any | None) -> dict[str, Any]:
    """`GET /healthz`: the database answers, the scheduler runs, the exchanges are not paused."""
    await services.ping_db()
    venues = {
        name: {
            "paused_until": s.paused_until.isoformat() if s.paused_until else None,
            "last_error": s.last_error,
            "requests": s.requests,
        }
        for name, s in services.gateway.status().items()
    }
    return {
        "status": "ok",
        "source": services.settings.market_source,
        "demo": services.is_demo,
        "scheduler": bool(scheduler is not None and scheduler.running),
        "exchanges": venues,
    }


async def warm_up(services: Services) -> None:
    """Load every exchange's market list in the background at start, so the first slash
    commands after a (re)start do not all wait on ccxt's set-up together."""

    async def one(exchange: str) -> None:
        try:
            await services.gateway.markets(exchange)
        except MarketDataError as exc:
            logger.warning("could not load %s markets at start: %s", exchange, exc)

    await asyncio.gather(*(one(e) for e in services.settings.exchanges))


async def serve(settings: Settings, port: int | None = None, scheduler: bool = True) -> None:
    """Run until cancelled: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on `port`."""
    from bot.slack.app import build_app
    from bot.slack.server import build_asgi, serve_http, serve_socket_mode

    services = build_services(settings)
    app = build_app(settings, services)
    sched = None
    if scheduler:
        import jobs

        sched = jobs.build_scheduler(settings)
        jobs.register(sched, services)
        sched.start()
    if services.is_demo:
        logger.warning("serving %s", DEMO_BANNER)
    warming = asyncio.create_task(warm_up(services))
    try:
        if settings.slack_app_token is not None:
            logger.info("liqbot serving Slack in Socket Mode")
            await serve_socket_mode(app, settings.slack_app_token.get_secret_value())
        else:
            listen = port or settings.port
            logger.info("liqbot serving Slack over HTTP on port %d (POST /slack/events)", listen)

            async def healthz() -> dict[str, Any]:
                return await health(services, sched)

            secret = settings.slack_signing_secret
            asgi = build_asgi(app, healthz, secret.get_secret_value() if secret else "")
            await serve_http(asgi, listen)
    finally:
        warming.cancel()
        if sched is not None and sched.running:
            sched.shutdown(wait=False)
        await services.close()
