"""Use case: a token's monitoring-tag evidence pack (SPEC 6; `liqbot review pack TOKEN --out
DIR` and the "Evidence pack" button of `/review`).

Everything a reviewer forwards: the review evidence (``bot.usecases.review``), the daily figures
of the last ``pack_days`` days with the case's events (``bot.usecases.history``, the same the
history chart draws), the case's timeline as `/outreach TOKEN` shows it, and the review decisions
taken so far. ``bot.presenters.review_pack`` turns it into the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import repo_review
from bot.domain.review import DecisionRecord, ReviewRules
from bot.usecases.args import parse_symbol
from bot.usecases.history import HISTORY_DAYS, TokenHistory, token_history
from bot.usecases.outreach.case import CaseView, outreach_case
from bot.usecases.review import ReviewRow, review_row, review_rules
from bot.usecases.services import Services


def pack_days(rules: ReviewRules) -> int:
    """Days of history in a pack: the longest history chart, or the review window and today
    when that is longer."""
    return max(HISTORY_DAYS[-1], rules.window_days + 1)


@dataclass(frozen=True)
class ReviewPack:
    """What the evidence pack of ``row.symbol`` shows, as of ``as_of``."""

    as_of: datetime
    source: str  # MARKET_SOURCE: demo | live | replay:DIR
    home_exchange: str
    rules: ReviewRules
    row: ReviewRow
    history: TokenHistory
    timeline: CaseView
    decisions: tuple[DecisionRecord, ...]


async def review_pack(services: Services, symbol: str) -> ReviewPack:
    """The evidence pack of ``symbol``, whether or not it meets the criteria today (the summary
    says which). ``UserFacingError`` when liqbot has no history of it."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    rules = review_rules(services.settings)
    row = await review_row(services, symbol, now)
    history = await token_history(services, symbol, pack_days(rules))
    timeline = await outreach_case(services, symbol)
    async with services.session() as session:
        decisions = await repo_review.decisions(session, [symbol])
    return ReviewPack(
        as_of=now,
        source=services.settings.market_source,
        home_exchange=services.settings.home_exchange,
        rules=rules,
        row=row,
        history=history,
        timeline=timeline,
        decisions=tuple(decisions),
    )
