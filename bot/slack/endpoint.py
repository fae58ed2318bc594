"""``POST /slack/events``: liqbot's Request URL, in front of Bolt.

In order, before Bolt sees anything:
1. size: a body over ``MAX_BODY_BYTES`` is refused with 413, from its declared length when it has
   one, else as soon as the bytes read pass the limit (it is never read whole);
2. origin: the signature and timestamp are checked on the raw bytes (``bot.slack.verify``); 401
   otherwise, and nothing of the request is acted on or logged but its size and content type;
3. format: the body is parsed by ``bot.slack.body`` (Bolt's parser misreads any form containing the
   word ``payload``); 400 when it is none of Slack's formats.
Each refusal is one log line without a traceback. Bolt then gets an ``AsyncBoltRequest`` carrying
the parsed body, the raw body (Bolt verifies it again: a second line of defence) and the mark that
``is_verified`` reads, so its error handler knows it may answer the request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from bot.slack.body import UnparseableBody, parse_body, summary
from bot.slack.verify import VERIFIED_KEY, refusal

logger = logging.getLogger(__name__)

# Slack's largest bodies (a modal submission with every block filled) are tens of KB.
MAX_BODY_BYTES = 1 << 20


class BodyTooLarge(Exception):
    """The request body is (or says it is) over ``MAX_BODY_BYTES``."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, or ``BodyTooLarge`` before more than ``limit`` bytes are held."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and (len(declared) > 12 or int(declared) > limit):
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def verified_bolt_request(raw: bytes, body: dict[str, Any], request: Request) -> AsyncBoltRequest:
    """A Bolt request for a verified, parsed body.

    Built through Bolt's dict-body constructor (its Socket Mode path, which derives the context
    from the dict and does not parse) and then marked as the HTTP request it is: ``mode`` and
    ``raw_body`` are what Bolt's own signature check reads.
    """
    bolt_request = AsyncBoltRequest(
        body=body,
        query=request.url.query,
        headers=dict(request.headers),
        context={VERIFIED_KEY: True},
        mode="socket_mode",
    )
    bolt_request.mode = "http"
    bolt_request.raw_body = raw.decode("utf-8")
    return bolt_request


class SlackEndpoint:
    """The Starlette endpoint of the Request URL for ``app`` (see the module docstring)."""

    def __init__(
        self, app: AsyncApp, signing_secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._app = app
        self._signing_secret = signing_secret
        self._clock = clock

    async def handle(self, request: Request) -> Response:
        content_type = request.headers.get("content-type")
        try:
            raw = await read_body(request)
        except BodyTooLarge:
            return _refuse(413, "body over 1 MB", None, content_type)
        except ClientDisconnect:
            return Response(status_code=400)  # nobody is left to read it
        reason = refusal(
            self._signing_secret,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
            raw,
            self._clock(),
        )
        if reason is not None:
            return _refuse(401, reason, raw, content_type)
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            return _refuse(400, "content encoding is not identity", raw, content_type, preview=True)
        try:
            body = parse_body(raw, content_type)
        except UnparseableBody as exc:
            return _refuse(400, exc.reason, raw, content_type, preview=True)
        bolt_response = await self._app.async_dispatch(verified_bolt_request(raw, body, request))
        return to_starlette_response(bolt_response)


def _refuse(
    status: int, reason: str, raw: bytes | None, content_type: str | None, preview: bool = False
) -> Response:
    if raw is None:
        described = f"body not read, content type {(content_type or 'none')[:60]!r}"
    else:
        described = summary(raw, content_type, preview)
    logger.warning("refused a Slack request with %d: %s (%s)", status, reason, described)
    return Response(status_code=status)
