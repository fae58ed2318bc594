"""``Services``: what every use case is given (settings, database sessions, market gateway, risk
rules, clock). It is built in one place, ``bot.wiring.build_services(settings)``; use cases, Slack
listeners and jobs receive it, none builds its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.risk import RiskRules
from bot.market.gateway import MarketGateway
from bot.settings import Settings
from bot.usecases.deadline import check_write_deadline


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    gateway: MarketGateway
    rules: RiskRules
    clock: Callable[[], datetime] = utc_now
    extras: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on error, and rolls back instead of
        committing past the request's write deadline (``bot.usecases.deadline``)."""
        async with self.sessions() as session, session.begin():
            yield session
            check_write_deadline()

    @property
    def source(self) -> str:
        return self.settings.market_source

    @property
    def is_demo(self) -> bool:
        return self.settings.market_source == "demo"

    async def ping_db(self) -> None:
        """Raises when the database does not answer (for /healthz)."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.gateway.close()
        await self.engine.dispose()
