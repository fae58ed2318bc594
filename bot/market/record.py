"""Record a cassette from a live exchange (``liqbot record``), in the SPEC section 5 format.

``RecordingSession`` wraps the real transport under ccxt: each response is read once, appended
to ``<out>/<id>.jsonl`` as one line, and handed to ccxt as a ``ReplayResponse``, so what ccxt
parses during recording is byte for byte what a replay will feed it later. Timeouts and dropped
connections are recorded as ``fault`` lines. Only response headers are written (minus cookies):
request headers, which could carry API keys, never reach the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import aiohttp

from bot.market.exchanges import choose_order_book_limit
from bot.market.gateway import MarketGateway
from bot.market.replay import RecordedExchange, ReplayResponse
from bot.market.session import SessionLike
from bot.market.sources import live_session

_DROPPED_HEADERS = frozenset({"set-cookie", "cookie"})


class _RecordedRequest:
    def __init__(self, session: RecordingSession, method: str, url: Any, kwargs: Any) -> None:
        self._session = session
        self._method = method.upper()
        self._url = url
        self._kwargs = kwargs

    async def __aenter__(self) -> ReplayResponse:
        url = str(self._url)
        try:
            async with self._session.inner.request(self._method, self._url, **self._kwargs) as r:
                body = await r.text(errors="replace")
                headers: dict[str, str] = {}
                for name in r.headers:
                    if name.lower() in _DROPPED_HEADERS:
                        continue
                    value = str(r.headers[name])
                    headers[name] = f"{headers[name]}, {value}" if name in headers else value
                status, reason = int(r.status), str(r.reason or "")
        except TimeoutError:
            self._session.write(RecordedExchange(self._method, url, 0, {}, "", fault="timeout"))
            raise
        except aiohttp.ClientConnectionError:
            self._session.write(RecordedExchange(self._method, url, 0, {}, "", fault="disconnect"))
            raise
        self._session.write(RecordedExchange(self._method, url, status, headers, body))
        return ReplayResponse(status, headers, body, url, reason)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class RecordingSession:
    """A ccxt ``session`` writing every HTTP exchange to ``path`` (replacing it), one per line."""

    def __init__(self, inner: SessionLike, path: Path) -> None:
        self.inner = inner
        self.path = path
        self.headers: dict[str, str] = {}
        self.recorded = 0
        self._file: IO[str] | None = None

    def write(self, entry: RecordedExchange) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A new recording replaces the exchange's file: replay serves repeated requests in
            # order, so appending would answer with the older recording first.
            self._file = self.path.open("w", encoding="utf-8")
        self._file.write(entry.to_json() + "\n")
        self._file.flush()
        self.recorded += 1

    def request(self, method: str, url: Any, **kwargs: Any) -> _RecordedRequest:
        return _RecordedRequest(self, method, url, kwargs)

    def get(self, url: Any, **kwargs: Any) -> _RecordedRequest:
        return self.request("GET", url, **kwargs)

    def post(self, url: Any, **kwargs: Any) -> _RecordedRequest:
        return self.request("POST", url, **kwargs)

    async def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        await self.inner.close()


async def record_cassette(
    exchange_id: str,
    symbols: list[str] | None,
    out_dir: Path,
    quote_assets: list[str],
    limit: int,
    *,
    transport: Callable[[], SessionLike] | None = None,
    rate_limit: bool = True,
    retry_backoff_s: float = 0.5,
) -> int:
    """Record markets, 24h tickers and order books (depth ``limit``, rounded up to what the
    exchange accepts) of ``symbols``, or of every active spot market quoted in ``quote_assets``.

    Appends to ``out_dir/<exchange_id>.jsonl`` and returns the number of lines written. Failures
    of single markets are recorded like any other answer and do not stop the recording.
    ``transport`` replaces the network (tests record what a ReplaySession serves).
    """
    path = Path(out_dir) / f"{exchange_id}.jsonl"
    make_inner = transport or live_session
    recorders: list[RecordingSession] = []

    def recording_transport(_: str) -> SessionLike:
        recorder = RecordingSession(make_inner(), path)
        recorders.append(recorder)
        return recorder

    quotes = sorted({s.split("/")[-1].upper() for s in symbols}) if symbols else quote_assets
    gateway = MarketGateway(
        [exchange_id],
        "live",
        quotes,
        orderbook_limit=choose_order_book_limit(exchange_id, limit),
        rate_limit=rate_limit,
        retry_backoff_s=retry_backoff_s,
        transport=recording_transport,
    )
    try:
        await gateway.snapshot_exchange(exchange_id, symbols=symbols)
    finally:
        await gateway.close()
    return sum(r.recorded for r in recorders)
