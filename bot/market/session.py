"""The HTTP session ccxt talks through: counts requests and pauses a rate-limited exchange.

``GuardedSession`` wraps the real transport (an ``aiohttp.ClientSession`` live, a
``ReplaySession`` for cassettes, a ``RecordingSession`` while recording) and sits under ccxt's
``fetch``. Sitting at the wire is what makes the pause exact: every request of the exchange,
whoever issued it and however long it queued in ccxt's throttler, waits at the ``ExchangeGuard``
while the exchange is paused, and a 418/429 answer starts the pause the moment it arrives
(honouring ``Retry-After``), before ccxt has even raised. It also refuses a 2xx body that is
not JSON, and cuts an order book deeper than requested before ccxt parses it (``book_trim``).

Counting happens here too, once per request that leaves for the exchange (retries and the market
list included): ``ExchangeGuard.requests`` since start, and per piece of work a ``RequestTally``
(``with count_requests() as tally``), which counts only the requests made by the code inside the
block and the tasks it started, not those of a command served at the same time.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Protocol

from bot.market.book_trim import trim_order_book_body
from bot.market.errors import BadResponse

RATE_LIMIT_STATUSES = frozenset({418, 429})


class SessionLike(Protocol):
    """What ccxt needs from ``session``: ``headers`` and ``get/post/…`` returning async CMs."""

    @property
    def headers(self) -> Any: ...

    def request(self, method: str, url: Any, **kwargs: Any) -> Any: ...

    async def close(self) -> None: ...


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait per a ``Retry-After`` value (delta-seconds or HTTP date); None if absent."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RequestTally:
    """HTTP requests per exchange made inside one ``count_requests()`` block."""

    def __init__(self) -> None:
        self.by_exchange: dict[str, int] = {}

    def add(self, exchange: str) -> None:
        self.by_exchange[exchange] = self.by_exchange.get(exchange, 0) + 1

    def get(self, exchange: str) -> int:
        return self.by_exchange.get(exchange, 0)


# The tallies open in the current context. asyncio copies the context into every task it starts,
# so requests made by tasks of a block count in that block's tally, wherever they queue.
_TALLIES: ContextVar[tuple[RequestTally, ...]] = ContextVar("liqbot_request_tallies", default=())


@contextmanager
def count_requests() -> Iterator[RequestTally]:
    """Count the HTTP requests made inside the block (nested blocks count in each tally)."""
    tally = RequestTally()
    token = _TALLIES.set((*_TALLIES.get(), tally))
    try:
        yield tally
    finally:
        _TALLIES.reset(token)


class ExchangeGuard:
    """Per-exchange request count and pause window, shared by every caller of that exchange."""

    def __init__(self, exchange: str, default_pause_s: float = 5.0) -> None:
        self.exchange = exchange
        self.default_pause_s = default_pause_s
        self.requests = 0
        self.pauses = 0
        self.last_retry_after: float | None = None
        self._paused_until = 0.0  # time.monotonic()

    def pause(self, seconds: float | None) -> float:
        """Pause the exchange for ``seconds`` (default backoff when None); returns the pause."""
        duration = self.default_pause_s if seconds is None else max(0.0, seconds)
        until = time.monotonic() + duration
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
        return duration

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Start the pause as soon as a 418/429 answer arrives."""
        if status in RATE_LIMIT_STATUSES:
            self.last_retry_after = parse_retry_after(headers.get("Retry-After"))
            self.pause(self.last_retry_after)

    @property
    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - time.monotonic())

    async def wait(self) -> None:
        """Return once the exchange is not paused (a pause may be extended while we sleep)."""
        while (left := self.paused_for) > 0:
            await asyncio.sleep(left)


class _TrimmedResponse:
    """The exchange's response with its order book cut to the depth asked for (book_trim)."""

    def __init__(self, response: Any, body: str) -> None:
        self._response = response
        self._body = body

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        return self._body

    async def read(self) -> bytes:
        return self._body.encode("utf-8")


class _GuardedRequest:
    def __init__(self, guard: ExchangeGuard, url: Any, open_request: Callable[[], Any]) -> None:
        self._guard = guard
        self._url = str(url)
        self._open_request = open_request
        self._context: Any = None

    async def __aenter__(self) -> Any:
        await self._guard.wait()
        self._guard.requests += 1
        for tally in _TALLIES.get():
            tally.add(self._guard.exchange)
        self._context = self._open_request()
        response = await self._context.__aenter__()
        status = int(response.status)
        self._guard.observe(status, response.headers)
        if 200 <= status < 300:
            return await self._checked(response)
        return response

    async def _checked(self, response: Any) -> Any:
        # An order book deeper than asked for is cut before ccxt's pure-Python parser sees it.
        raw = await response.text(errors="replace")
        body = trim_order_book_body(self._guard.exchange, self._url, raw)
        # ccxt hands a 2xx body that is not JSON to the parser as a plain string, and the parser
        # turns it into an empty order book: indistinguishable from a market nobody quotes. Every
        # endpoint liqbot calls answers JSON, so a body that does not parse is a BadResponse.
        try:
            json.loads(body)
        except ValueError:
            await self._context.__aexit__(None, None, None)
            self._context = None
            raise BadResponse(
                self._guard.exchange,
                f"{self._guard.exchange}: malformed JSON from {self._url}: {body[:80]}",
            ) from None
        return response if body is raw else _TrimmedResponse(response, body)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Any:
        if self._context is None:
            return None
        return await self._context.__aexit__(exc_type, exc, tb)


class GuardedSession:
    """ccxt's ``session``: delegates to a transport created on first use (inside the event loop)."""

    def __init__(self, guard: ExchangeGuard, make_transport: Callable[[], SessionLike]) -> None:
        self.guard = guard
        self.headers: dict[str, str] = {}
        self._make_transport = make_transport
        self._transport: SessionLike | None = None

    @property
    def transport(self) -> SessionLike:
        if self._transport is None:
            self._transport = self._make_transport()
        return self._transport

    def request(self, method: str, url: Any, **kwargs: Any) -> _GuardedRequest:
        return _GuardedRequest(
            self.guard, url, lambda: self.transport.request(method, url, **kwargs)
        )

    def get(self, url: Any, **kwargs: Any) -> _GuardedRequest:
        return self.request("GET", url, **kwargs)

    def post(self, url: Any, **kwargs: Any) -> _GuardedRequest:
        return self.request("POST", url, **kwargs)

    def put(self, url: Any, **kwargs: Any) -> _GuardedRequest:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: Any, **kwargs: Any) -> _GuardedRequest:
        return self.request("DELETE", url, **kwargs)

    async def close(self) -> None:
        if self._transport is not None:
            await self._transport.close()
            self._transport = None
