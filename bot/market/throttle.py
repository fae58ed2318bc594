"""ccxt's leaky-bucket throttler, paced by sleeping until the bucket allows the next request.

ccxt's own ``Throttler.leaky_bucket_loop`` polls: while the bucket is in debt it wakes every
``delay`` (1 ms) to refill it. A scan keeps each exchange's bucket in debt for its whole duration
(that is what being paced by the rate limit means), so a 30 s scan of three exchanges woke the
event loop ~60,000 times, a large share of the scan's CPU. ``PacedThrottler`` runs the same
algorithm with the same numbers (tokens, refill rate per ms, capacity, cost per request, the
queue served in order) but sleeps once for the time the debt takes to clear, so a request leaves
no earlier than under ccxt's loop and at most one timer tick later.
"""

from __future__ import annotations

import asyncio
from time import time
from typing import Any

from ccxt.async_support.base.throttler import Throttler


class PacedThrottler(Throttler):  # type: ignore[misc]  # ccxt ships no type hints
    """Drop-in for ``client.throttler`` (leaky-bucket algorithm only)."""

    async def leaky_bucket_loop(self) -> None:
        config: dict[str, Any] = self.config
        last_timestamp = time() * 1000
        while self.running:  # type: ignore[has-type]
            future, cost = self.queue[0]
            cost = config["cost"] if cost is None else cost
            if config["tokens"] >= 0:
                config["tokens"] -= cost
                if not future.done():
                    future.set_result(None)
                self.queue.popleft()
                await asyncio.sleep(0)  # let the released request go first, as ccxt does
                if len(self.queue) == 0:
                    self.running = False
            else:
                debt_ms = -config["tokens"] / config["refillRate"]
                await asyncio.sleep(max(debt_ms / 1000, config["delay"]))
                now = time() * 1000
                elapsed = now - last_timestamp
                last_timestamp = now
                config["tokens"] = min(
                    config["tokens"] + elapsed * config["refillRate"], config["capacity"]
                )


def pace(client: Any) -> None:
    """Give ``client`` (a ccxt async exchange with its token bucket set up) a ``PacedThrottler``."""
    bucket = client.tokenBucket
    if isinstance(bucket, dict) and bucket.get("algorithm", "leakyBucket") == "leakyBucket":
        client.throttler = PacedThrottler(bucket, client.asyncio_loop)
