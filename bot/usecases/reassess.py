"""Use case: re-assess a token at once after a reply or a correction (SPEC 4.3).

A "has market maker", "no market maker" or contribution reply changes what is on record, so the
token's market-maker status and risk are worked out again right away, from the token's latest
stored snapshot (the markets of its newest scan), and its assessment in the newest batch is
replaced: `/liquidity`, `/mm`, `/atrisk`, the digest and App Home agree without waiting for the
next scan. It runs in the reply's own transaction, so a reply is never stored without it. A new
engagement first gets its days since its start checked from the raw snapshots still stored
(``bot.usecases.mm_checks.fill_in_engagements``).
"""

from __future__ import annotations

from datetime import datetime

from bot.db import repo_assessment, repo_market, repo_supply
from bot.db.dialect import Executor
from bot.domain.models import RiskAssessment
from bot.usecases.mm import judgements_in
from bot.usecases.mm_checks import fill_in_engagements
from bot.usecases.scan import assess_tokens
from bot.usecases.services import Services


async def reassess_token(
    session: Executor, services: Services, symbol: str, now: datetime
) -> RiskAssessment | None:
    """Re-assess ``symbol`` at ``now`` in ``session`` and replace its stored assessment; the new
    assessment, or None when there is no snapshot of it to assess (nothing changes then)."""
    await fill_in_engagements(session, services, symbol, now)
    taken = await repo_market.latest_metrics_taken(session, symbol)
    if not taken:
        return None
    newest = max(at for _, at in taken)
    metrics = [m for m, at in taken if at == newest]  # the markets of the token's newest scan
    supply_row = (await repo_supply.get_supply(session)).get(symbol)
    supply = {symbol: supply_row.circulating_supply if supply_row else None}
    judgement = (await judgements_in(session, services, [symbol], now))[symbol]
    reports = assess_tokens(services, metrics, supply, {symbol: judgement.status})
    if not reports:
        return None  # not listed on the home exchange: it is not assessed
    [report] = reports
    await repo_assessment.revise_latest(session, report.liquidity, report.risk)
    return report.risk
