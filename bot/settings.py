"""liqbot settings: environment variables or `.env`, names fixed by SPEC section 3.

Read once, in ``load_settings()``; nothing reads settings at import time. Secrets are
``SecretStr`` so they never show up in a repr, a log line or an error message.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from pathlib import Path
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.calendar import team_zone


class SettingsError(Exception):
    """A setting is missing or invalid; the message names the variable, never a secret value."""


def _csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class RiskThresholds(BaseModel):
    """SPEC 4.3 thresholds. Every one is a `RISK_…` variable; see `.env.example` for the sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_depth_2pct_usd: float = Field(50_000, gt=0)
    max_spread_bps: float = Field(100, gt=0)
    min_volume_24h_usd: float = Field(100_000, gt=0)
    min_market_cap_usd: float = Field(10_000_000, gt=0)
    max_volume_depth_ratio: float = Field(50, gt=0)
    max_imbalance: float = Field(0.8, gt=0, le=1)
    min_home_share: float = Field(0.10, ge=0, le=1)
    weight_depth: int = Field(35, ge=0, le=100)
    weight_spread: int = Field(20, ge=0, le=100)
    weight_volume: int = Field(20, ge=0, le=100)
    weight_market_cap: int = Field(10, ge=0, le=100)
    weight_wash: int = Field(10, ge=0, le=100)
    weight_imbalance: int = Field(10, ge=0, le=100)
    weight_home_share: int = Field(5, ge=0, le=100)
    weight_no_mm: int = Field(10, ge=0, le=100)
    tier_high: int = Field(60, ge=1, le=100)
    tier_medium: int = Field(30, ge=1, le=100)
    mm_max_spread_bps: float = Field(50, gt=0)
    mm_min_depth_2pct_usd: float = Field(10_000, gt=0)
    mm_min_days: int = Field(3, ge=1)
    mm_min_uptime: float = Field(0.75, gt=0, le=1)
    # Liquidity alerts after each scheduled snapshot (SPEC 6 "Alerts"; bot.domain.alerts).
    alert_depth_floor_usd: float = Field(50_000, gt=0)
    alert_depth_median_ratio: float = Field(0.5, gt=0, lt=1)
    alert_recovery_snapshots: int = Field(2, ge=1)
    alert_mm_missed_snapshots: int = Field(3, ge=1)

    @model_validator(mode="after")
    def _tiers_ordered(self) -> RiskThresholds:
        if self.tier_medium >= self.tier_high:
            raise ValueError("RISK_TIER_MEDIUM must be below RISK_TIER_HIGH")
        return self


class ReviewCriteria(BaseModel):
    """SPEC 6 monitoring-tag review criteria. Every one is a `REVIEW_…` variable; the floor is
    `RISK_MIN_DEPTH_2PCT_USD`. See `.env.example`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_days_under_floor: int = Field(14, ge=1)
    window_days: int = Field(30, ge=1, le=365)
    snooze_days: int = Field(30, ge=1, le=365)

    @model_validator(mode="after")
    def _days_fit_the_window(self) -> ReviewCriteria:
        if self.min_days_under_floor > self.window_days:
            raise ValueError("REVIEW_MIN_DAYS_UNDER_FLOOR must not exceed REVIEW_WINDOW_DAYS")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", case_sensitive=False, env_ignore_empty=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///./liqbot.db"
    market_source: str = "live"
    replay_latency_ms: float = Field(0, ge=0)
    exchanges: Any = Field(default_factory=lambda: ["binance", "okx", "bybit"])
    home_exchange: str = "binance"
    quote_assets: Any = Field(default_factory=lambda: ["USDT", "USDC", "FDUSD"])
    digest_channel: str | None = None
    alert_channel: str | None = None  # default: DIGEST_CHANNEL (see ``alert_target``)
    digest_cron: str = "0 9 * * *"
    digest_top_n: int = Field(10, ge=1, le=40)
    report_channel: str | None = None  # None: DIGEST_CHANNEL
    report_cron: str = "0 9 * * 1"
    timezone: str = "UTC"
    snapshot_interval_minutes: int = Field(60, ge=1)
    snapshot_retention_days: int = Field(7, ge=1)
    port: int = Field(3000, ge=1, le=65535)
    editor_user_ids: Any = Field(default_factory=list)
    editor_usergroup_ids: Any = Field(default_factory=list)
    followup_days: int = Field(7, ge=1)
    followup_escalate_days: int = Field(3, ge=1)
    coingecko_api_key: SecretStr | None = None
    coingecko_api_url: str = "https://api.coingecko.com/api/v3/"
    orderbook_limit: int = Field(100, ge=5, le=5000)
    replicas_per_ip: int = Field(1, ge=1, le=100)
    log_level: str = "INFO"

    @field_validator(
        "exchanges", "quote_assets", "editor_user_ids", "editor_usergroup_ids", mode="before"
    )
    @classmethod
    def _split_csv(cls, value: Any) -> Any:
        return _csv(value)

    @field_validator("exchanges", "quote_assets", "editor_user_ids", "editor_usergroup_ids")
    @classmethod
    def _list_of_str(cls, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a comma-separated list")
        return list(value)

    @field_validator("exchanges")
    @classmethod
    def _exchanges_lower(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one exchange is required")
        return [v.lower() for v in value]

    @field_validator("quote_assets")
    @classmethod
    def _quotes_upper(cls, value: list[str]) -> list[str]:
        return [v.upper() for v in value]

    @field_validator("home_exchange")
    @classmethod
    def _home_lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("market_source")
    @classmethod
    def _source(cls, value: str) -> str:
        if value in ("live", "demo") or (value.startswith("replay:") and len(value) > 7):
            return value
        raise ValueError("must be live, demo or replay:DIR")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            team_zone(value)  # the zone every "team's day" is counted in
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("digest_cron", "report_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("must be a 5-field crontab, e.g. '0 9 * * *'")
        return value

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if not (value.startswith("sqlite") or value.startswith("postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        from bot.db.url import DatabaseUrlError, parse_database_url

        try:
            parse_database_url(value)
        except DatabaseUrlError as exc:
            raise ValueError(exc.reason) from None  # the reason never quotes the URL
        return value

    @model_validator(mode="after")
    def _home_in_exchanges(self) -> Settings:
        if self.home_exchange not in self.exchanges:
            raise ValueError("HOME_EXCHANGE must be one of EXCHANGES")
        return self

    # Risk thresholds and review criteria are nested objects built from RISK_… and REVIEW_…
    # variables (see load_settings).
    risk: RiskThresholds = Field(default_factory=RiskThresholds)
    review: ReviewCriteria = Field(default_factory=ReviewCriteria)

    @property
    def report_target(self) -> str | None:
        """Where the weekly report goes: ``REPORT_CHANNEL``, else ``DIGEST_CHANNEL``."""
        return self.report_channel or self.digest_channel

    @property
    def alert_target(self) -> str | None:
        """The channel liquidity alerts go to: ``ALERT_CHANNEL``, else ``DIGEST_CHANNEL``."""
        return self.alert_channel or self.digest_channel

    @property
    def replay_dir(self) -> Path | None:
        if self.market_source.startswith("replay:"):
            return Path(self.market_source.removeprefix("replay:"))
        return None


def _dotenv_values(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v}


_SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")


def _one_line(exc: ValidationError, prefix: str = "") -> str:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("risk", "review")]
        name = (prefix + "_".join(loc)).upper() if loc else "settings"
        named = _SETTING_NAME.search(err.get("msg", ""))
        if not loc and named:  # a check across settings names the first one it mentions
            name = named.group()
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"invalid setting {name}: {msg}")
    return "; ".join(parts)


Nested = TypeVar("Nested", bound=BaseModel)


def _nested(env: dict[str, str], prefix: str, model: type[Nested]) -> Nested:
    """The ``prefix``… variables of ``env`` as ``model``; an unknown name is an error."""
    known = {f"{prefix}{name.upper()}" for name in model.model_fields}
    unknown = sorted(k for k in env if k.startswith(prefix) and k not in known)
    if unknown:
        raise SettingsError(
            f"unknown setting {unknown[0]} (known {prefix} settings: see .env.example)"
        )
    values = {k.removeprefix(prefix).lower(): v for k, v in env.items() if k in known}
    try:
        return model(**values)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc, prefix=prefix)) from None


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Build settings from the environment (and `.env`), with keyword overrides for the CLI/tests.

    Raises SettingsError with a one-line message naming the variable; unknown `RISK_…` and
    `REVIEW_…` variables are an error too (a typo would otherwise silently keep the default).
    """
    dotenv = _dotenv_values(Path(env_file)) if env_file else {}
    env = {
        **{k.upper(): v for k, v in dotenv.items()},
        **{k.upper(): v for k, v in os.environ.items()},
    }
    risk = _nested(env, "RISK_", RiskThresholds)
    review = _nested(env, "REVIEW_", ReviewCriteria)
    try:
        return Settings(_env_file=env_file, risk=risk, review=review, **overrides)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None
