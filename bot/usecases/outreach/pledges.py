"""Use cases: the project will contribute part of its circulating supply to the savings pools.

A pledge is stored with its figures as of the latest snapshot: tokens = % × circulating supply,
USD at the home mid, and that snapshot's home ±2% depth (USD) to compare with. The "will
contribute" modal previews the same figures for 1%, 3% and 5% (``contribution_preview``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_market, repo_outreach, repo_supply
from bot.db.records_outreach import PledgeRecord
from bot.domain.aggregate import aggregate_token
from bot.domain.contribution import Contribution, contribution
from bot.usecases.args import CONTRIBUTION_SCENARIOS_PCT, parse_symbol
from bot.usecases.outreach.common import Actor, LogResult, authorize
from bot.usecases.outreach.forms import NumberInput, clean_contribution
from bot.usecases.outreach.replies import store_reply
from bot.usecases.services import Services


async def _pledge_figures(
    session: AsyncSession, services: Services, symbol: str
) -> tuple[float | None, float | None, float | None]:
    """(circulating supply in tokens, home mid in USD, home ±2% depth in USD) from the stored
    supply and the token's latest snapshots (the snapshot job's newest: "that day's" figures)."""
    supply_row = (await repo_supply.get_supply(session)).get(symbol)
    supply = supply_row.circulating_supply if supply_row else None
    markets = await repo_market.latest_metrics(session, base=symbol)
    if not markets:
        return supply, None, None
    token = aggregate_token(symbol, markets, services.settings.home_exchange, supply)
    return supply, token.home_mid_usd, token.home_depth_2pct_usd


@dataclass(frozen=True)
class ContributionPreview:
    """What pledges of some % of circulating supply would be worth, from the stored supply and
    the latest snapshot (no exchange call: fast enough to open a modal within Slack's 3 s).
    ``scenarios`` is None when the circulating supply is unknown."""

    symbol: str
    circulating_supply: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    scenarios: tuple[Contribution, ...] | None


async def contribution_preview(
    services: Services, symbol: str, pcts: Sequence[float] = CONTRIBUTION_SCENARIOS_PCT
) -> ContributionPreview:
    """Token amount, USD at the home mid and multiple of the home ±2% depth of pledging each of
    ``pcts`` % of circulating supply (for the "Reply: will contribute" modal)."""
    symbol = parse_symbol(symbol)
    async with services.session() as session:
        supply, price, depth = await _pledge_figures(session, services, symbol)
    scenarios = None
    if supply is not None and supply > 0:
        scenarios = tuple(contribution(pct, supply, price, depth) for pct in pcts)
    return ContributionPreview(symbol, supply, price, depth, scenarios)


async def store_contribution(
    services: Services, actor: Actor, symbol: str, pct: float, idempotency_key: str
) -> LogResult:
    """Store a validated pledge of ``pct`` % of circulating supply with its figures (amounts
    None when supply or price is unknown)."""
    symbol = parse_symbol(symbol)
    now = services.clock()

    async def pledge(session: AsyncSession, reply_id: int) -> dict[str, Any]:
        supply, price, depth = await _pledge_figures(session, services, symbol)
        amounts = contribution(pct, supply, price, depth) if supply and supply > 0 else None
        record = PledgeRecord(
            id=None,
            reply_id=reply_id,
            symbol=symbol,
            pct_of_supply=pct,
            tokens=amounts.tokens if amounts else None,
            usd_value=amounts.usd if amounts else None,
            price_usd=price,
            depth_2pct_usd=depth,
            pledged_at=now,
        )
        pledge_id = await repo_outreach.insert_pledge(session, record)
        return {
            "pledge_id": pledge_id,
            "tokens": record.tokens,
            "usd_value": record.usd_value,
            "price_usd": price,
            "depth_2pct_usd": depth,
        }

    details = {"pct_of_supply": pct}
    return await store_reply(
        services, actor, symbol, "will_contribute", details, idempotency_key, now, pledge
    )


async def log_reply_contribution(
    services: Services,
    actor: Actor,
    symbol: str,
    pct_of_supply: NumberInput,
    idempotency_key: str,
) -> LogResult:
    """The project will contribute ``pct_of_supply`` % of circulating supply to the savings
    pools. Stores the pledge with the token amount, its USD value at the home mid of the latest
    snapshot and that snapshot's home ±2% depth."""
    authorize(services, actor)
    pct = clean_contribution(pct_of_supply)
    return await store_contribution(services, actor, symbol, pct, idempotency_key)
