"""Use case: how a market-maker firm keeps its obligations across every token it is engaged on
(`/mm TOKEN` shows one scorecard per firm running on the token).

A firm's tokens are those with an engagement of the firm running today (records matched by the
firm's name, ``bot.domain.engagements.firm_key``); its days are the whole days of the status
window each engagement was judged on, its breaches the tokens where it is ``breached``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.db import repo_mm_days, repo_outreach
from bot.db.dialect import Executor
from bot.domain.engagements import Engagement, firm_key
from bot.domain.mm import QuotingDay
from bot.domain.mm_status import MMJudgement, engagement_judgements, window_start
from bot.usecases.mm_checks import default_obligations, records_on_file
from bot.usecases.services import Services


@dataclass(frozen=True)
class FirmScorecard:
    """One firm across tokens over the status window: the tokens it runs on, the judged days
    and those on which it kept its obligations, and the tokens where it is breached."""

    firm: str
    tokens: tuple[str, ...]
    days_judged: int
    days_met: int
    breaches: tuple[str, ...]


async def firm_scorecards(
    session: Executor, services: Services, engagements: Sequence[Engagement], today: date
) -> tuple[FirmScorecard, ...]:
    """The scorecard of each named firm among ``engagements``, in their order."""
    firms: dict[str, str | None] = {}
    for engagement in engagements:
        key = firm_key(engagement.mm_name)
        if key is not None:
            firms.setdefault(key, engagement.mm_name)
    if not firms:
        return ()
    symbols = sorted(
        {s for s, name in await repo_outreach.engaged_firms(session) if firm_key(name) in firms}
    )
    on_record = await records_on_file(session, symbols, services.settings)
    ids = [
        i
        for record in on_record.values()
        for e in record.active_on(today)
        if firm_key(e.mm_name) in firms
        for i in e.ids
    ]
    rows: dict[int | None, list[QuotingDay]] = {}
    for row in await repo_mm_days.window_rows(
        session, window_start(today), today, [], engagement_ids=ids
    ):
        rows.setdefault(row.engagement_id, []).append(row.result)
    defaults, min_days = default_obligations(services), services.rules.mm_min_days
    judged: dict[str, list[tuple[str, MMJudgement]]] = {key: [] for key in firms}
    for symbol, record in on_record.items():
        for judgement in engagement_judgements(record, rows, defaults, today, min_days):
            key = firm_key(judgement.engagement.mm_name if judgement.engagement else None)
            if key is not None and key in judged:
                judged[key].append((symbol, judgement))
    return tuple(_scorecard(name or key, judged[key]) for key, name in firms.items())


def _scorecard(firm: str, judged: Sequence[tuple[str, MMJudgement]]) -> FirmScorecard:
    return FirmScorecard(
        firm=firm,
        tokens=tuple(sorted({symbol for symbol, _ in judged})),
        days_judged=sum(j.tally.judged for _, j in judged),
        days_met=sum(j.tally.met for _, j in judged),
        breaches=tuple(sorted({symbol for symbol, j in judged if j.status == "breached"})),
    )
