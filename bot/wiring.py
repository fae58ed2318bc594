"""Wiring: the one place where settings become live objects (database, market gateway, rules).

``build_services(settings)`` is called once by the CLI, the bot and the jobs; nothing else opens an
engine or a ccxt instance. Use cases take a ``Services`` and return plain results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import make_engine, make_sessionmaker
from bot.domain.risk import RiskRules
from bot.market.gateway import MarketGateway
from bot.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


def risk_rules(settings: Settings) -> RiskRules:
    """The domain's risk rules from the RISK_… settings (same field names on both sides)."""
    names = {f.name for f in dataclasses.fields(RiskRules)}
    return RiskRules(**{k: v for k, v in settings.risk.model_dump().items() if k in names})


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
        """One unit of work: commits on success, rolls back on error."""
        async with self.sessions() as session, session.begin():
            yield session

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


def build_services(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Services:
    engine = make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        gateway=MarketGateway.from_settings(settings),
        rules=risk_rules(settings),
        clock=clock,
    )
