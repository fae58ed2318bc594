"""``Services``: what every use case is given (settings, database sessions, market gateway, risk
rules, clock, and the process's worker id in the run ledger). It is built in one place,
``bot.wiring.build_services(settings)``; use cases, Slack listeners and jobs receive it, none
builds its own. Every field is typed: nothing rides along in a dict.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.risk import RiskRules
from bot.settings import Settings
from bot.usecases.deadline import check_write_deadline

if TYPE_CHECKING:  # the gateway imports ccxt (seconds): Slack listeners need only the type
    from bot.market.gateway import MarketGateway


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_worker_id() -> str:
    """A runner's id in the run ledger: host, process and a random part (a restarted process is
    a new worker even if the operating system reuses its pid)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    gateway: MarketGateway
    rules: RiskRules
    clock: Callable[[], datetime] = utc_now
    worker_id: str = field(default_factory=new_worker_id)
    """This process's id in the run ledger (``bot.usecases.ledger``): one per Services."""

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
