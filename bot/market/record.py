"""Record a cassette from a live exchange (``liqbot record``), in the SPEC section 5 format.

``RecordingSession`` wraps the real transport under ccxt: each response is read once, written as
one line, and handed to ccxt as a ``ReplayResponse``, so what ccxt parses during recording is
byte for byte what a replay will feed it later. Timeouts and dropped connections are recorded as
``fault`` lines. Only response headers are written (minus cookies): request headers, which could
carry API keys, never reach the file.

The lines go through a ``CassetteWriter``: ``<out>/<id>.jsonl`` is replaced in one step when the
recording is usable, and left as it was when it is not: when the exchange answered nothing with
a 2xx (no network, every request a timeout; blocked, every answer a 403), or its market list or
tickers could not be read. ``RecordingFailed`` then says so in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

from bot.market.cassette_file import CassetteTargetError, CassetteWriter
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
    """A ccxt ``session`` writing every HTTP exchange to ``writer``, one per line."""

    def __init__(self, inner: SessionLike, writer: CassetteWriter) -> None:
        self.inner = inner
        self.writer = writer
        self.headers: dict[str, str] = {}

    def write(self, entry: RecordedExchange) -> None:
        self.writer.write(entry)

    def request(self, method: str, url: Any, **kwargs: Any) -> _RecordedRequest:
        return _RecordedRequest(self, method, url, kwargs)

    def get(self, url: Any, **kwargs: Any) -> _RecordedRequest:
        return self.request("GET", url, **kwargs)

    def post(self, url: Any, **kwargs: Any) -> _RecordedRequest:
        return self.request("POST", url, **kwargs)

    async def close(self) -> None:
        await self.inner.close()


class RecordingFailed(Exception):
    """Nothing usable was recorded, or the cassette cannot be written where asked; any existing
    cassette is left as it was. The message is one line."""


@dataclass(frozen=True)
class Recording:
    """A cassette file written by ``record_cassette``."""

    path: Path
    requests: int  # lines written: every HTTP exchange, retries and faults included
    answered: int  # of which 2xx answers


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
) -> Recording:
    """Record markets, 24h tickers and order books (depth ``limit``, rounded up to what the
    exchange accepts) of ``symbols``, or of every active spot market quoted in ``quote_assets``,
    into ``out_dir/<exchange_id>.jsonl`` (replaced whole, see the module docstring).

    Failures of single markets are recorded like any other answer and do not stop the
    recording. ``transport`` replaces the network (tests record what a ReplaySession serves).
    Raises ``RecordingFailed`` when nothing usable was recorded or ``out_dir`` is unusable.
    """
    try:
        writer = CassetteWriter(Path(out_dir) / f"{exchange_id}.jsonl")
    except CassetteTargetError as exc:
        raise RecordingFailed(str(exc)) from None
    make_inner = transport or live_session
    quotes = sorted({s.split("/")[-1].upper() for s in symbols}) if symbols else quote_assets
    try:
        gateway = MarketGateway(
            [exchange_id],
            "live",
            quotes,
            orderbook_limit=choose_order_book_limit(exchange_id, limit),
            rate_limit=rate_limit,
            retry_backoff_s=retry_backoff_s,
            transport=lambda _: RecordingSession(make_inner(), writer),
        )
        try:
            snapshot = await gateway.snapshot_exchange(exchange_id, symbols=symbols)
        finally:
            await gateway.close()
    except BaseException:
        writer.discard()
        raise
    unusable = _unusable(writer, snapshot.error)
    if unusable is not None:
        writer.discard()
        raise RecordingFailed(f"{unusable}; {writer.target} left as it was")
    try:
        writer.commit()
    except (OSError, CassetteTargetError) as exc:
        raise RecordingFailed(f"cannot write {writer.target}: {exc}") from None
    return Recording(writer.target, writer.lines, writer.answered)


def _unusable(writer: CassetteWriter, error: Exception | None) -> str | None:
    """Why the recording is not worth keeping, or None."""
    if writer.answered == 0:
        return f"nothing usable recorded ({writer.lines} requests, none answered with a 2xx)"
    if error is not None:
        return f"the exchange could not be read ({error})"
    return None
