"""Arguments and dates every use case behind the Slack surfaces checks the same way.

A token symbol, an exchange id, `/atrisk [N] [high|medium]`, and "today" in the team's
``TIMEZONE``: parsed once here, so `/liquidity`, `/mm`, `/outreach` and the modals refuse the same
input with the same words. The constants come from ``bot.domain.vocabulary``, the day from
``bot.domain.calendar``; both are re-exported for the callers that import them from here.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from bot.domain.calendar import team_day
from bot.domain.vocabulary import AT_RISK_TIERS, CONTRIBUTION_SCENARIOS_PCT
from bot.errors import UsageError
from bot.settings import Settings

__all__ = [
    "AT_RISK_MAX_LIMIT",
    "AT_RISK_TIERS",
    "CONTRIBUTION_SCENARIOS_PCT",
    "SYMBOL_MAX_CHARS",
    "check_at_risk_args",
    "parse_at_risk_args",
    "parse_exchange",
    "parse_symbol",
    "shown",
    "team_today",
]

SYMBOL_MAX_CHARS = 20
SYMBOL_PUNCTUATION = frozenset("._-")
"""A token symbol is 1–20 letters or digits of any script (exchanges list ``币安人生/USDT``), '.',
'-' or '_': what the exchanges list, and nothing Slack's mrkdwn or a URL would act on."""

AT_RISK_MAX_LIMIT = 100


def shown(text: str, limit: int = 24) -> str:
    """User text quoted back in a message: cut to ``limit`` characters, without the characters
    Slack's mrkdwn would act on (``<`` ``>`` ``&`` and backticks), so a reply never pings or
    breaks formatting."""
    clean = "".join(ch for ch in text if ch.isprintable() and ch not in "<>&`")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def normalize_symbol(text: str | None) -> str | None:
    """``text`` as a token symbol (NFC, trimmed, upper-cased where case exists: Latin ``pepe`` is
    ``PEPE``, ``币安人生`` stays as it is), or None when it is not one."""
    symbol = unicodedata.normalize("NFC", (text or "").strip()).upper()
    if not 1 <= len(symbol) <= SYMBOL_MAX_CHARS:
        return None
    if not all(ch.isalnum() or ch in SYMBOL_PUNCTUATION for ch in symbol):
        return None
    return symbol


def parse_symbol(text: str | None) -> str:
    """The token symbol in ``text`` (``normalize_symbol``); else a ``UserFacingError`` naming the
    rule."""
    symbol = normalize_symbol(text)
    if symbol is not None:
        return symbol
    if not (text or "").strip():
        raise UsageError("Give a token symbol, e.g. PEPE.")
    raise UsageError(
        f"`{shown((text or '').strip().upper())}` is not a token symbol: use 1–{SYMBOL_MAX_CHARS} "
        "letters, digits, '.', '-' or '_'."
    )


def parse_exchange(settings: Settings, text: str | None) -> str:
    """One of the configured exchange ids (``EXCHANGES``), lower-cased."""
    exchange = (text or "").strip().lower()
    if exchange not in settings.exchanges:
        valid = ", ".join(settings.exchanges)
        raise UsageError(f"Unknown exchange `{shown(exchange)}`: use one of {valid}.")
    return exchange


def check_at_risk_args(limit: int, tier: str | None) -> None:
    """`/atrisk` limits: 1–100 rows, tier ``high``, ``medium`` or none (both)."""
    if not 1 <= limit <= AT_RISK_MAX_LIMIT:
        raise UsageError(f"Show between 1 and {AT_RISK_MAX_LIMIT} tokens, not {limit}.")
    if tier is not None and tier not in AT_RISK_TIERS:
        raise UsageError(f"Tier must be high or medium, not `{shown(tier)}`.")


def parse_at_risk_args(text: str | None) -> tuple[int, str | None]:
    """``"[N] [high|medium]"`` in either order → (limit, tier); limit defaults to 20."""
    limit, tier = 20, None
    for word in (text or "").split():
        lowered = word.lower()
        if lowered.isdigit():
            limit = int(lowered[:4]) if len(lowered) <= 4 else AT_RISK_MAX_LIMIT + 1
        elif lowered in AT_RISK_TIERS:
            tier = lowered
        else:
            raise UsageError(
                f"Unexpected `{shown(word)}`: use /atrisk [N] [high|medium], e.g. /atrisk 10 high."
            )
    check_at_risk_args(limit, tier)
    return limit, tier


def team_today(settings: Settings, now: datetime) -> date:
    """The team's day of ``now`` (``bot.domain.calendar.team_day`` in ``TIMEZONE``)."""
    return team_day(now, settings.timezone)
