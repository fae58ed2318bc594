"""How liqbot meets Slack: one HTTP Request URL under uvicorn, or a Socket Mode connection.

HTTP mode (``build_asgi`` + ``serve_http``):
    POST /slack/events  slash commands, interactivity (buttons, modals) and events, one URL for all
                        three; ``bot.slack.endpoint`` checks size (413), signature and timestamp
                        (401) and format (400) before Bolt sees the request.
    GET  /healthz       200 with the JSON from ``health()``; 503 when ``health()`` itself fails.
Socket Mode (``serve_socket_mode``): no public URL; Slack pushes the same payloads over a
WebSocket opened with the ``xapp-`` token, and the same ``AsyncApp`` handles them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.slack.endpoint import SlackEndpoint
from bot.slack.manifest import EVENTS_PATH

logger = logging.getLogger(__name__)

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


def http_server(asgi: Starlette, port: int, host: str = "0.0.0.0") -> uvicorn.Server:
    """The uvicorn server of HTTP mode, configured but not started (tests serve it on a socket)."""
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
    return uvicorn.Server(config)


async def serve_http(asgi: Starlette, port: int, host: str = "0.0.0.0") -> None:
    """Serves ``asgi`` on ``host:port`` until SIGINT/SIGTERM (uvicorn's graceful shutdown)."""
    await http_server(asgi, port, host).serve()


async def serve_socket_mode(app: AsyncApp, app_token: str) -> None:
    """Connects to Slack over Socket Mode with the ``xapp-`` token and serves until cancelled."""
    handler = AsyncSocketModeHandler(app, app_token)
    # slack_bolt leaves these two coroutines unannotated.
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
