"""`/liquidity TOKEN chart`: the depth chart PNG (matplotlib, Agg canvas, no GUI, no pyplot).

Cumulative depth in USD of the home order book from the best price outwards on each side, within
``band_pct`` % of the mid, with the ±2% band the liquidity metrics use marked. Only the object
API is used (``Figure`` + ``FigureCanvasAgg``): no global pyplot state, so charts can be drawn
in a worker thread while the bot serves other requests.
"""

from __future__ import annotations

import io

from bot.domain.units import fmt_price, fmt_usd
from bot.usecases.depth_chart import DepthChart, DepthPoint

BID_COLOR = "#2a9d8f"
ASK_COLOR = "#e76f51"
SIZE_INCHES = (8.0, 4.5)
DPI = 110


def _steps(points: tuple[DepthPoint, ...]) -> tuple[list[float], list[float]]:
    """Prices ascending with their cumulative depth, ready for a step plot."""
    ordered = sorted(points)
    return [p for p, _ in ordered], [d for _, d in ordered]


def chart_filename(chart: DepthChart) -> str:
    return f"{chart.symbol.replace('/', '-')}-{chart.exchange}-depth.png"


def chart_title(chart: DepthChart) -> str:
    return (
        f"{chart.symbol} on {chart.exchange}: cumulative depth within ±{chart.band_pct:g}% "
        f"of mid {fmt_price(chart.mid_usd)}"
    )


def depth_chart_png(chart: DepthChart, watermark: str | None = None) -> bytes:
    """The chart as PNG bytes; ``watermark`` (e.g. DEMO DATA) is written across the plot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # Bids accumulate leftwards from the best bid ("pre" steps), asks rightwards ("post").
    if chart.bids:
        prices, depth = _steps(chart.bids)
        axes.step(prices, depth, where="pre", color=BID_COLOR, label="bids, cumulative from best")
        axes.fill_between(prices, depth, step="pre", color=BID_COLOR, alpha=0.25)
    if chart.asks:
        prices, depth = _steps(chart.asks)
        axes.step(prices, depth, where="post", color=ASK_COLOR, label="asks, cumulative from best")
        axes.fill_between(prices, depth, step="post", color=ASK_COLOR, alpha=0.25)
    mid = chart.mid_usd
    axes.axvline(mid, color="#555555", linewidth=1)
    for edge in (mid * 0.98, mid * 1.02):
        axes.axvline(edge, color="#555555", linewidth=1, linestyle="--")
    axes.set_xlim(mid * (1 - chart.band_pct / 100), mid * (1 + chart.band_pct / 100))
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_usd(v)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_price(v)))
    axes.set_xlabel("price (USD); dashed: ±2% of mid")
    axes.set_ylabel("cumulative depth (USD)")
    axes.set_title(chart_title(chart), fontsize=10)
    axes.legend(loc="upper center", fontsize=8)
    if watermark:
        figure.text(0.5, 0.5, watermark, ha="center", va="center", fontsize=16, alpha=0.15)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
