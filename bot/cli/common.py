"""What every `liqbot` command shares: the consoles, settings, migrations, services, and how a
failure becomes a one-line reason with exit code 1 (SPEC section 2)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from bot.cli.errors import one_line_reason
from bot.errors import UsageError
from bot.settings import Settings, load_settings

T = TypeVar("T")

# Piped output (make demo, CI logs) gets a wide table instead of rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 180)
err = Console(stderr=True)


def fail(reason: str) -> typer.Exit:
    """Exit code 1 with ``reason`` on stderr (raise what it returns)."""
    sys.stderr.write(f"liqbot: {reason}\n")  # one line, never wrapped
    return typer.Exit(1)


def bad_usage(reason: str) -> typer.Exit:
    """Exit code 2 with ``reason`` on stderr (raise what it returns)."""
    sys.stderr.write(f"liqbot: {reason}\n")
    return typer.Exit(2)


def settings_or_exit(**overrides: Any) -> Settings:
    """The settings (environment, ``.env``, ``overrides``), and logging set up from them."""
    try:
        settings = load_settings(**overrides)
    except Exception as exc:  # SettingsError, already one line and secret-free
        raise fail(one_line_reason(exc)) from None
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("alembic", "httpx", "aiosqlite"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return settings


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    """Run one async use case; any failure becomes a one-line reason and exit code 1, a command
    typed wrong (``UsageError``) exit code 2."""
    try:
        return asyncio.run(coro_fn())  # type: ignore[arg-type]
    except typer.Exit:
        raise
    except UsageError as exc:
        raise bad_usage(exc.message) from None
    except KeyboardInterrupt:
        raise fail("interrupted") from None
    except Exception as exc:
        logging.getLogger("liqbot").debug("command failed", exc_info=True)
        raise fail(one_line_reason(exc)) from None


def migrate(settings: Settings) -> None:
    """Apply the database migrations; every command that touches the database calls this first."""
    from bot.db.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except Exception as exc:
        raise fail(f"database upgrade failed: {one_line_reason(exc)}") from None


async def with_services(settings: Settings, use: Callable[[Any], Awaitable[T]]) -> T:
    """``use(services)`` on services built for this one command, closed afterwards."""
    from bot.wiring import build_services

    services = build_services(settings)
    try:
        return await use(services)
    finally:
        await services.close()
