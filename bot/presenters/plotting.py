"""What liqbot's PNG charts share (matplotlib's object API on an Agg canvas, as
``bot.presenters.chart``: no pyplot state, safe to draw in a worker thread).

A chart function returns a ``ChartImage``: the PNG bytes and the data it plotted, so tests check
the data instead of pixels. Text goes through ``plain``: matplotlib would read "$4k … $60k" as
mathematics.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from bot.domain.units import fmt_usd

Series = TypeVar("Series")
DPI = 110
LOG_SPAN = 10.0
"""Values spanning more than this many times are drawn on a log axis."""


@dataclass(frozen=True)
class ChartImage(Generic[Series]):
    """A drawn chart: the PNG bytes and the data it plots."""

    png: bytes = field(repr=False)
    series: Series


def plain(text: str) -> str:
    """``text`` shown as it is, dollar signs included."""
    return text.replace("$", r"\$")


def log_scale(values: Sequence[float | None], also: Sequence[float] = ()) -> bool:
    """Whether ``values`` (and ``also``) read better on a log axis: all positive, spanning more
    than ``LOG_SPAN`` times (thin books move by orders of magnitude)."""
    known = [v for v in (*values, *also) if v is not None]
    if not known or min(known) <= 0:
        return False
    return max(known) / min(known) > LOG_SPAN


def gaps(values: Sequence[float | None]) -> list[float]:
    """``values`` with None as NaN: a gap in a line plot."""
    return [math.nan if v is None else v for v in values]


def new_figure(size: tuple[float, float]) -> Any:
    """A figure on its own Agg canvas, laid out by matplotlib's constrained layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_of(figure: Any, watermark: str | None = None) -> bytes:
    """The figure as PNG bytes; ``watermark`` (e.g. DEMO DATA) written across it."""
    if watermark:
        figure.text(0.5, 0.5, watermark, ha="center", va="center", fontsize=16, alpha=0.15)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def tick_formatter(show: Callable[[float], str]) -> Any:
    """A tick formatter writing each value as ``show`` does."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: plain(show(value)))


def usd_formatter() -> Any:
    """Ticks in USD the way every answer shows them ($4.3k, $1.2M)."""
    return tick_formatter(fmt_usd)
