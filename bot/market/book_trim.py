"""Order books cut to the depth liqbot asked for, before ccxt parses them.

ccxt parses an order book in pure Python, level by level, on the event loop (a thread would not
help: the parser holds the GIL). An exchange, a proxy or a cassette that answers a request for
100 levels with 200,000 held the loop for seconds and delayed every other command's ack. liqbot
never needs more levels than it asked for: the ±1/±2% bands and the slippage walk read the
levels fetched, and a book that ends inside a band is re-fetched deeper by asking for more.

So the raw body of an order-book endpoint is cut to the requested number of levels per side
before anything parses it whole. The cut works on the text: a regular expression keeps the first
N levels of each side and the side's end is found by searching for its closing ``]]`` (levels
are flat ``[price, amount, …]`` lists), so the levels beyond N are skipped unread at C speed;
the short result is then parsed to make sure it is JSON. A body the text cut cannot handle is
parsed and cut as data instead (slower, same result).
The exchanges send each side best-first (bids descending, asks ascending; their API docs), so
the first N levels are the N best.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class BookEndpoint:
    """Where an exchange serves order books and how its JSON names the two sides."""

    paths: tuple[str, ...]  # URL path endings
    limit_param: str  # the query parameter carrying the requested depth
    sides: tuple[str, str]  # JSON keys of the bid and ask lists
    max_levels: int  # the deepest book the endpoint serves (the cap when no depth is given)


BOOK_ENDPOINTS: dict[str, BookEndpoint] = {
    # {"lastUpdateId": …, "bids": [[p, q], …], "asks": […]}
    "binance": BookEndpoint(("/api/v3/depth",), "limit", ("bids", "asks"), 5000),
    # {"code": "0", "data": [{"asks": [[p, q, "0", n], …], "bids": […], "ts": …}]}
    "okx": BookEndpoint(("/market/books", "/market/books-full"), "sz", ("bids", "asks"), 5000),
    # {"retCode": 0, "result": {"s": …, "b": [[p, q], …], "a": […], …}}
    "bybit": BookEndpoint(("/v5/market/orderbook",), "limit", ("b", "a"), 200),
}

_LEVEL = r"\[[^\[\]]*\]"  # one flat level: no nested list, no bracket inside
_SIDE_CLOSES = re.compile(r"\s*\]")
_LAST_LEVEL_CLOSES = re.compile(r"\]\s*\]")


@lru_cache(maxsize=32)
def _first_levels(levels: int) -> re.Pattern[str]:
    """The opening bracket of a side and its first ``levels`` levels."""
    return re.compile(rf"\[\s*(?:{_LEVEL}(?:\s*,\s*{_LEVEL}){{0,{levels - 1}}})?")


@lru_cache(maxsize=8)
def _side_keys(sides: tuple[str, str]) -> re.Pattern[str]:
    names = "|".join(re.escape(side) for side in sides)
    return re.compile(rf'"(?:{names})"\s*:\s*(?=\[)')


def requested_levels(exchange: str, url: str) -> int | None:
    """Levels per side that ``url`` asks ``exchange`` for; None when it is no order-book URL."""
    endpoint = BOOK_ENDPOINTS.get(exchange)
    if endpoint is None:
        return None
    parts = urlsplit(url)
    if not parts.path.rstrip("/").endswith(endpoint.paths):
        return None
    asked = dict(parse_qsl(parts.query)).get(endpoint.limit_param, "")
    levels = int(asked) if asked.isdigit() else endpoint.max_levels
    return max(1, min(levels, endpoint.max_levels))


def _cut_text(body: str, sides: tuple[str, str], levels: int) -> str | None:
    """``body`` with every side list cut to ``levels`` (the same object when none is longer);
    None when a side does not look like a list of levels."""
    parts: list[str] = []
    position, first_levels, longer = 0, _first_levels(levels), False
    while (key := _side_keys(sides).search(body, position)) is not None:
        kept = first_levels.match(body, key.end())
        if kept is None:
            return None
        if (closing := _SIDE_CLOSES.match(body, kept.end())) is not None:
            end = closing.end()  # no more levels than asked for
        elif (last := _LAST_LEVEL_CLOSES.search(body, kept.end())) is not None:
            # Levels are flat lists, so the side ends at the first "]]": found at memchr speed,
            # without reading the skipped levels (the caller checks the result is JSON).
            end, longer = last.end(), True
        else:
            return None
        parts += [body[position : kept.end()], "]"]
        position = end
    if not longer:
        return body
    parts.append(body[position:])
    return "".join(parts)


def _cut_data(node: Any, sides: tuple[str, str], levels: int, depth: int = 0) -> bool:
    """Cut the side lists found in ``node`` (nested up to three levels), in place; True if any
    was longer than ``levels``."""
    if depth > 3:
        return False
    cut = False
    children = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(children):
        if key in sides and isinstance(value, list):
            cut = cut or len(value) > levels
            node[key] = value[:levels]
        elif isinstance(value, (dict, list)):
            cut = _cut_data(value, sides, levels, depth + 1) or cut
    return cut


def trim_order_book_body(exchange: str, url: str, body: str) -> str:
    """``body`` with each side of an order book cut to the levels ``url`` asked for.

    Any other body comes back unchanged (the very same object), as does a book no longer than
    asked for and a body that is not JSON (the caller reports that)."""
    levels = requested_levels(exchange, url)
    if levels is None:
        return body
    sides = BOOK_ENDPOINTS[exchange].sides
    cut = _cut_text(body, sides, levels)
    if cut is body:
        return body
    if cut is not None:
        try:
            json.loads(cut)
            return cut
        except ValueError:
            pass  # the cut went wrong somewhere: cut the parsed data instead
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, (dict, list)) or not _cut_data(data, sides, levels):
        return body
    return json.dumps(data, separators=(",", ":"))
