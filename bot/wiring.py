"""Wiring: the one place where settings become live objects (database, market gateway, rules,
the Slack app).

``build_services(settings)`` is called once by the CLI, the bot and the jobs; nothing else opens an
engine or a ccxt instance. Use cases take a ``Services`` and return plain results.
``build_app(settings, services)`` is the Bolt app with liqbot's own listeners (``commands``).
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.db.engine import make_engine, make_sessionmaker
from bot.domain.risk import RiskRules
from bot.market.gateway import MarketGateway
from bot.settings import Settings
from bot.usecases.services import Services, utc_now

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

__all__ = ["Services", "build_app", "build_services", "risk_rules"]


def risk_rules(settings: Settings) -> RiskRules:
    """The domain's risk rules from the RISK_… settings (same field names on both sides)."""
    names = {f.name for f in dataclasses.fields(RiskRules)}
    return RiskRules(**{k: v for k, v in settings.risk.model_dump().items() if k in names})


def build_services(
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
    gateway: MarketGateway | None = None,
) -> Services:
    """The services of one process; ``gateway``: one built from ``settings`` already (``liqbot
    serve`` builds it first, to start loading the market lists)."""
    engine = make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        gateway=gateway or MarketGateway.from_settings(settings),
        rules=risk_rules(settings),
        clock=clock,
    )


def build_app(settings: Settings, services: Services) -> AsyncApp:
    """The Bolt app serving every command, button, modal and App Home of ``commands.register``.

    Raises ``SettingsError`` when the Slack settings are missing (``bot.slack.app.build_app``).
    """
    # Imported here: Slack and the presenters behind `commands` are for `liqbot serve` and
    # `liqbot ask`; `liqbot scan` and `liqbot db upgrade` build services only.
    import commands
    from bot.slack.app import build_app as build_bolt_app

    return build_bolt_app(settings, services, commands.register)


def freeze_startup() -> None:
    """Put everything built so far out of the garbage collector's way (``gc.freeze``).

    What a process builds at start (modules, settings, the services, the loaded market lists) lives
    as long as it does; left in the collected generations, every full collection walks all of it
    again. Measured: a full collection stalled a burst of acknowledgements by over 100 ms, and
    took the market-maker statuses of 2,000 tokens from about 130 ms to over 300 ms now and then
    (benchmarks/mm_status.py). `liqbot serve` calls it once the market lists are loaded,
    `liqbot scan` once its services are built."""
    gc.freeze()
