"""`liqbot serve`: the bot (HTTP or Socket Mode) and the scheduler in one process.

Wiring only: services, the Bolt app and the scheduler are built here, in one place, from settings.
Migrations are applied by the CLI before this runs.

Stopping (SPEC 7): on SIGTERM or SIGINT liqbot stops taking requests (the HTTP port closes, or the
Socket Mode connection), finishes the work already acknowledged to Slack (the listener tasks Bolt
runs after ``ack()``; up to ``GRACE_S`` from the signal, a second signal cuts the wait short),
stops the scheduler, closes the exchange clients and the database, and returns: exit code 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from bot.market import DEMO_BANNER, MarketDataError
from bot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.market.gateway import MarketGateway
    from bot.slack.inflight import ListenerTasks
    from bot.usecases.services import Services

logger = logging.getLogger(__name__)

# Seconds from SIGTERM for the acknowledged work to finish (orchestrators wait 30 s by default).
GRACE_S = 25.0


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


async def warm_up(gateway: MarketGateway) -> None:
    """Load every exchange's market list in the background at start, so the first slash
    commands after a (re)start do not all wait on ccxt's set-up together; then freeze what is
    loaded out of the garbage collector's way (``gc.freeze``)."""

    async def one(exchange: str) -> None:
        try:
            await gateway.markets(exchange)
        except MarketDataError as exc:
            logger.warning("could not load %s markets at start: %s", exchange, exc)

    await asyncio.gather(*(one(e) for e in gateway.exchanges))
    from bot.wiring import freeze_startup  # loaded by now (`_import_and_prepare`)

    freeze_startup()


class StopRequest:
    """SIGTERM/SIGINT as events: ``stopping`` at the first signal, ``hurry`` at the second."""

    def __init__(self) -> None:
        self.stopping = asyncio.Event()
        self.hurry = asyncio.Event()
        self._since: float | None = None

    def signalled(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.stopping.is_set():
            logger.warning(
                "%s, a second signal: cutting the wait for acknowledged work short", name
            )
            self.hurry.set()
            return
        logger.info("%s: stopping; no new requests, finishing the acknowledged ones", name)
        self._since = asyncio.get_running_loop().time()
        self.stopping.set()

    def grace_left(self) -> float:
        """Seconds left of ``GRACE_S`` since the first signal."""
        if self._since is None:
            return GRACE_S
        return max(0.0, GRACE_S - (asyncio.get_running_loop().time() - self._since))


@contextlib.contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[None]:
    """SIGTERM and SIGINT call ``stop.signalled`` while inside (main thread only)."""
    loop = asyncio.get_running_loop()
    installed = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop.signalled, signum)
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def serve(
    settings: Settings,
    port: int | None = None,
    scheduler: bool = True,
    prepare: Callable[[], None] | None = None,
) -> None:
    """Run until SIGTERM/SIGINT: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on
    `port`; then stop gracefully (see the module docstring). A port in use fails at once, before
    anything starts (``ListenError``: "port 3000 is in use"). ``prepare`` is blocking set-up
    that must finish before Slack is served (the CLI's database migrations): it runs in a
    thread while the exchanges' market lists load."""
    from bot.slack.listen import listen

    stop = StopRequest()
    with stop_on_signals(stop):
        sock = None if settings.slack_app_token is not None else listen(port or settings.port)
        try:
            await _serve(settings, sock, scheduler, stop, prepare)
        finally:
            if sock is not None:
                sock.close()


async def _serve(
    settings: Settings,
    sock: socket.socket | None,
    scheduler: bool,
    stop: StopRequest,
    prepare: Callable[[], None] | None,
) -> None:
    from bot.market.gateway import MarketGateway

    # Each market list is one exchange round trip that every answer needs: it starts before
    # anything else (only ccxt is imported by now), so it is under way while the rest of liqbot
    # is imported, the migrations run and the Slack app is built.
    gateway = MarketGateway.from_settings(settings)
    warming = asyncio.create_task(warm_up(gateway))
    sched = None
    services: Services | None = None
    try:
        # In a thread, so the event loop sends the market-list requests meanwhile.
        await asyncio.to_thread(_import_and_prepare, prepare)
        from bot.slack.inflight import ListenerTasks
        from bot.wiring import build_app, build_services

        services = build_services(settings, gateway=gateway)
        app = build_app(settings, services)
        listeners = ListenerTasks.track(app)
        sched = _start_scheduler(settings, services) if scheduler else None
        if services.is_demo:
            logger.warning("serving %s", DEMO_BANNER)

        serving = services

        async def healthz() -> dict[str, Any]:
            return await health(serving, sched)

        await _serve_slack(settings, app, sock, stop, healthz)
        if sched is not None:
            sched.pause()  # no job starts while the acknowledged work finishes
        await _finish_acknowledged(listeners, stop)
    finally:
        warming.cancel()
        await asyncio.gather(warming, return_exceptions=True)
        if sched is not None and sched.running:
            sched.shutdown(wait=False)
        await (services.close() if services is not None else gateway.close())
        logger.info("liqbot stopped")


def _import_and_prepare(prepare: Callable[[], None] | None) -> None:
    """The imports of the database, Slack and command layers (most of a second), then the
    blocking set-up that must finish before Slack is served (the CLI's migrations)."""
    import bot.slack.server
    import bot.wiring  # noqa: F401
    import commands  # noqa: F401

    if prepare is not None:
        prepare()


async def _serve_slack(
    settings: Settings,
    app: AsyncApp,
    sock: socket.socket | None,
    stop: StopRequest,
    healthz: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    """Serves Slack until ``stop``; returns once no new request can come in."""
    from bot.slack.server import build_asgi, serve_http, serve_socket_mode

    if sock is None:
        assert settings.slack_app_token is not None
        logger.info("liqbot serving Slack in Socket Mode")
        await serve_socket_mode(app, settings.slack_app_token.get_secret_value(), stop.stopping)
        return
    assert settings.slack_signing_secret is not None  # build_app refuses HTTP mode without it
    port = sock.getsockname()[1]
    logger.info("liqbot serving Slack over HTTP on port %d (POST /slack/events)", port)
    asgi = build_asgi(app, healthz, settings.slack_signing_secret.get_secret_value())
    await serve_http(asgi, sock, stop.stopping)


def _start_scheduler(settings: Settings, services: Services) -> Any:
    import jobs

    sched = jobs.build_scheduler(settings)
    jobs.register(sched, services)
    sched.start()
    return sched


async def _finish_acknowledged(listeners: ListenerTasks, stop: StopRequest) -> None:
    running = len(listeners)
    if running:
        grace = stop.grace_left()
        logger.info("finishing %d acknowledged request(s), up to %.0f s", running, grace)
    cancelled = await listeners.finish(stop.grace_left(), stop.hurry)
    if cancelled:
        logger.warning("gave up on %d acknowledged request(s) still running", cancelled)
