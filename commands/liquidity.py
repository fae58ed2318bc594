"""`/liquidity TOKEN [EXCHANGE] [chart]`: a token's liquidity on every tracked venue, and the
depth chart upload. ``parse_liquidity_args`` is pure; ``LIQUIDITY`` declares the command for Slack
and `liqbot ask`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.vocabulary import DEMO_BANNER
from bot.errors import UserFacingError
from bot.presenters.blocks_common import Reply
from bot.presenters.blocks_liquidity import liquidity_blocks
from bot.presenters.chart import chart_filename, chart_title, depth_chart_png
from bot.presenters.text_liquidity import liquidity_summary, liquidity_text
from bot.usecases.args import parse_symbol, shown
from bot.usecases.services import Services
from bot.usecases.token import depth_chart, token_report
from commands.args import no_more_words, words_of
from commands.declarations import Asker, SlashCommand

COMMAND = "/liquidity"
CHART_WORD = "chart"


@dataclass(frozen=True)
class LiquidityArgs:
    symbol: str
    exchange: str | None = None
    chart: bool = False


def liquidity_details(exchanges: Sequence[str]) -> str:
    return (
        "spread, ±2% depth, slippage (10k and 50k USD) and 24h volume of a token on every "
        "tracked venue, home vs global aggregates, risk tier with reasons, market-maker status, "
        "market cap, and what 1%, 3% and 5% of circulating supply would be worth.\n"
        "• `/liquidity PEPE`: every venue\n"
        f"• `/liquidity PEPE {exchanges[0]}`: the rows of one venue (aggregates cover them all)\n"
        "• `/liquidity PEPE chart`: also posts the depth chart of the home order book\n"
        f"Exchanges: {', '.join(exchanges)}."
    )


def parse_liquidity_args(text: str | None, exchanges: Sequence[str]) -> LiquidityArgs | None:
    """``TOKEN [EXCHANGE] [chart]`` (exchange and ``chart`` in either order); None = show help."""
    words = words_of(text, COMMAND)
    if not words:
        return None
    symbol, exchange, chart = parse_symbol(words[0]), None, False
    no_more_words(words, 3, COMMAND)
    for word in words[1:]:
        lowered = word.lower()
        if lowered == CHART_WORD and not chart:
            chart = True
        elif lowered in exchanges and exchange is None:
            exchange = lowered
        elif lowered in exchanges or lowered == CHART_WORD:
            raise UserFacingError(f"Give one exchange and `chart` at most. Try `{COMMAND} help`.")
        else:
            raise UserFacingError(
                f"Unknown exchange `{shown(word)}`: use one of {', '.join(exchanges)}, or `chart`."
            )
    return LiquidityArgs(symbol, exchange, chart)


async def liquidity_reply(services: Services, args: LiquidityArgs, asker: Asker) -> Reply:
    """The `/liquidity` answer; ``UserFacingError`` for a token with no market."""
    view = await token_report(services, args.symbol, args.exchange, asker.answer_by)
    return Reply(
        text=liquidity_text(view),
        blocks=liquidity_blocks(view),
        summary=liquidity_summary(view),
        chart_symbol=args.symbol if args.chart else None,
    )


async def chart_png(services: Services, symbol: str) -> tuple[str, str, bytes]:
    """(file name, title, PNG bytes) of the token's home depth chart, drawn off the event loop."""
    chart = await depth_chart(services, symbol)
    watermark = "DEMO DATA" if services.is_demo else None
    png = await asyncio.to_thread(depth_chart_png, chart, watermark)
    title = chart_title(chart) + (f" ({DEMO_BANNER})" if services.is_demo else "")
    return chart_filename(chart), title, png


async def upload_chart(
    client: AsyncWebClient, services: Services, channel_id: str, symbol: str
) -> None:
    """Posts the depth chart PNG in the channel the command came from."""
    filename, title, png = await chart_png(services, symbol)
    try:
        await client.files_upload_v2(channel=channel_id, file=png, filename=filename, title=title)
    except SlackApiError as error:
        if error.response.get("error") in ("not_in_channel", "channel_not_found"):
            raise UserFacingError(
                "I cannot post the chart here: invite liqbot to this channel (/invite @liqbot) "
                "and try again."
            ) from None
        raise


LIQUIDITY = SlashCommand(
    name=COMMAND,
    arguments="TOKEN [EXCHANGE] [chart]",
    description="Spread, ±2% depth, slippage and risk tier of a token on every venue",
    details=lambda settings: liquidity_details(settings.exchanges),
    parse=lambda text, settings: parse_liquidity_args(text, settings.exchanges),
    reply=liquidity_reply,
    asks_exchanges=True,
)
