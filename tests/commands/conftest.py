"""liqbot's Slack surfaces under test: the real Bolt app and HTTP server (``serve_bot``) and the
Web API stand-in, on the ``services`` of ``tests/conftest.py``.

``demo_scan`` is one scan of the demo cassette, run once per session without storing it;
``store_demo_scan`` writes it (with the demo supply file) into a test's database, the way the
hourly snapshot job would, so `/atrisk`, App Home and `/liquidity` have data at ``NOW``.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.db import repo_supply
from bot.usecases.scan import ScanResult, run_scan, store_scan_result
from bot.usecases.services import Services
from bot.usecases.supply import read_demo_supply
from bot.wiring import build_services
from tests.builders import NOW, Clock, demo_settings
from tests.fakes.slack_fixtures import (
    ServedBot,
    StartBot,
    serve_bot,
    slack_api,
    slack_requests,
    slack_settings,
)

__all__ = ["serve_bot", "slack_api", "slack_requests", "slack_settings"]


async def _load_supply(services: Services) -> None:
    async with services.session() as session:
        await repo_supply.upsert_supply(session, read_demo_supply(), NOW)


@pytest.fixture(scope="session")
def demo_scan(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> ScanResult:
    path = tmp_path_factory.mktemp("demo_scan") / "liqbot.db"
    shutil.copyfile(_sqlite_template, path)

    async def scan() -> ScanResult:
        services = build_services(demo_settings(f"sqlite:///{path}"), clock=Clock(NOW))
        try:
            await _load_supply(services)
            return await run_scan(services, store=False)
        finally:
            await services.close()

    return asyncio.run(scan())


@pytest.fixture
def store_demo_scan(demo_scan: ScanResult) -> Callable[[Services], Awaitable[None]]:
    async def store(services: Services) -> None:
        await _load_supply(services)
        await store_scan_result(services, demo_scan)

    return store


@pytest.fixture
def start_liqbot(serve_bot: StartBot) -> Callable[[Services], Awaitable[ServedBot]]:
    """liqbot with every command registered (``bot.wiring.build_app``), on the given services."""

    async def start(services: Services) -> ServedBot:
        return await serve_bot(services=services)

    return start
