"""`/liquidity TOKEN [EXCHANGE] [chart|history [30|90]]`: a token's liquidity on every tracked
venue, and the depth chart or the history chart uploaded with it. ``parse_liquidity_args`` is
pure; ``LIQUIDITY`` declares the command for Slack and `liqbot ask`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.vocabulary import DEMO_BANNER
from bot.errors import UsageError
from bot.presenters.blocks_common import ChartRequest, OutgoingFile, Reply
from bot.presenters.blocks_liquidity import liquidity_blocks
from bot.presenters.chart import chart_filename, chart_title, depth_chart_png
from bot.presenters.history_chart import history_chart
from bot.presenters.history_series import history_filename, history_title
from bot.presenters.text_liquidity import liquidity_summary, liquidity_text
from bot.usecases.args import parse_symbol, shown
from bot.usecases.history import HISTORY_DAYS, token_history
from bot.usecases.services import Services
from bot.usecases.token import depth_chart, token_report
from commands.args import no_more_words, words_of
from commands.declarations import Asker, SlashCommand
from commands.uploads import upload_for

COMMAND = "/liquidity"
CHART_WORD = "chart"
HISTORY_WORD = "history"
ONE_EACH = f"Give one exchange and one of `chart` or `history` at most. Try `{COMMAND} help`."


@dataclass(frozen=True)
class LiquidityArgs:
    symbol: str
    exchange: str | None = None
    chart: bool = False
    history_days: int | None = None  # `history [30|90]`: the history chart over that many days

    @property
    def chart_request(self) -> ChartRequest | None:
        if self.history_days is not None:
            return ChartRequest(self.symbol, "history", self.history_days)
        return ChartRequest(self.symbol) if self.chart else None


def liquidity_details(exchanges: Sequence[str]) -> str:
    return (
        "spread, ±2% depth, slippage (10k and 50k USD) and 24h volume of a token on every "
        "tracked venue, home vs global aggregates, risk tier with reasons, market-maker status, "
        "market cap, and what 1%, 3% and 5% of circulating supply would be worth.\n"
        "• `/liquidity PEPE`: every venue\n"
        f"• `/liquidity PEPE {exchanges[0]}`: the rows of one venue (aggregates cover them all)\n"
        "• `/liquidity PEPE chart`: also posts the depth chart of the home order book\n"
        "• `/liquidity PEPE history` (or `history 90`): also posts the daily home and global "
        "±2% depth and spread of the last 30 (90) days, with the outreach events marked\n"
        f"Exchanges: {', '.join(exchanges)}. Charts go to this channel when liqbot is in it, "
        "else to your direct messages."
    )


def _history_days(words: Sequence[str], at: int) -> tuple[int, int]:
    """The days after ``history`` at ``words[at]`` (default 30) and the index of the last word
    read."""
    following = words[at + 1] if at + 1 < len(words) else ""
    if not following.isdigit():
        return HISTORY_DAYS[0], at
    if int(following[:4]) not in HISTORY_DAYS:
        spans = " or ".join(str(d) for d in HISTORY_DAYS)
        raise UsageError(f"`history` covers {spans} days, not {shown(following)}.")
    return int(following), at + 1


def parse_liquidity_args(text: str | None, exchanges: Sequence[str]) -> LiquidityArgs | None:
    """``TOKEN [EXCHANGE] [chart|history [30|90]]`` (the exchange before or after); None = show
    help."""
    words = words_of(text, COMMAND)
    if not words:
        return None
    symbol = parse_symbol(words[0])
    no_more_words(words, 4, COMMAND)
    exchange, chart, days = None, False, None
    at = 1
    while at < len(words):
        lowered = words[at].lower()
        if lowered in (CHART_WORD, HISTORY_WORD) and (chart or days is not None):
            raise UsageError(ONE_EACH)
        if lowered == CHART_WORD:
            chart = True
        elif lowered == HISTORY_WORD:
            days, at = _history_days(words, at)
        elif lowered in exchanges:
            if exchange is not None:
                raise UsageError(ONE_EACH)
            exchange = lowered
        elif lowered.isdigit():
            raise UsageError(f"Days go after `history`, e.g. `{COMMAND} {symbol} history 90`.")
        else:
            raise UsageError(
                f"Unknown exchange `{shown(words[at])}`: use one of {', '.join(exchanges)}, "
                "or `chart` or `history`."
            )
        at += 1
    return LiquidityArgs(symbol, exchange, chart, days)


async def liquidity_reply(services: Services, args: LiquidityArgs, asker: Asker) -> Reply:
    """The `/liquidity` answer; ``UserFacingError`` for a token with no market."""
    view = await token_report(services, args.symbol, args.exchange, asker.answer_by)
    return Reply(
        text=liquidity_text(view),
        blocks=liquidity_blocks(view),
        summary=liquidity_summary(view),
        chart=args.chart_request,
    )


async def chart_png(services: Services, request: ChartRequest) -> OutgoingFile:
    """The requested chart as a PNG file, drawn off the event loop: the home depth chart (a live
    fetch) or the history chart (from the database)."""
    watermark = "DEMO DATA" if services.is_demo else None
    demo = f" ({DEMO_BANNER})" if services.is_demo else ""
    if request.kind == "history":
        history = await token_history(services, request.symbol, request.days or HISTORY_DAYS[0])
        image = await asyncio.to_thread(history_chart, history, watermark)
        return OutgoingFile(history_filename(history), history_title(history) + demo, image.png)
    chart = await depth_chart(services, request.symbol)
    png = await asyncio.to_thread(depth_chart_png, chart, watermark)
    return OutgoingFile(chart_filename(chart), chart_title(chart) + demo, png)


async def upload_chart(
    client: AsyncWebClient,
    services: Services,
    channel_id: str | None,
    user_id: str,
    request: ChartRequest,
) -> None:
    """Posts the chart in the channel the command came from, or in the requester's DM when
    liqbot is not in that channel."""
    await upload_for(client, channel_id, user_id, [await chart_png(services, request)])


LIQUIDITY = SlashCommand(
    name=COMMAND,
    arguments="TOKEN [EXCHANGE] [chart|history [30|90]]",
    description="Spread, ±2% depth, slippage and risk tier of a token on every venue",
    details=lambda settings: liquidity_details(settings.exchanges),
    parse=lambda text, settings: parse_liquidity_args(text, settings.exchanges),
    reply=liquidity_reply,
    asks_exchanges=True,
)
