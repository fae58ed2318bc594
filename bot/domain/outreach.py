"""The outreach case of a token: the append-only log of what the team did and what the project
answered, and the rules that derive where the case stands from it.

Nothing in the log is edited: a correction is a new record and the latest record decides
(SPEC 8). The records are what ``bot.db.repo_outreach`` hands out; timestamps are aware UTC,
``logged_by`` is a Slack user id.

Rules:

- *latest snooze wins*: of a token's snoozes logged at or before a moment, the latest (by
  ``logged_at``, then id) decides; it runs while its ``until`` is after the moment. Ending a
  snooze early is a new snooze whose ``until`` is the moment it ends.
- *the state of the case* (``case_state``), from its latest record: a running snooze logged
  after everything else → ``snoozed``; else the latest answer (has_mm / will_contribute /
  declined) unless an outreach came after it (an answer and an outreach logged at the same moment:
  the answer wins); else ``contacted`` when there is an outreach; else ``not_contacted``. A
  running snooze is reported beside any state (``snoozed_until``).
- *market maker on record*: see ``bot.domain.engagements`` (supersession, end dates, "none").
- *follow-up due date*: an outreach's follow-up date, else ``FOLLOWUP_DAYS`` after the team's day
  it was logged on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from bot.domain.calendar import team_day, whole_days_between
from bot.domain.vocabulary import ANSWER_KINDS

StateKind = Literal[
    "not_contacted", "contacted", "has_mm", "will_contribute", "declined", "snoozed"
]
CASE_STATES: tuple[StateKind, ...] = (
    "not_contacted",
    "contacted",
    "has_mm",
    "will_contribute",
    "declined",
    "snoozed",
)
"""Every state of an outreach case, in the order the pipeline shows them (App Home)."""


@dataclass(frozen=True)
class OutreachRecord:
    """The team contacted a token project through ``channel`` (telegram/email/call/other)."""

    id: int
    symbol: str
    channel: str
    contact: str | None
    notes: str | None
    followup_on: date | None
    logged_by: str
    logged_at: datetime
    reminded_at: datetime | None


@dataclass(frozen=True)
class ReplyRecord:
    """A reply: ``kind`` has_mm / will_contribute / declined / snooze, values in ``details``."""

    id: int
    symbol: str
    outreach_id: int | None
    kind: str
    details: dict[str, Any]
    logged_by: str
    logged_at: datetime


@dataclass(frozen=True)
class EngagementRecord:
    """A market maker on record (``status`` engaged) or a recorded "none"; contract dates and
    obligations (max spread in bps, min ±2% depth per side in USD, uptime as a share 0..1 of a
    day's snapshots) when known. ``supersedes_id``: the record this one corrects, when it names
    one (a later record for the same firm supersedes the earlier one anyway)."""

    id: int
    symbol: str
    status: str
    source: str
    mm_name: str | None
    since: date | None
    until: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None
    logged_by: str
    logged_at: datetime
    reply_id: int | None
    uptime: float | None = None
    supersedes_id: int | None = None


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge of ``pct_of_supply`` % of circulating supply: ``tokens``, ``usd_value`` at
    ``price_usd`` (the home mid that day), and the home ±2% depth (USD) it compares to."""

    id: int | None
    reply_id: int
    symbol: str
    pct_of_supply: float
    tokens: float | None
    usd_value: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    pledged_at: datetime


@dataclass(frozen=True)
class SnoozeRecord:
    """The team keeps ``symbol`` out of the digest until ``until``."""

    id: int
    symbol: str
    until: datetime
    logged_by: str
    logged_at: datetime
    reply_id: int | None


@dataclass(frozen=True)
class OutreachState:
    """Where the team stands with a token's project. ``label`` is ready to show ("contacted 3d ago
    by U123", "has MM (Wintermute)", "will contribute 3%", "snoozed until 2026-12-02");
    ``at`` / ``by`` are when and by whom (Slack user id) the deciding record was logged."""

    symbol: str
    state: StateKind
    label: str
    at: datetime | None = None
    by: str | None = None
    snoozed_until: datetime | None = None

    @property
    def snoozed(self) -> bool:
        return self.snoozed_until is not None


def running_snooze(snoozes: Iterable[SnoozeRecord], now: datetime) -> SnoozeRecord | None:
    """The snooze of one token running at ``now``: the latest logged at or before ``now`` (by
    ``logged_at``, then id) when its ``until`` is after ``now``; else None."""
    logged = [s for s in snoozes if s.logged_at <= now]
    latest = max(logged, key=lambda s: (s.logged_at, s.id), default=None)
    return latest if latest is not None and latest.until > now else None


def snoozed_symbols(snoozes: Iterable[SnoozeRecord], now: datetime) -> set[str]:
    """The tokens snoozed at ``now``, from the snoozes of any number of tokens."""
    by_symbol: dict[str, list[SnoozeRecord]] = {}
    for snooze in snoozes:
        by_symbol.setdefault(snooze.symbol, []).append(snooze)
    return {symbol for symbol, own in by_symbol.items() if running_snooze(own, now) is not None}


def _days_ago(at: datetime, now: datetime) -> str:
    days = whole_days_between(at, now)
    return "today" if days <= 0 else f"{days}d ago"


def _answer_state(answer: ReplyRecord) -> tuple[StateKind, str]:
    d = answer.details
    if answer.kind == "has_mm":
        return "has_mm", f"has MM ({d.get('mm_name')})"
    if answer.kind == "will_contribute":
        return "will_contribute", f"will contribute {float(d.get('pct_of_supply') or 0):g}%"
    return "declined", "declined"


def case_state(
    symbol: str,
    outreach: Sequence[OutreachRecord],
    replies: Sequence[ReplyRecord],
    snoozes: Sequence[SnoozeRecord],
    now: datetime,
) -> OutreachState:
    """The state of ``symbol``'s case at ``now`` from its outreach, replies and snoozes, each
    oldest first; see the module docstring. Only the project's answers (``ANSWER_KINDS``) among
    the replies count: a snooze decides through ``snoozes``."""
    running = running_snooze(snoozes, now)
    until = running.until if running else None
    answers = [r for r in replies if r.kind in ANSWER_KINDS]
    last_outreach = outreach[-1] if outreach else None
    last_answer = answers[-1] if answers else None
    latest_at = max(
        (r.logged_at for r in (last_outreach, last_answer) if r is not None), default=None
    )
    if running is not None and (latest_at is None or running.logged_at >= latest_at):
        label = f"snoozed until {running.until.date().isoformat()}"
        return OutreachState(symbol, "snoozed", label, running.logged_at, running.logged_by, until)
    if last_answer is not None and (
        last_outreach is None or last_answer.logged_at >= last_outreach.logged_at
    ):
        kind, label = _answer_state(last_answer)
        return OutreachState(
            symbol, kind, label, last_answer.logged_at, last_answer.logged_by, until
        )
    if last_outreach is not None:
        at, by = last_outreach.logged_at, last_outreach.logged_by
        label = f"contacted {_days_ago(at, now)} by {by}"
        return OutreachState(symbol, "contacted", label, at, by, until)
    return OutreachState(symbol, "not_contacted", "not contacted", snoozed_until=until)


def followup_due_on(outreach: OutreachRecord, followup_days: int, timezone: str) -> date:
    """The team's day an outreach is due for a follow-up: its follow-up date, else
    ``followup_days`` after the team's day (in ``timezone``) it was logged on."""
    if outreach.followup_on is not None:
        return outreach.followup_on
    return team_day(outreach.logged_at, timezone) + timedelta(days=followup_days)
