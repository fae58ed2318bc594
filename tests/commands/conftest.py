"""liqbot's Slack surfaces under test: the real Bolt app and HTTP server (``serve_bot``), the Web
API stand-in, Services on SQLite and PostgreSQL (``db_url``) reading the bundled demo market
data, and a fixed clock.

``demo_scan`` is one scan of the demo cassette, run once per session without storing it;
``store_demo_scan`` writes it (with the demo supply file) into a test's database, the way the
hourly snapshot job would, so `/atrisk`, App Home and `/liquidity` have data at ``NOW``.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.db import repo_supply
from bot.settings import load_settings
from bot.usecases.scan import ScanResult, run_scan, store_scan_result
from bot.usecases.services import Services
from bot.usecases.supply import read_demo_supply
from bot.wiring import build_services
from commands import register
from tests.builders import NOW, Clock
from tests.fakes.slack_fixtures import (
    ServedBot,
    StartBot,
    serve_bot,
    slack_api,
    slack_requests,
    slack_settings,
)

__all__ = ["serve_bot", "slack_api", "slack_requests", "slack_settings"]


def make_settings(db_url: str, **overrides: Any) -> Any:
    return load_settings(env_file=None, database_url=db_url, market_source="demo", **overrides)


async def _load_supply(services: Services) -> None:
    async with services.session() as session:
        await repo_supply.upsert_supply(session, read_demo_supply(), NOW)


@pytest.fixture(scope="session")
def demo_scan(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> ScanResult:
    path = tmp_path_factory.mktemp("demo_scan") / "liqbot.db"
    shutil.copyfile(_sqlite_template, path)

    async def scan() -> ScanResult:
        services = build_services(make_settings(f"sqlite:///{path}"), clock=Clock(NOW))
        try:
            await _load_supply(services)
            return await run_scan(services, store=False)
        finally:
            await services.close()

    return asyncio.run(scan())


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def make_services(db_url: str, clock: Clock) -> AsyncIterator[Callable[..., Services]]:
    """Services factory on the test's database; keyword arguments override settings."""
    built: list[Services] = []

    def make(**overrides: Any) -> Services:
        services = build_services(make_settings(db_url, **overrides), clock=clock)
        built.append(services)
        return services

    yield make
    for services in built:
        await services.close()


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    return make_services()


@pytest.fixture
async def sqlite_services(
    tmp_path: Path, _sqlite_template: Path, clock: Clock
) -> AsyncIterator[Services]:
    """Services on SQLite only, for tests where the database plays no part (help, parsing)."""
    path = tmp_path / "liqbot.db"
    shutil.copyfile(_sqlite_template, path)
    services = build_services(make_settings(f"sqlite:///{path}"), clock=clock)
    yield services
    await services.close()


@pytest.fixture
def store_demo_scan(demo_scan: ScanResult) -> Callable[[Services], Awaitable[None]]:
    async def store(services: Services) -> None:
        await _load_supply(services)
        await store_scan_result(services, demo_scan)

    return store


@pytest.fixture
def start_liqbot(serve_bot: StartBot) -> Callable[[Services], Awaitable[ServedBot]]:
    """liqbot with every command registered, on the given services."""

    async def start(services: Services) -> ServedBot:
        return await serve_bot(register, services=services)

    return start
