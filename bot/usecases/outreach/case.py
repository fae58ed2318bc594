"""Use cases reading the outreach cases (SPEC 6): `/outreach TOKEN` (the case, its timeline, its
follow-up, the home ±2% depth around each answer, the next steps), `/outreach mine|team|overdue`,
and the one-line state every other answer shows (``OutreachState``: `/liquidity`, `/atrisk`, the
digest, App Home, a redrawn row).

Each case is derived from its timeline at the moment asked (``bot.domain.outreach``); one
query reads the events of any number of tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_cases, repo_quoting
from bot.domain.followup import FollowUp, FollowUpRules, followup_of
from bot.domain.outreach import OutreachCase, case_line, derive_case
from bot.domain.vocabulary import ANSWER_KINDS, STAGES
from bot.settings import Settings
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.depth import DEPTH_WINDOW, DepthCheck, depth_check
from bot.usecases.outreach.form import OutreachForm
from bot.usecases.outreach.kinds_case import next_steps
from bot.usecases.services import Services

CaseListKind = Literal["mine", "team", "overdue"]


def followup_rules(settings: Settings) -> FollowUpRules:
    """``FOLLOWUP_DAYS``, ``FOLLOWUP_ESCALATE_DAYS`` and ``TIMEZONE``."""
    return FollowUpRules(settings.followup_days, settings.followup_escalate_days, settings.timezone)


@dataclass(frozen=True)
class OutreachState:
    """A case in one line (``label``: stage and answers, ``bot.domain.outreach.case_line``) and
    its owner (Slack user id, display name as stored); ``snoozed_until`` while a snooze runs."""

    symbol: str
    stage: str
    label: str
    owner: str | None = None
    owner_name: str | None = None
    snoozed_until: datetime | None = None

    @property
    def snoozed(self) -> bool:
        return self.snoozed_until is not None

    @property
    def text(self) -> str:
        """The label with the owner's name, for plain text (terminal, digest rows, CSV)."""
        owner = self.owner_name or self.owner
        return f"{self.label} · owner {owner}" if owner else self.label


def state_of(case: OutreachCase, now: datetime, timezone: str) -> OutreachState:
    """The one-line state of ``case`` at ``now``."""
    return OutreachState(
        symbol=case.symbol,
        stage=case.stage,
        label=case_line(case, now, timezone),
        owner=case.owner,
        owner_name=case.owner_name,
        snoozed_until=case.snoozed_until,
    )


async def cases_in(
    session: AsyncSession, symbols: Iterable[str] | None, now: datetime
) -> dict[str, OutreachCase]:
    """The case of each token in ``symbols`` (every token with a case when None), read in the
    caller's transaction: one query."""
    wanted = None if symbols is None else sorted(set(symbols))
    if wanted is not None and not wanted:
        return {}
    grouped = repo_cases.by_symbol(await repo_cases.case_events(session, wanted))
    names = wanted if wanted is not None else sorted(grouped)
    return {symbol: derive_case(symbol, grouped.get(symbol, []), now) for symbol in names}


async def states_in(
    session: AsyncSession, settings: Settings, symbols: Iterable[str], now: datetime
) -> dict[str, OutreachState]:
    """The one-line state of each token in ``symbols``, in the caller's transaction."""
    cases = await cases_in(session, symbols, now)
    return {s: state_of(case, now, settings.timezone) for s, case in cases.items()}


async def outreach_state(
    services: Services, symbols: Iterable[str], now: datetime | None = None
) -> dict[str, OutreachState]:
    """The one-line state of each token in ``symbols`` (one read transaction)."""
    wanted = set(symbols)
    if not wanted:
        return {}
    async with services.session() as session:
        return await states_in(session, services.settings, wanted, now or services.clock())


@dataclass(frozen=True)
class CaseView:
    """`/outreach TOKEN`: the case at ``as_of``, its follow-up (None: it waits for nothing), the
    home ±2% depth around each answer (by event id), and the forms of its next steps. Times are
    shown in ``timezone``."""

    symbol: str
    as_of: datetime
    timezone: str
    home_exchange: str
    case: OutreachCase
    followup: FollowUp | None
    depth: Mapping[int, DepthCheck]
    steps: tuple[OutreachForm[Any], ...]


async def outreach_case(services: Services, symbol: str) -> CaseView:
    """`/outreach TOKEN`: ``symbol``'s case with its timeline, follow-up and next steps."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    settings = services.settings
    home = settings.home_exchange
    async with services.session() as session:
        case = (await cases_in(session, [symbol], now))[symbol]
        answers = [e.event for e in case.entries if e.kind in ANSWER_KINDS]
        samples = []
        if answers:
            since = answers[0].at - DEPTH_WINDOW
            found = await repo_quoting.home_book_samples(session, home, [symbol], since, now)
            samples = found.get(symbol, [])
    depth = {event.id: depth_check(samples, event.at, now) for event in answers}
    followup = followup_of(case, followup_rules(settings))
    return CaseView(symbol, now, settings.timezone, home, case, followup, depth, next_steps(case))


@dataclass(frozen=True)
class CaseRow:
    """One case of a list: the case, its one-line state, and its follow-up (if it waits)."""

    case: OutreachCase
    state: OutreachState
    followup: FollowUp | None


@dataclass(frozen=True)
class CaseList:
    """`/outreach mine`, `team` or `overdue` at ``as_of`` for ``user_id``: open cases, sorted
    (mine: by due day; team: by owner, stage, token; overdue: most overdue first)."""

    which: CaseListKind
    user_id: str
    as_of: datetime
    timezone: str
    rows: tuple[CaseRow, ...]


def case_rows(cases: Iterable[OutreachCase], settings: Settings, now: datetime) -> list[CaseRow]:
    """The open ones of ``cases`` as list rows, with their follow-ups."""
    rules = followup_rules(settings)
    return [
        CaseRow(case, state_of(case, now, settings.timezone), followup_of(case, rules))
        for case in cases
        if case.is_open
    ]


def select_rows(
    rows: Iterable[CaseRow], which: CaseListKind, user_id: str, now: datetime
) -> list[CaseRow]:
    """The rows of list ``which`` for ``user_id``, in its order."""
    far = datetime.max.date()
    if which == "mine":
        mine = [r for r in rows if r.case.owner == user_id]
        return sorted(mine, key=lambda r: (r.followup.due_on if r.followup else far, r.case.symbol))
    if which == "overdue":
        late = [r for r in rows if r.followup is not None and r.followup.overdue(now)]
        return sorted(late, key=lambda r: (r.followup.due_on if r.followup else far, r.case.symbol))
    return sorted(
        rows,
        key=lambda r: (
            (r.case.owner_name or r.case.owner or "~").casefold(),
            STAGES.index(r.case.stage),
            r.case.symbol,
        ),
    )


async def case_list(services: Services, which: CaseListKind, user_id: str) -> CaseList:
    """`/outreach mine|team|overdue` as seen by ``user_id``."""
    now = services.clock()
    async with services.session() as session:
        cases = await cases_in(session, None, now)
    rows = select_rows(case_rows(cases.values(), services.settings, now), which, user_id, now)
    return CaseList(which, user_id, now, services.settings.timezone, tuple(rows))
