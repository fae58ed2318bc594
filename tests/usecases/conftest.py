"""Services on a real database (SQLite and PostgreSQL, via ``db_url``) with a settable clock.

``services`` reads the bundled demo cassette; ``replay_services`` builds Services on a
hand-written cassette directory (``replay_dir``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.settings import load_settings
from bot.usecases.services import Services
from bot.wiring import build_services
from tests.builders import NOW, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def make_services(db_url: str, clock: Clock) -> AsyncIterator[Callable[..., Services]]:
    """Services factory: keyword arguments are setting overrides (e.g. editor_user_ids)."""
    built: list[Services] = []

    def make(**overrides: Any) -> Services:
        options: dict[str, Any] = {"database_url": db_url, "market_source": "demo", **overrides}
        services = build_services(load_settings(env_file=None, **options), clock=clock)
        built.append(services)
        return services

    yield make
    for services in built:
        await services.close()


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    return make_services()


@pytest.fixture
def replay_dir(tmp_path: Path) -> Path:
    path = tmp_path / "cassette"
    path.mkdir()
    return path
