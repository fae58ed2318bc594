"""Cassette replay plugged in under ccxt's HTTP layer (SPEC section 5).

A cassette is a directory with one ``<ccxt id>.jsonl`` per exchange; each line is one recorded
HTTP exchange::

    {"method": "GET", "url": "<full URL>", "status": 200, "headers": {…}, "body": "<raw text>"}

``ReplaySession`` quacks like the part of ``aiohttp.ClientSession`` that ccxt's async ``fetch``
uses (``session.get(url, …)`` as an async context manager yielding a response with ``.status``,
``.reason``, ``.headers`` and ``await .text()``), so ccxt's own parsing and its error mapping
(``handle_errors``, HTTP status → exception) run on the recorded bytes, the way httpx's
``MockTransport`` sits under a real client.

Matching: method + URL path + the multiset of query parameters (order ignored; ``timestamp``,
``signature`` and ``recvWindow`` ignored because they change on every signed call). When the same
request was recorded several times the recordings are served in order and the last one repeats,
so "429 then 200" is two lines. Fault injection: a line may carry ``"fault": "timeout"`` (raises
``asyncio.TimeoutError``, which ccxt maps to ``RequestTimeout``) or ``"fault": "disconnect"``
(raises ``aiohttp.ServerDisconnectedError`` → ``ExchangeNotAvailable``); 418/429/5xx and
malformed bodies are plain recorded responses.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from bot.market.errors import NotRecorded

IGNORED_QUERY_PARAMS = frozenset({"timestamp", "signature", "recvWindow"})
FAULTS = frozenset({"timeout", "disconnect"})
RequestKey = tuple[str, str, tuple[tuple[str, str], ...]]


def request_key(method: str, url: str) -> RequestKey:
    """Method + path + sorted query pairs, without the per-call signing parameters."""
    parts = urlsplit(str(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = tuple(sorted((k, v) for k, v in query if k not in IGNORED_QUERY_PARAMS))
    return method.upper(), parts.path or "/", kept


@dataclass(frozen=True)
class RecordedExchange:
    """One cassette line: a request and the raw response the exchange gave to it."""

    method: str
    url: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    fault: str | None = None

    @classmethod
    def from_json(cls, line: str) -> RecordedExchange:
        raw = json.loads(line)
        fault = raw.get("fault")
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (expected one of {sorted(FAULTS)})")
        return cls(
            method=str(raw.get("method", "GET")).upper(),
            url=str(raw["url"]),
            status=int(raw.get("status", 200)),
            headers={str(k): str(v) for k, v in dict(raw.get("headers") or {}).items()},
            body=str(raw.get("body", "")),
            fault=fault,
        )

    def to_json(self) -> str:
        line: dict[str, Any] = {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "headers": self.headers,
            "body": self.body,
        }
        if self.fault is not None:
            line["fault"] = self.fault
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def parse_cassette_lines(lines: Iterable[str], source: str = "cassette") -> list[RecordedExchange]:
    """Parse JSONL lines; a bad line raises ValueError naming ``source`` and the line."""
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(RecordedExchange.from_json(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{source} line {number}: {exc}") from None
    return entries


def load_cassette_file(path: Path) -> list[RecordedExchange]:
    """The recorded exchanges of one ``<id>.jsonl``; a missing file is an empty cassette."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return parse_cassette_lines(handle, source=str(path))


class ReplayResponse:
    """The slice of ``aiohttp.ClientResponse`` that ccxt reads."""

    def __init__(
        self, status: int, headers: dict[str, str], body: str, url: str, reason: str | None = None
    ) -> None:
        self.status = status
        self.reason = reason or _REASONS.get(status, "Unknown")
        self.headers = CIMultiDictProxy(CIMultiDict(headers))
        self.url = url
        self._body = body

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        return self._body

    async def read(self) -> bytes:
        return self._body.encode("utf-8")

    @property
    def content(self) -> bytes:
        return self._body.encode("utf-8")

    def release(self) -> None:
        return None

    def close(self) -> None:
        return None


_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    418: "I'm a teapot",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class _ReplayRequest:
    """``async with session.get(url) as response`` for one replayed request."""

    def __init__(self, session: ReplaySession, method: str, url: str) -> None:
        self._session = session
        self._method = method
        self._url = url

    async def __aenter__(self) -> ReplayResponse:
        return await self._session.respond(self._method, self._url)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class ReplaySession:
    """Serves one exchange's recorded responses to ccxt; pass it as ccxt's ``session`` option."""

    def __init__(
        self, exchange: str, entries: Iterable[RecordedExchange], latency_ms: float = 0.0
    ) -> None:
        self.exchange = exchange
        self.latency_ms = latency_ms
        self.headers: dict[str, str] = {}  # ccxt merges session.headers into every request
        self.served = 0
        self.closed = False
        # A recording, or where its line starts in ``self._path`` (read when it is served).
        self._recorded: dict[RequestKey, list[RecordedExchange | int]] = {}
        self._next: dict[RequestKey, int] = {}
        self._path: Path | None = None
        for entry in entries:
            self._recorded.setdefault(request_key(entry.method, entry.url), []).append(entry)

    @classmethod
    def from_file(cls, exchange: str, path: Path, latency_ms: float = 0.0) -> ReplaySession:
        """Replay ``<id>.jsonl`` reading each response body from the file when it is served:
        memory stays flat in the cassette's size (a bad line is still refused up front, as
        ``load_cassette_file`` does; a missing file is an empty cassette)."""
        session = cls(exchange, (), latency_ms)
        if not path.is_file():
            return session
        session._path = path
        with path.open("rb") as handle:
            offset = 0
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8")
                if line.strip():
                    try:
                        entry = RecordedExchange.from_json(line)
                    except (ValueError, KeyError, TypeError) as exc:
                        raise ValueError(f"{path} line {number}: {exc}") from None
                    key = request_key(entry.method, entry.url)
                    session._recorded.setdefault(key, []).append(offset)
                offset += len(raw)
        return session

    def _entry(self, recorded: RecordedExchange | int) -> RecordedExchange:
        if isinstance(recorded, RecordedExchange):
            return recorded
        assert self._path is not None  # offsets exist only for a file-backed session
        with self._path.open("rb") as handle:
            handle.seek(recorded)
            return RecordedExchange.from_json(handle.readline().decode("utf-8"))

    def request(self, method: str, url: Any, **_: Any) -> _ReplayRequest:
        return _ReplayRequest(self, method.upper(), str(url))

    def get(self, url: Any, **kwargs: Any) -> _ReplayRequest:
        return self.request("GET", url, **kwargs)

    def post(self, url: Any, **kwargs: Any) -> _ReplayRequest:
        return self.request("POST", url, **kwargs)

    def put(self, url: Any, **kwargs: Any) -> _ReplayRequest:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: Any, **kwargs: Any) -> _ReplayRequest:
        return self.request("DELETE", url, **kwargs)

    async def respond(self, method: str, url: str) -> ReplayResponse:
        """The next recorded response for this request (after the simulated network latency)."""
        if self.latency_ms > 0:
            await asyncio.sleep(self.latency_ms / 1000)
        key = request_key(method, url)
        recordings = self._recorded.get(key)
        if not recordings:
            raise NotRecorded(self.exchange, method, url)
        index = self._next.get(key, 0)
        self._next[key] = min(index + 1, len(recordings) - 1)
        entry = self._entry(recordings[index])
        self.served += 1
        if entry.fault == "timeout":
            raise TimeoutError(f"replayed timeout for {method} {url}")
        if entry.fault == "disconnect":
            raise aiohttp.ServerDisconnectedError(f"replayed disconnect for {method} {url}")
        return ReplayResponse(entry.status, entry.headers, entry.body, url)

    async def close(self) -> None:
        self.closed = True
