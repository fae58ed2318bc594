"""Wiring: the one place where settings become live objects (database, market gateway, rules).

``build_services(settings)`` is called once by the CLI, the bot and the jobs; nothing else opens an
engine or a ccxt instance. Use cases take a ``Services`` and return plain results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from bot.db.engine import make_engine, make_sessionmaker
from bot.domain.risk import RiskRules
from bot.market.gateway import MarketGateway
from bot.settings import Settings
from bot.usecases.services import Services, utc_now

__all__ = ["Services", "build_services", "risk_rules"]


def risk_rules(settings: Settings) -> RiskRules:
    """The domain's risk rules from the RISK_… settings (same field names on both sides)."""
    names = {f.name for f in dataclasses.fields(RiskRules)}
    return RiskRules(**{k: v for k, v in settings.risk.model_dump().items() if k in names})


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
