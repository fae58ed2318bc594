"""Global Bolt middleware for liqbot: hand `services` to listeners, drop Slack's retried deliveries,
and keep an acknowledgement from being lost when a listener fails right after ``ack()``.

All run after Bolt's own request verification and authorization, so a forged or stale request
is refused (401) before it can touch the de-duplication memory.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

logger = logging.getLogger(__name__)

SERVICES_KEY = "services"


class ServicesInContext(AsyncMiddleware):
    """Puts the liqbot services object into the Bolt context under ``"services"``.

    Bolt injects every context key as a listener argument by name, so a listener declares
    ``services`` as a parameter and receives it (no global, no import of the wiring).
    """

    def __init__(self, services: Any) -> None:
        self._services = services

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt calls it by this name
    ) -> BoltResponse | None:
        req.context[SERVICES_KEY] = self._services
        await next()
        return resp


class KeptAck(AsyncAck):
    """An ``ack`` whose answer, once given, is never taken back.

    Bolt runs a listener as a background task and polls ``ack.response`` every 10 ms to send the
    HTTP answer. When the listener raises right after ``await ack()`` (an unknown token found at
    once), Bolt's runner resets ``ack.response`` to None after the error handler ran; if that
    lands before the next poll, Slack gets a 404 three seconds later instead of the 200 already
    given. Keeping the first answer makes the 200 go out at once and the error reply follow.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated

    @property
    def response(self) -> BoltResponse | None:
        return self.__dict__.get("_kept_response")

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or self.__dict__.get("_kept_response") is None:
            self.__dict__["_kept_response"] = value


class KeepAck(AsyncMiddleware):
    """Gives every request a ``KeptAck`` before any listener sees ``ack``."""

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt calls it by this name
    ) -> BoltResponse | None:
        req.context["ack"] = KeptAck()
        await next()
        return resp


def delivery_key(body: dict[str, Any], raw_body: str, retry_num: str | None) -> str | None:
    """The identity of one Slack delivery, shared by its retries; None when there is none.

    Events carry ``event_id``; slash commands, button clicks and modal submissions carry a
    ``trigger_id`` unique to the user's gesture. Without either, only a request Slack marks as a
    retry is keyed by its body: identical option-menu lookups must not be dropped.
    """
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    trigger_id = body.get("trigger_id")
    if isinstance(trigger_id, str) and trigger_id:
        return f"trigger:{trigger_id}"
    if retry_num is not None:
        return "body:" + hashlib.sha256(raw_body.encode()).hexdigest()
    return None


class RetriedDeliveryFilter(AsyncMiddleware):
    """Acknowledges a delivery already seen in the last ``ttl_seconds`` without running it again.

    Slack retries an event up to three times (after ~0 s, 1 min, 5 min) with ``X-Slack-Retry-Num``
    when the first answer was late or failed; a retry must not post a second digest row or log a
    second outreach. The memory is per process: across replicas or a restart, the use cases'
    database idempotency keys (e.g. the view id of a modal submission) stop the second write.
    """

    def __init__(
        self,
        ttl_seconds: float = 900.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl_seconds = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_delivery(self, key: str) -> bool:
        """True the first time ``key`` is offered within the TTL, False for its repeats."""
        now = self._clock()
        # Keys are stored oldest first, so the expired ones are at the front.
        while self._seen and now - next(iter(self._seen.values())) >= self._ttl_seconds:
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        while len(self._seen) >= self._max_entries:
            self._seen.popitem(last=False)
        self._seen[key] = now
        return True

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt calls it by this name
    ) -> BoltResponse | None:
        retry_num = _first_header(req, "x-slack-retry-num")
        key = delivery_key(req.body, req.raw_body, retry_num)
        if key is None or self.first_delivery(key):
            await next()
            return resp
        logger.info(
            "dropped a repeated Slack delivery (%s, retry %s, reason %s)",
            key,
            retry_num,
            _first_header(req, "x-slack-retry-reason"),
        )
        # An empty 200 tells Slack the delivery arrived; for a slash command it shows nothing.
        return BoltResponse(status=200, body="")


def _first_header(req: AsyncBoltRequest, name: str) -> str | None:
    values = req.headers.get(name)
    return values[0] if values else None
