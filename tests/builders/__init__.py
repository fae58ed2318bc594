"""Hand-made data for every test, one builder per kind of object.

- the moment and the people: ``NOW``, ``Clock`` (``services.clock``), ``ALICE``/``BOB``;
- settings: ``demo_settings`` (the bundled demo market data on a given database);
- what the exchanges send: ``ref``, ``book``, ``ticker``;
- measured figures: ``market`` (one market; with ``error``, a failed one) and ``liquidity`` (one
  token's aggregates); ``Token`` and ``many_tokens`` for the digest's hand-made scans;
- use-case results for the presenters: ``zorb_markets``, ``zorb_view``, ``assessment``,
  ``at_risk_list``, ``case_view``;
- the database the way the jobs fill it: ``store_snapshot``, ``store_batch``, ``store_supply``;
  and read back: ``count_rows``, ``written_rows``.

One package, one import (``from tests.builders import …``); its modules only keep each file short.
"""

from __future__ import annotations

from tests.builders.figures import (
    ALICE,
    BOB,
    DIGEST_CHANNEL,
    NOW,
    SLIPPAGE_WITH_GAPS,
    SUPPLY,
    Clock,
    Slippage,
    Token,
    book,
    demo_settings,
    failed,
    liquidity,
    many_tokens,
    market,
    measured,
    ref,
    ticker,
)
from tests.builders.stored import (
    NOTHING_WRITTEN,
    WRITTEN_TABLES,
    count_rows,
    store_batch,
    store_snapshot,
    store_supply,
    written_rows,
)
from tests.builders.views import (
    assessment,
    at_risk_list,
    case_view,
    zorb_markets,
    zorb_view,
)

__all__ = [
    "ALICE",
    "BOB",
    "DIGEST_CHANNEL",
    "NOTHING_WRITTEN",
    "NOW",
    "SLIPPAGE_WITH_GAPS",
    "SUPPLY",
    "WRITTEN_TABLES",
    "Clock",
    "Slippage",
    "Token",
    "assessment",
    "at_risk_list",
    "book",
    "case_view",
    "count_rows",
    "demo_settings",
    "failed",
    "liquidity",
    "many_tokens",
    "market",
    "measured",
    "ref",
    "store_batch",
    "store_snapshot",
    "store_supply",
    "ticker",
    "written_rows",
    "zorb_markets",
    "zorb_view",
]
