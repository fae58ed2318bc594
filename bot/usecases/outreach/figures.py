"""What a contribution is worth on a given day, from what liqbot stored (no exchange call).

The figures of a token at a moment: its circulating supply (the stored supply), and the home mid
(USD) and home ±2% depth (smaller side, USD) of the latest scan at or before that moment, with
when that scan was taken (``bot.db.repo_figures``). A pledge and an agreement are valued when
they are logged; a receipt on the day the tokens arrived (the last scan of that team's day).
The "will contribute" modal previews 1%, 3% and 5% of circulating supply from the latest scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_figures, repo_supply
from bot.domain.aggregate import aggregate_token
from bot.domain.calendar import team_zone
from bot.domain.contribution import Contribution, contribution
from bot.usecases.args import CONTRIBUTION_SCENARIOS_PCT, parse_symbol
from bot.usecases.services import Services


@dataclass(frozen=True)
class TokenFigures:
    """``circulating_supply`` in tokens; ``price_usd`` the home mid and ``depth_2pct_usd`` the
    home ±2% depth (smaller side, USD) of the scan taken at ``taken_at``."""

    circulating_supply: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    taken_at: datetime | None

    def valued(self, tokens: float | None) -> dict[str, Any]:
        """An event's values for ``tokens`` valued on these figures."""
        return {
            "tokens": tokens,
            "price_usd": self.price_usd,
            "depth_2pct_usd": self.depth_2pct_usd,
            "figures_at": self.taken_at.isoformat() if self.taken_at else None,
        }


async def figures_as_of(
    session: AsyncSession, services: Services, symbol: str, until: datetime
) -> TokenFigures:
    """``symbol``'s figures as the latest scan up to ``until`` saw them."""
    supply_row = (await repo_supply.get_supply(session)).get(symbol)
    supply = supply_row.circulating_supply if supply_row else None
    home = services.settings.home_exchange
    markets, taken_at = await repo_figures.markets_as_of(session, home, symbol, until)
    if not markets:
        return TokenFigures(supply, None, None, None)
    token = aggregate_token(symbol, markets, home, supply)
    return TokenFigures(supply, token.home_mid_usd, token.home_depth_2pct_usd, taken_at)


def end_of_day(day: date, now: datetime, timezone: str) -> datetime:
    """The moment a day's figures are read at: now for today or later, else the end of ``day``
    in the team's ``timezone``."""
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=team_zone(timezone))
    return min(now, end)


@dataclass(frozen=True)
class ContributionPreview:
    """What pledges of some % of circulating supply would be worth, from the stored supply and
    the latest scan (fast enough to open a modal within Slack's 3 s). ``scenarios`` is None when
    the circulating supply is unknown; ``taken_at`` dates the price and depth."""

    symbol: str
    circulating_supply: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    scenarios: tuple[Contribution, ...] | None
    taken_at: datetime | None = None
    timezone: str = "UTC"


async def contribution_preview(
    services: Services, symbol: str, pcts: Sequence[float] = CONTRIBUTION_SCENARIOS_PCT
) -> ContributionPreview:
    """Token amount, USD at the home mid and multiple of the home ±2% depth of pledging each of
    ``pcts`` % of circulating supply (for the "Reply: will contribute" modal)."""
    symbol = parse_symbol(symbol)
    async with services.session() as session:
        found = await figures_as_of(session, services, symbol, services.clock())
    supply, price, depth = found.circulating_supply, found.price_usd, found.depth_2pct_usd
    scenarios = None
    if supply is not None and supply > 0:
        scenarios = tuple(contribution(pct, supply, price, depth) for pct in pcts)
    tz = services.settings.timezone
    return ContributionPreview(symbol, supply, price, depth, scenarios, found.taken_at, tz)
