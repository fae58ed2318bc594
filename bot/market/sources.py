"""Where an exchange's HTTP answers come from: the network, the bundled demo, or a cassette dir."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import cast

import aiohttp
import certifi

from bot.market.demo import demo_cassette_lines
from bot.market.replay import ReplaySession, parse_cassette_lines
from bot.market.session import SessionLike


def check_source(source: str) -> str:
    """Validate a MARKET_SOURCE value: ``live``, ``demo`` or ``replay:DIR`` (an existing dir)."""
    if source in ("live", "demo"):
        return source
    if source.startswith("replay:") and len(source) > len("replay:"):
        directory = Path(source.removeprefix("replay:"))
        if not directory.is_dir():
            raise ValueError(f"cassette directory {directory} does not exist")
        return source
    raise ValueError(f"market source must be live, demo or replay:DIR, not {source!r}")


def is_replay(source: str) -> bool:
    return source != "live"


def live_session() -> SessionLike:
    """A real HTTP session verifying TLS with certifi's CA bundle (what ccxt itself would use)."""
    context = ssl.create_default_context(cafile=certifi.where())
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context), trust_env=True)
    # aiohttp types request()'s keywords precisely; ccxt only passes ones it accepts.
    return cast(SessionLike, session)


def transport_factory(source: str, exchange: str, latency_ms: float) -> Callable[[], SessionLike]:
    """A zero-argument factory for the exchange's transport; called inside the event loop."""
    if source == "live":
        return live_session
    if source == "demo":
        return lambda: ReplaySession(
            exchange,
            parse_cassette_lines(demo_cassette_lines(exchange), source=f"demo {exchange}.jsonl"),
            latency_ms,
        )
    path = Path(source.removeprefix("replay:")) / f"{exchange}.jsonl"
    return lambda: ReplaySession.from_file(exchange, path, latency_ms)
