"""How a Web API call failed, and calls that must not be retried.

``is_transient`` tells a failure that may pass (the ones ``bot.slack.app.web_api_retry_handlers``
retries: a 5xx, 429 ``ratelimited``, a timeout, a dropped connection) from Slack's definitive
answer (``no_such_subteam``, ``invalid_arguments``): a caller may keep the second, never the first.

``single_attempt`` is for a call whose arguments expire: a ``views.open`` trigger_id is valid
3 s after the click, so a retry after a 429's Retry-After or a 5xx back-off only earns
``expired_trigger_id`` while the user waits. Such a call is made once, within a deadline, and
its failure is told to the user instead.
"""

from __future__ import annotations

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

TRANSIENT_API_ERRORS = frozenset(
    {"ratelimited", "fatal_error", "internal_error", "request_timeout", "service_unavailable"}
)
"""Slack's ``error`` codes for a failure on its side that a later call may not meet."""


def is_transient(error: BaseException) -> bool:
    """Whether a Web API call failed for a reason that may pass: a 5xx, 429 or one of
    ``TRANSIENT_API_ERRORS``, a timeout, a connection error. Any other ``ok: false`` answer
    (``no_such_subteam``, ``missing_scope``…) is Slack's answer about the request itself."""
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 0) or 0
        return status >= 500 or status == 429 or response.get("error") in TRANSIENT_API_ERRORS
    return isinstance(error, (ClientError, TimeoutError, OSError))


def single_attempt(client: AsyncWebClient) -> AsyncWebClient:
    """``client`` without its retry handlers (same token, URL, timeout, headers and session)."""
    once = AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        logger=client.logger,
        retry_handlers=[],
    )
    once.headers = dict(client.headers)  # the User-Agent too
    return once
