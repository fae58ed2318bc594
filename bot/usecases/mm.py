"""Use cases: every token's market-maker status (SPEC 4.3) for a scan, and `/mm TOKEN`.

Status, in order:
- ``confirmed``: an engagement on record is running today (started, contract end not past);
- ``none`` when the latest record says "no market maker";
- otherwise from the home exchange's snapshot history of the last 14 days
  (``bot.domain.mm``: spread ≤ ``RISK_MM_MAX_SPREAD_BPS``, ±2% depth ≥
  ``RISK_MM_MIN_DEPTH_2PCT_USD`` in ≥ 75% of a day's snapshots on ≥ 75% of days, with at least
  ``RISK_MM_MIN_DAYS`` days of history): ``observed``, ``none`` or ``unknown``.

Records are read in the order they were logged and a "none" record sets aside every engagement
logged before it: a correction is a new row (SPEC 8), so "has MM" followed by "actually none"
reads as none, and a later engagement counts again. Public books cannot prove who quotes:
``observed`` is always "market-maker-like liquidity", never a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import repo_market, repo_outreach, repo_quoting
from bot.db.repo_quoting import HomeBookSample
from bot.domain.mm import QuotingSample, QuotingSummary, mm_status, summarize_quoting
from bot.domain.models import MMStatus
from bot.domain.outreach import EngagementRecord, MarketMakerOnRecord, market_maker_on_record
from bot.domain.units import fmt_bps, fmt_pct, fmt_usd
from bot.errors import UserFacingError
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.services import Services

STATUS_WINDOW_DAYS = 14
"""Days of snapshot history behind the ``observed`` / ``none`` / ``unknown`` status."""
REPORT_WINDOWS_DAYS = (14, 30)
"""Windows `/mm` shows observed quoting for."""


@dataclass(frozen=True)
class QuotingWindow:
    """Observed quoting on the home exchange over the last ``days_back`` days (see
    ``QuotingSummary``: uptimes are fractions 0..1, spread in bps, depth the smaller ±2% side in
    USD)."""

    days_back: int
    summary: QuotingSummary


@dataclass(frozen=True)
class MMCriteria:
    """What counts as market-maker-like quoting (from the RISK_MM_… settings)."""

    max_spread_bps: float
    min_depth_2pct_usd: float
    min_days: int


@dataclass(frozen=True)
class MMReport:
    """`/mm TOKEN`: the records on file (oldest first), the one running now, observed quoting
    over 14 and 30 days, the status and a one-line explanation."""

    symbol: str
    as_of: datetime
    home_exchange: str
    status: MMStatus
    explanation: str
    engagements: tuple[EngagementRecord, ...]
    active: tuple[EngagementRecord, ...]
    quoting: tuple[QuotingWindow, ...]
    criteria: MMCriteria
    timezone: str = "UTC"  # TIMEZONE: the zone ``as_of`` is shown in


def _quoting_samples(samples: Iterable[HomeBookSample]) -> list[QuotingSample]:
    return [QuotingSample(s.taken_at, s.two_sided, s.spread_bps, s.depth_2pct_usd) for s in samples]


def _criteria(services: Services) -> MMCriteria:
    rules = services.rules
    return MMCriteria(rules.mm_max_spread_bps, rules.mm_min_depth_2pct_usd, rules.mm_min_days)


def _summarize(samples: Iterable[HomeBookSample], criteria: MMCriteria) -> QuotingSummary:
    return summarize_quoting(
        _quoting_samples(samples), criteria.max_spread_bps, criteria.min_depth_2pct_usd
    )


def _status(record: MarketMakerOnRecord, quoting: QuotingSummary, criteria: MMCriteria) -> MMStatus:
    return mm_status(
        bool(record.active), record.recorded_none is not None, quoting, criteria.min_days
    )


async def mm_statuses(
    services: Services, symbols: Iterable[str], now: datetime
) -> dict[str, MMStatus]:
    """The market-maker status of every token in ``symbols`` at ``now`` (two queries in all: the
    records, then the home snapshot history of the tokens without a record that decides)."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    today = team_today(services.settings, now)
    criteria = _criteria(services)
    async with services.session() as session:
        by_symbol: dict[str, list[EngagementRecord]] = {}
        for record in await repo_outreach.engagements(session, wanted):
            by_symbol.setdefault(record.symbol, []).append(record)
        records = {
            symbol: market_maker_on_record(by_symbol.get(symbol, []), today) for symbol in wanted
        }
        undecided = [s for s, r in records.items() if not r.active and r.recorded_none is None]
        history = await repo_quoting.home_book_samples(
            session,
            services.settings.home_exchange,
            undecided,
            now - timedelta(days=STATUS_WINDOW_DAYS),
            now,
        )
    return {
        symbol: _status(records[symbol], _summarize(history.get(symbol, []), criteria), criteria)
        for symbol in wanted
    }


def _engagement_line(record: EngagementRecord) -> str:
    name = record.mm_name or "a market maker"
    since = f" since {record.since.isoformat()}" if record.since else ""
    until = f" until {record.until.isoformat()}" if record.until else ""
    return f"{name}{since}{until} (logged by {record.logged_by} from {record.source})"


def _explain(
    status: MMStatus,
    record: MarketMakerOnRecord,
    quoting: QuotingSummary,
    criteria: MMCriteria,
    home_exchange: str,
) -> str:
    """One line saying why the token has ``status``."""
    if status == "confirmed":
        return "Market maker on record: " + "; ".join(_engagement_line(r) for r in record.active)
    if record.recorded_none is not None:
        none = record.recorded_none
        return (
            f"Recorded as no market maker on {none.logged_at.date().isoformat()} "
            f"by {none.logged_by}."
        )
    test = (
        f"two-sided, spread ≤ {fmt_bps(criteria.max_spread_bps)} and ±2% depth ≥ "
        f"{fmt_usd(criteria.min_depth_2pct_usd)} in ≥ 75% of snapshots"
    )
    if status == "unknown":
        plural = "day" if quoting.days == 1 else "days"
        return (
            f"Too little history: {quoting.days} {plural} of {home_exchange} snapshots "
            f"(needs {criteria.min_days})."
        )
    days = f"{quoting.qualifying_days} of {quoting.days} days"
    if status == "observed":
        return f"Market-maker-like liquidity on {home_exchange}: {days} {test}."
    return f"No market-maker-like liquidity on {home_exchange}: only {days} {test}."


async def mm_report(services: Services, symbol: str) -> MMReport:
    """`/mm TOKEN`: engagements on record and observed quoting on the home exchange over the
    last 14 and 30 days (two-sided uptime, median spread in bps, median ±2% depth in USD).
    ``UserFacingError`` for a token liqbot knows nothing about (no snapshot, no record)."""
    symbol = parse_symbol(symbol)
    report = await build_mm_report(services, symbol, services.clock())
    if not report.engagements and not any(w.summary.samples for w in report.quoting):
        async with services.session() as session:
            seen = await repo_market.latest_snapshot_time(session, symbol)
        if seen is None:
            raise UserFacingError(
                f"Nothing known about {symbol}: no snapshot of its markets and no market maker "
                f"on record. Try /liquidity {symbol}."
            )
    return report


async def build_mm_report(services: Services, symbol: str, now: datetime) -> MMReport:
    """The market-maker report of an already validated ``symbol`` at ``now`` (also behind the
    status line of `/liquidity`)."""
    today = team_today(services.settings, now)
    criteria = _criteria(services)
    home = services.settings.home_exchange
    longest = max(REPORT_WINDOWS_DAYS)
    async with services.session() as session:
        records = await repo_outreach.engagements(session, [symbol])
        history = await repo_quoting.home_book_samples(
            session, home, [symbol], now - timedelta(days=longest), now
        )
    samples = history.get(symbol, [])
    windows = tuple(
        QuotingWindow(
            days,
            _summarize([s for s in samples if s.taken_at >= now - timedelta(days=days)], criteria),
        )
        for days in REPORT_WINDOWS_DAYS
    )
    decisive = next(w.summary for w in windows if w.days_back == STATUS_WINDOW_DAYS)
    record = market_maker_on_record(records, today)
    status = _status(record, decisive, criteria)
    return MMReport(
        symbol=symbol,
        as_of=now,
        home_exchange=home,
        status=status,
        explanation=_explain(status, record, decisive, criteria, home),
        engagements=tuple(records),
        active=record.active,
        quoting=windows,
        criteria=criteria,
        timezone=services.settings.timezone,
    )


def uptime_line(window: QuotingWindow) -> str:
    """``"14d: two-sided 96.0% of 336 snapshots, median spread 12.0 bps, median ±2% depth
    $48k"``: a window's figures as one line for the CLI and the Slack presenter."""
    q = window.summary
    return (
        f"{window.days_back}d: two-sided {fmt_pct(q.two_sided_uptime)} of {q.samples} snapshots, "
        f"median spread {fmt_bps(q.median_spread_bps)}, "
        f"median ±2% depth {fmt_usd(q.median_depth_2pct_usd)}"
    )
