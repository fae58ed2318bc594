"""The request pace of one exchange: ccxt's cost units, spent from a token bucket.

ccxt prices every endpoint in cost units and spends one unit per ``rateLimit`` ms. Its async
throttler (``ccxt.async_support.base.throttler``) has two properties that turn a burst of
`/liquidity` answers into several round trips:

- Its bucket holds at most one unit, so seven order books plus a bulk ticker request leave one
  after another (binance: the tickers alone put the next request 16 × 50 ms = 0.8 s back; bybit:
  100 ms between any two requests).
- It credits only the time spent waiting while requests queue, never a quiet spell in between:
  a request after a minute of silence still waits out the debt of the previous one
  (ccxt/ccxt#25556, open).

``BurstThrottle`` replaces it on each client (``client.throttler``, what ccxt's ``throttle()``
calls): the same FIFO order and the same rule (a request leaves while the bucket is not in debt,
and its cost may put the bucket in debt), but quiet time counts, and the bucket holds
``burst_units``. The refill rate is lowered where needed so that the burst plus the refill over
the exchange's own window never exceeds what the exchange allows in that window (``BUDGETS``, from
the exchanges' API documentation); requests never go out faster than ccxt's ``rateLimit`` on
average. A restart does not know what the previous process spent in the current window, so the
bucket starts empty, unless even two processes' worth (the previous one's burst and refill over
the window, then this one's) fits the exchange's window (``starts_full``): bybit, whose 600
requests per 5 s dwarf what liqbot spends, starts with its burst, so the first answers after a
restart do not wait for it.

Replicas sending from one IP address share each exchange's budget (``REPLICAS_PER_IP``): each
process gets ``1 / share`` of the rate, of the window's limit and of the burst, so all of them
together stay within what one process alone may spend. The sleep until the bucket is out of debt
is one timer per request, not ccxt's 1 ms polling, which cost a scan kept in debt for its whole
duration tens of thousands of wake-ups.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RateBudget:
    """What an exchange allows per window, in ccxt cost units, and how much of it may go at once
    after a quiet spell."""

    window_s: float
    limit_units: float
    burst_units: float


BUDGETS: dict[str, RateBudget] = {
    # REQUEST_WEIGHT 6,000 per minute (exchangeInfo.rateLimits); ccxt prices 5 weight as 1 unit
    # (depth ≤ 100 levels: weight 5, cost 1) at 50 ms, exactly the limit: the refill gives up the
    # burst, 1,170 units a minute (51.3 ms per unit), so burst + refill stay within 1,200.
    "binance": RateBudget(window_s=60.0, limit_units=1200.0, burst_units=30.0),
    # 20 requests per 2 s per endpoint (books: 40 at cost 0.5); ccxt keeps 10% below that
    # (rateLimit 110 ms). Burst 1 unit, ccxt's own bucket size: okx keeps its tolerance.
    "okx": RateBudget(window_s=2.0, limit_units=20.0, burst_units=1.0),
    # 600 requests per 5 s per IP, all endpoints; ccxt prices a public market request at 5 units
    # of 20 ms (10 requests a second, a twelfth of that). A burst of 12 requests stays far inside.
    "bybit": RateBudget(window_s=5.0, limit_units=3000.0, burst_units=60.0),
}
DEFAULT_BURST_UNITS = 1.0
"""Exchanges without a budget here keep ccxt's bucket size (and its rate)."""


def pace(exchange: str, rate_limit_ms: float, share: int = 1) -> tuple[float, float]:
    """(units per second, burst units) of one of ``share`` processes behind one IP for
    ``exchange``, given ccxt's ``rateLimit`` for that process (already ``share`` times ccxt's
    own: see ``bot.market.exchanges.build_exchange``)."""
    ccxt_rate = 1000.0 / rate_limit_ms if rate_limit_ms > 0 else float("inf")
    budget = BUDGETS.get(exchange)
    if budget is None:
        return ccxt_rate, DEFAULT_BURST_UNITS / share
    within_window = (budget.limit_units - budget.burst_units) / budget.window_s / share
    return min(ccxt_rate, within_window), budget.burst_units / share


def starts_full(exchange: str, rate_limit_ms: float, share: int = 1) -> bool:
    """Whether ``exchange``'s bucket may start with its burst after a restart: what the previous
    process could have spent in the window (its burst and its refill over the window) and what
    this one may spend at once plus its refill together fit the window's limit, whatever share."""
    budget = BUDGETS.get(exchange)
    if budget is None:
        return False
    units_per_s, burst = pace(exchange, rate_limit_ms, share)
    return 2 * share * (burst + units_per_s * budget.window_s) <= budget.limit_units


class BurstThrottle:
    """ccxt's ``throttler`` interface (``throttler(cost)`` returns a future; ``loop`` is set by
    ccxt) over a token bucket that counts quiet time and holds ``burst_units``."""

    def __init__(
        self,
        units_per_s: float,
        burst_units: float,
        clock: Callable[[], float] = time.monotonic,
        start_full: bool = False,
    ) -> None:
        self.units_per_s = units_per_s
        self.burst_units = burst_units
        self.loop: Any = None  # ccxt assigns its event loop here; the running loop is used
        self._clock = clock
        self._tokens = burst_units if start_full else 0.0
        self._stamp = clock()
        self._queue: deque[tuple[asyncio.Future[None], float]] = deque()
        self._runner: asyncio.Task[None] | None = None

    @property
    def ms_per_unit(self) -> float:
        return 1000.0 / self.units_per_s

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst_units, self._tokens + (now - self._stamp) * self.units_per_s)
        self._stamp = now

    def __call__(self, cost: float | None = None) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        units = 1.0 if cost is None else float(cost)
        if not self._queue:
            self._refill()
            if self._tokens >= 0:
                self._tokens -= units
                future.set_result(None)
                return future
        self._queue.append((future, units))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.ensure_future(self._release())
        return future

    async def _release(self) -> None:
        """Lets the queued requests go in order, each once the bucket is out of debt."""
        while self._queue:
            future, units = self._queue[0]
            if future.done():  # its caller gave up before it left: nothing was spent
                self._queue.popleft()
                continue
            self._refill()
            if self._tokens < 0:
                await asyncio.sleep(-self._tokens / self.units_per_s)
                continue
            self._tokens -= units
            self._queue.popleft()
            future.set_result(None)


def install(client: Any, exchange: str, share: int = 1) -> BurstThrottle:
    """Replaces ``client``'s ccxt throttler by a ``BurstThrottle`` at the exchange's pace for one
    of ``share`` processes behind one IP."""
    units_per_s, burst = pace(exchange, float(client.rateLimit), share)
    full = starts_full(exchange, float(client.rateLimit), share)
    throttle = BurstThrottle(units_per_s, burst, start_full=full)
    client.throttler = throttle
    return throttle
