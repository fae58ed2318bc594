"""Use case: the supply / market-cap refresh from CoinGecko's ``/coins/markets`` (issue 4 item 6).

``jobs.supply_refresh`` runs it once per team's day when ``COINGECKO_API_KEY`` is set (the run
ledger caches it: the period is the date). The tokens asked about are those of the latest
assessment batch (the home-listed tokens), ``SYMBOLS_PER_REQUEST`` per request with a pause between
requests (the demo plan allows about 30 calls a minute); a 429 is waited out (Retry-After) and
retried. CoinGecko answers with the top-ranked coin per symbol; an entry without a usable
circulating supply is skipped with a note, and so is a symbol CoinGecko does not know. The key
travels in the ``x-cg-demo-api-key`` header (``x-cg-pro-api-key`` for pro-api.coingecko.com), never
in a URL, a log line or an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.db import repo_assessment, repo_supply
from bot.domain.models import SupplyRecord
from bot.usecases.services import Services
from bot.usecases.supply_file import SupplyFileError, parse_coingecko

logger = logging.getLogger(__name__)

SYMBOLS_PER_REQUEST = 50
PAUSE_S = 2.5
MAX_RETRIES = 3
TIMEOUT_S = 30


class SupplyRefreshError(RuntimeError):
    """CoinGecko could not be read; the message names the status, never the key."""


@dataclass(frozen=True)
class SupplyRefresh:
    """``written`` tokens updated; ``unknown`` symbols CoinGecko did not return; ``skipped``
    entries it returned without usable figures, each with the reason."""

    asked: int
    written: int
    unknown: tuple[str, ...]
    skipped: tuple[str, ...]


def api_key_header(api_url: str) -> str:
    return "x-cg-pro-api-key" if "pro-api." in api_url else "x-cg-demo-api-key"


async def _get_page(
    http: aiohttp.ClientSession, url: str, symbols: Sequence[str], pause_s: float
) -> list[Any]:
    params = {
        "vs_currency": "usd",
        "symbols": ",".join(s.lower() for s in symbols),
        "per_page": "250",
        "page": "1",
    }
    for attempt in range(MAX_RETRIES + 1):
        async with http.get(url, params=params) as response:
            if response.status == 429 and attempt < MAX_RETRIES:
                wait = float(response.headers.get("Retry-After") or pause_s * 4)
                logger.info("CoinGecko rate limit: waiting %.0f s", wait)
                await asyncio.sleep(wait)
                continue
            if response.status != 200:
                raise SupplyRefreshError(
                    f"CoinGecko /coins/markets answered HTTP {response.status}"
                )
            data = await response.json(content_type=None)
            if not isinstance(data, list):
                raise SupplyRefreshError("CoinGecko /coins/markets did not answer a JSON array")
            return data
    raise SupplyRefreshError("CoinGecko kept answering 429")  # pragma: no cover - loop exits


def _parse(entries: Sequence[Any]) -> tuple[list[SupplyRecord], list[str]]:
    """Entry by entry, so one coin without a circulating supply does not reject the others."""
    records: list[SupplyRecord] = []
    skipped: list[str] = []
    for entry in entries:
        try:
            records += parse_coingecko(json.dumps([entry]))
        except SupplyFileError as exc:
            coin = entry.get("id") if isinstance(entry, dict) else None
            skipped.append(f"{coin or '?'}: {str(exc).removeprefix('entry 0 ')}")
    return records, skipped


async def refresh_supply(
    services: Services, symbols: Sequence[str], pause_s: float = PAUSE_S
) -> SupplyRefresh:
    """Fetch ``symbols``' circulating supply and market cap from CoinGecko and store them."""
    settings = services.settings
    if settings.coingecko_api_key is None:
        raise SupplyRefreshError("COINGECKO_API_KEY is not set")
    base = settings.coingecko_api_url
    url = (base if base.endswith("/") else base + "/") + "coins/markets"
    headers = {
        api_key_header(base): settings.coingecko_api_key.get_secret_value(),
        "accept": "application/json",
    }
    wanted = sorted({s.upper() for s in symbols})
    records: dict[str, SupplyRecord] = {}
    skipped: list[str] = []
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as http:
        for start in range(0, len(wanted), SYMBOLS_PER_REQUEST):
            if start:
                await asyncio.sleep(pause_s)
            batch = wanted[start : start + SYMBOLS_PER_REQUEST]
            parsed, notes = _parse(await _get_page(http, url, batch, pause_s))
            skipped += notes
            for record in parsed:
                if record.symbol in batch:
                    records.setdefault(record.symbol, record)  # first = CoinGecko's top-ranked
    unknown = tuple(s for s in wanted if s not in records)
    if unknown:
        logger.info("CoinGecko knows no coin for %d symbols, skipped: %s", len(unknown), unknown)
    if records:
        async with services.session() as session:
            await repo_supply.upsert_supply(
                session, list(records.values()), updated_at=services.clock()
            )
    return SupplyRefresh(len(wanted), len(records), unknown, tuple(skipped))


async def tracked_symbols(services: Services) -> list[str]:
    """The home-listed tokens of the latest scan."""
    async with services.session() as session:
        return [a.symbol for a in await repo_assessment.latest_assessments(session)]


async def refresh_tracked_supply(services: Services, pause_s: float = PAUSE_S) -> SupplyRefresh:
    """Refresh the supply of every home-listed token of the latest scan; ``SupplyRefreshError``
    when no scan is stored yet (so the job's run fails and the catch-up tries again later)."""
    symbols = await tracked_symbols(services)
    if not symbols:
        raise SupplyRefreshError("no scan stored yet: no tokens to refresh")
    return await refresh_supply(services, symbols, pause_s)


def supply_refresh_summary(result: SupplyRefresh) -> dict[str, Any]:
    """What the run ledger keeps of a refresh (at most 100 symbols of each list)."""
    return {
        "asked": result.asked,
        "written": result.written,
        "unknown": list(result.unknown[:100]),
        "skipped": list(result.skipped[:100]),
    }
