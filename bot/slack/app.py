"""Builds liqbot's Bolt ``AsyncApp`` from settings and services; no Slack object at import time.

How a request flows (HTTP mode; Socket Mode is the same after the transport):
``bot.slack.endpoint`` checks size, signature, timestamp and format and parses the body (413,
401, 400 otherwise) → Bolt verifies the signature again → authorizes the bot token (one
``auth.test`` per process; 503 while it fails) → ``RetriedDeliveryFilter`` drops repeats →
``KeepAck`` (see there) → ``ServicesInContext`` adds ``services`` → the listener that
``register(app)`` added runs as a background task. This layer does not know liqbot's listeners:
the top layer passes ``commands.register`` in (``bot.wiring.build_app``).
With ``process_before_response=False`` Bolt sends the HTTP 200 as soon as the listener calls
``ack()`` (it polls every 10 ms), so a listener acks first and then awaits the slow exchange
fetch in the same coroutine, answering through ``respond`` (the request's ``response_url``).
Lazy listeners are not used: Bolt deep-copies the context for them, ``services`` included.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientError
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings, SettingsError
from bot.slack.errors import SlackAuthUnavailable, handle_error
from bot.slack.middleware import KeepAck, RetriedDeliveryFilter, ServicesInContext

logger = logging.getLogger(__name__)

Register = Callable[[AsyncApp], None]

# Seconds before the Web API client gives up on one HTTP attempt (retries come on top).
WEB_API_TIMEOUT_S = 30
# auth.test, retries included, must be over within this so that its failure reaches Slack as a
# 503 inside Slack's 3 s limit for the HTTP answer.
AUTH_TEST_DEADLINE_S = 2.0


class TransientServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """Retries 500, 502, 503 and 504 (slack_sdk's own handler stops at 500 and 503)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in (500, 502, 503, 504)


def web_api_retry_handlers() -> list[AsyncRetryHandler]:
    """Retry policy of every Web API call: connection errors, 429 (honouring Retry-After), 5xx.

    A retried ``chat.postMessage`` after a 5xx can in rare cases post twice if Slack did post;
    that is Slack's documented trade-off, and a lost digest is worse than a doubled one.
    """
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        TransientServerErrorRetryHandler(max_retry_count=2),
    ]


def build_web_client(settings: Settings, with_token: bool = True) -> AsyncWebClient:
    """The Web API client for ``SLACK_API_URL`` with liqbot's retry policy and the bot token."""
    base_url = settings.slack_api_url
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(
        token=_required(settings.slack_bot_token, "SLACK_BOT_TOKEN") if with_token else None,
        base_url=base_url,
        timeout=WEB_API_TIMEOUT_S,
        retry_handlers=web_api_retry_handlers(),
        logger=logging.getLogger("liqbot.slack.web"),
        user_agent_prefix="liqbot",
    )


def build_app(settings: Settings, services: Any, register: Register) -> AsyncApp:
    """The Bolt app serving liqbot's commands, buttons, modals and App Home.

    ``register(app)`` adds the listeners (``commands.register``; tests pass their own). Raises
    ``SettingsError`` when ``SLACK_BOT_TOKEN`` is missing, or ``SLACK_SIGNING_SECRET`` is missing
    while no ``SLACK_APP_TOKEN`` selects Socket Mode (HTTP mode must verify every request).
    """
    if settings.slack_signing_secret is None and settings.slack_app_token is None:
        raise SettingsError(
            "missing setting SLACK_SIGNING_SECRET: HTTP mode verifies every request from Slack "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    bot_token = _required(settings.slack_bot_token, "SLACK_BOT_TOKEN")
    # The client goes in without its token so that Bolt takes `authorize` (one auth.test for the
    # whole process) instead of its single-team default, which lets a cold burst of 50 requests
    # each call auth.test and delays their acks; Bolt would also warn that the token is unused.
    client = build_web_client(settings, with_token=False)
    app = AsyncApp(
        name="liqbot",
        logger=logging.getLogger("liqbot.slack.bolt"),
        client=client,
        authorize=bot_authorization(client),
        signing_secret=signing_secret,
        process_before_response=False,
    )
    client.token = bot_token  # `app.client` (jobs, Socket Mode) carries the bot token as usual
    app.use(RetriedDeliveryFilter())
    app.use(KeepAck())
    app.use(ServicesInContext(services))
    app.error(handle_error)
    register(app)
    return app


def bot_authorization(
    client: AsyncWebClient, deadline_s: float = AUTH_TEST_DEADLINE_S
) -> Callable[..., Awaitable[AuthorizeResult]]:
    """Bolt ``authorize`` for liqbot's one workspace: auth.test once, then the cached answer.

    Concurrent first requests share the one call in flight and its outcome. A failed or late
    auth.test (revoked token, Slack down) raises ``SlackAuthUnavailable`` in each of them, which
    the error handler answers with 503; it is not cached, so the next request tries again.
    """
    result: AuthorizeResult | None = None
    pending: asyncio.Future[AuthorizeResult] | None = None

    async def auth_test() -> AuthorizeResult:
        try:
            async with asyncio.timeout(deadline_s):
                answer = await client.auth_test()
        except (SlackClientError, ClientError, OSError) as exc:  # TimeoutError is an OSError
            failure = SlackAuthUnavailable(auth_failure_reason(exc, deadline_s))
            logger.error("%s: answering Slack 503 until it succeeds", failure)
            raise failure from None
        return AuthorizeResult.from_auth_test_response(
            bot_token=client.token, auth_test_response=answer
        )

    def settle(attempt: asyncio.Future[AuthorizeResult]) -> None:
        nonlocal result, pending
        pending = None
        if not attempt.cancelled() and attempt.exception() is None:
            result = attempt.result()

    async def authorize() -> AuthorizeResult:
        nonlocal pending
        if result is not None:
            return result
        if pending is None:
            pending = asyncio.ensure_future(auth_test())
            pending.add_done_callback(settle)
        # Shielded: a request that goes away must not cancel the call the others wait for.
        return await asyncio.shield(pending)

    return authorize


def auth_failure_reason(exc: BaseException, deadline_s: float) -> str:
    """Slack's error code (``invalid_auth``) or the kind of failure; never the token."""
    if isinstance(exc, SlackApiError):
        error = exc.response.get("error") if exc.response is not None else None
        return str(error or "error")
    if isinstance(exc, TimeoutError):
        return f"no answer within {deadline_s:g} s"
    return type(exc).__name__


def _required(secret: SecretStr | None, name: str) -> str:
    if secret is None or not secret.get_secret_value():
        raise SettingsError(f"missing setting {name}: needed to talk to Slack")
    return secret.get_secret_value()
