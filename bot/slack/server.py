"""How liqbot meets Slack: one HTTP Request URL under uvicorn, or a Socket Mode connection.

HTTP mode (``listen`` + ``build_asgi`` + ``serve_http``):
    POST /slack/events  slash commands, interactivity (buttons, modals) and events, one URL for all
                        three; ``bot.slack.endpoint`` checks size (413), signature and timestamp
                        (401) and format (400) before Bolt sees the request.
    GET  /healthz       200 with the JSON from ``health()``; 503 when ``health()`` itself fails.
Socket Mode (``serve_socket_mode``): no public URL; Slack pushes the same payloads over a
WebSocket opened with the ``xapp-`` token, and the same ``AsyncApp`` handles them.

Both serve until their ``stopping`` event is set, then stop taking requests and return; the
caller (``bot.serve``) owns SIGTERM/SIGINT and finishes the work already acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.slack.endpoint import SlackEndpoint
from bot.slack.listen import ListenError, listen
from bot.slack.manifest import EVENTS_PATH

logger = logging.getLogger(__name__)

__all__ = [
    "ListenError",
    "build_asgi",
    "http_server",
    "listen",
    "serve_http",
    "serve_socket_mode",
]

HEALTH_PATH = "/healthz"

Health = Callable[[], Awaitable[dict[str, Any]]]


def build_asgi(app: AsyncApp, health: Health, signing_secret: str) -> Starlette:
    """The ASGI app of ``liqbot serve`` in HTTP mode (see the module docstring for the routes)."""
    slack_events = SlackEndpoint(app, signing_secret).handle

    async def healthz(request: Request) -> Response:
        try:
            status = await health()
        except Exception:  # the probe must answer, whatever broke: that is its job
            logger.exception("health check failed")
            return JSONResponse({"status": "error"}, status_code=503)
        return JSONResponse(status)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, slack_events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
        ]
    )


class LiqbotServer(uvicorn.Server):
    """uvicorn's server without its signal handling.

    Since uvicorn 0.29 (Kludex/uvicorn#1600, "cooperative signal handling") ``Server.serve``
    captures SIGINT/SIGTERM and, once its own shutdown is done, raises the captured signal again:
    SIGTERM then kills the process (exit 143) before the caller's ``finally`` stops the scheduler
    and closes ccxt and the database, and SIGINT surfaces as a KeyboardInterrupt. liqbot owns the
    signals (``bot.serve``) and stops the server through ``should_exit``. uvicorn is pinned in
    pyproject.toml; tests/slack/test_graceful_stop.py fails if this override stops working.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def http_server(asgi: Starlette, port: int = 0, host: str = "0.0.0.0") -> uvicorn.Server:
    """The uvicorn server of HTTP mode, configured but not started; serve it on a socket from
    ``listen`` (tests bind their own)."""
    config = uvicorn.Config(
        asgi,
        host=host,
        port=port,
        # liqbot configures logging once (CLI); uvicorn must not replace that configuration.
        log_config=None,
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=5,
    )
    return LiqbotServer(config)


async def serve_http(asgi: Starlette, sock: socket.socket, stopping: asyncio.Event) -> None:
    """Serves ``asgi`` on the listening ``sock`` until ``stopping`` is set, then closes the port
    and returns once the requests in progress are answered (uvicorn's graceful shutdown, bounded
    by ``timeout_graceful_shutdown``); the listeners they started may still be running."""
    server = http_server(asgi)
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({serving, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
        server.should_exit = True
        await serving


async def serve_socket_mode(
    app: AsyncApp, app_token: str, stopping: asyncio.Event | None = None
) -> None:
    """Connects to Slack over Socket Mode with the ``xapp-`` token and serves until ``stopping``
    is set (or until cancelled), then disconnects: no new envelope arrives after it returns."""
    handler = AsyncSocketModeHandler(app, app_token)
    # slack_bolt leaves these two coroutines unannotated.
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        logger.info("connected to Slack over Socket Mode")
        await (stopping or asyncio.Event()).wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
