"""Liquidity alerts (SPEC 6 "Alerts"): what one scheduled snapshot says about each token, and how
an alert episode opens, holds and closes. Pure: the use case reads the figures and stores the
episodes (``bot.usecases.alerts``).

Kinds, each judged per token on the home exchange:
- ``depth_collapse``: the home ±2% depth (the smaller of the two side sums, the one definition)
  is below ``depth_floor_usd`` and at most ``depth_median_ratio`` (½) of its median over the 7
  days before the snapshot. A median of 0 has nothing to collapse from, and a book with an
  empty side is the one-sided alert's (it keeps an open collapse open). An open episode is
  judged against the median it opened with, so a long collapse never becomes its own yardstick:
  it is over when the depth is back at the floor or above that fraction of the old median.
- ``one_sided``: a side of the token's usable home books holds no order at all (both sides: the
  book is empty).
- ``mm_obligations``: a verified market maker missed its obligations on the last
  ``mm_missed_snapshots`` (3) snapshots (each judged by ``bot.domain.mm.meets`` against every
  engagement running that day; failed snapshots are skipped, see :func:`obligation_results`);
  it is healthy again on a snapshot that meets them.
- ``new_listing``: the home exchange lists the token for the first time since the previous
  scheduled snapshot. An event, not a state: its episode closes as it opens, without recovery.

Episodes: at most one open per token and kind. On each snapshot a kind's verdict either opens one
(the condition holds and none is open), counts a healthy snapshot toward closing (after
``recovery_snapshots``, 2, in a row it closes: the recovery), starts that count again (the
condition holds again), or leaves it alone: a failed snapshot of the token (no usable home book,
the home exchange not scanned, no obligation check) neither opens nor closes an episode.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from bot.domain.mm import Obligations, QuotingSample, meets
from bot.domain.models import BookSide

AlertKind = Literal["depth_collapse", "one_sided", "mm_obligations", "new_listing"]
ALERT_KINDS: Final[tuple[AlertKind, ...]] = (
    "depth_collapse",
    "one_sided",
    "mm_obligations",
    "new_listing",
)
"""Every alert kind, in the order a token's alerts are shown."""
MEDIAN_WINDOW_DAYS: Final = 7
"""The depth collapse compares with the median of the snapshots of this many days before."""

Facts = Mapping[str, Any]
"""The figures behind a verdict, JSON-able (USD amounts, side names, counts)."""
State = Literal["alert", "healthy", "skip"]


@dataclass(frozen=True)
class AlertRules:
    """The ``RISK_ALERT_…`` thresholds (USD; a fraction; numbers of snapshots)."""

    depth_floor_usd: float = 50_000
    depth_median_ratio: float = 0.5
    recovery_snapshots: int = 2
    mm_missed_snapshots: int = 3


@dataclass(frozen=True)
class TokenReading:
    """One token at one scheduled snapshot, as the alerts read it.

    ``usable``: the home exchange was scanned and some home book of the token is usable (the
    token is rated); False is a failed snapshot of the token. ``depth_2pct_usd``: its home ±2%
    depth (USD, the smaller side sum); ``empty_sides``: sides without any order on its usable home
    books; ``median_depth_usd``: the median home ±2% depth of its snapshots of the 7 days before
    (None: none); ``newly_listed``: first listed on the home exchange since the previous scheduled
    snapshot; ``obligations_met``: its verified market maker's obligation results, oldest first,
    the last being this snapshot's (None: no result for this snapshot)."""

    symbol: str
    usable: bool
    depth_2pct_usd: float | None = None
    empty_sides: tuple[BookSide, ...] = ()
    median_depth_usd: float | None = None
    newly_listed: bool = False
    obligations_met: tuple[bool, ...] | None = None
    obligation_facts: Facts = field(default_factory=dict)


def obligation_results(
    samples: Sequence[QuotingSample],
    obligations: Sequence[Obligations],
    taken_at: datetime,
    last: int,
) -> tuple[bool, ...] | None:
    """Whether each of the last ``last`` judged home samples up to the snapshot taken at
    ``taken_at`` met every one of ``obligations``, oldest first. Failed samples (no home book
    read) are not judged either way; None when the snapshot at ``taken_at`` itself has no judged
    sample or no obligation applies."""
    judged = [s for s in samples if not s.failed and s.taken_at <= taken_at]
    if not obligations or not judged or judged[-1].taken_at != taken_at:
        return None
    return tuple(all(meets(s, o) for o in obligations) for s in judged[-last:])


@dataclass(frozen=True)
class OpenEpisode:
    """An alert episode not closed yet: ``healthy_streak`` healthy snapshots in a row so far,
    ``facts`` as it opened."""

    id: int
    symbol: str
    kind: AlertKind
    healthy_streak: int
    facts: Facts


@dataclass(frozen=True)
class Verdict:
    """What a snapshot says about one kind of one token: ``alert`` (the condition holds),
    ``healthy`` or ``skip`` (not judged), with the figures."""

    state: State
    facts: Facts = field(default_factory=dict)


def median_depth(depths: Iterable[float | None]) -> float | None:
    """The median of the known home ±2% depths (USD); None when none is known."""
    known = [d for d in depths if d is not None]
    return statistics.median(known) if known else None


def _depth_collapse(
    reading: TokenReading, episode: OpenEpisode | None, rules: AlertRules
) -> Verdict:
    depth = reading.depth_2pct_usd
    median = episode.facts.get("median_usd") if episode else reading.median_depth_usd
    if not reading.usable or depth is None or median is None:
        return Verdict("skip")
    if reading.empty_sides and episode is None:
        return Verdict("skip")  # a side with no order at all: the one-sided alert says it
    facts = {"depth_usd": depth, "median_usd": median, "floor_usd": rules.depth_floor_usd}
    if median > 0 and depth < rules.depth_floor_usd and depth <= rules.depth_median_ratio * median:
        return Verdict("alert", facts)
    return Verdict("healthy", facts)


def _one_sided(reading: TokenReading) -> Verdict:
    if not reading.usable:
        return Verdict("skip")
    if reading.empty_sides:
        return Verdict("alert", {"sides": list(reading.empty_sides)})
    return Verdict("healthy")


def _mm_obligations(
    reading: TokenReading, episode: OpenEpisode | None, rules: AlertRules
) -> Verdict:
    results = reading.obligations_met
    if not results:
        return Verdict("skip")
    missed = 0
    for met in reversed(results):  # misses in a row, up to this snapshot
        if met:
            break
        missed += 1
    facts = {**reading.obligation_facts, "missed": missed}
    if episode is not None:
        return Verdict("healthy" if results[-1] else "alert", facts)
    return Verdict("alert" if missed >= rules.mm_missed_snapshots else "healthy", facts)


def judge(
    kind: AlertKind, reading: TokenReading, episode: OpenEpisode | None, rules: AlertRules
) -> Verdict:
    """The verdict of one snapshot on one kind of alert for one token, given its open episode of
    that kind (None: none open)."""
    if kind == "depth_collapse":
        return _depth_collapse(reading, episode, rules)
    if kind == "one_sided":
        return _one_sided(reading)
    if kind == "mm_obligations":
        return _mm_obligations(reading, episode, rules)
    return Verdict("alert") if reading.newly_listed else Verdict("skip")


@dataclass(frozen=True)
class Opening:
    """A new episode; ``closes_at_once`` for an event (a new listing)."""

    symbol: str
    kind: AlertKind
    facts: Facts
    closes_at_once: bool = False


@dataclass(frozen=True)
class Closing:
    """An episode over after enough healthy snapshots; ``facts`` of the last one."""

    episode_id: int
    facts: Facts


@dataclass(frozen=True)
class EpisodeSteps:
    """What one snapshot does to the episodes: ``openings``, ``streaks`` (episode id, healthy
    snapshots in a row now) of episodes that stay open with a changed count, ``closings``."""

    openings: tuple[Opening, ...] = ()
    streaks: tuple[tuple[int, int], ...] = ()
    closings: tuple[Closing, ...] = ()


def step_episodes(
    readings: Sequence[TokenReading], open_episodes: Sequence[OpenEpisode], rules: AlertRules
) -> EpisodeSteps:
    """Apply one scheduled snapshot's readings to the open episodes (see the module docstring).
    A token without a reading (not listed, or the home exchange not scanned) is not judged."""
    by_key = {(e.symbol, e.kind): e for e in open_episodes}
    openings: list[Opening] = []
    streaks: list[tuple[int, int]] = []
    closings: list[Closing] = []
    for reading in sorted(readings, key=lambda r: r.symbol):
        for kind in ALERT_KINDS:
            episode = by_key.get((reading.symbol, kind))
            verdict = judge(kind, reading, episode, rules)
            if episode is None:
                if verdict.state == "alert":
                    event = kind == "new_listing"
                    openings.append(Opening(reading.symbol, kind, verdict.facts, event))
            elif verdict.state == "alert" and episode.healthy_streak:
                streaks.append((episode.id, 0))
            elif verdict.state == "healthy":
                streak = episode.healthy_streak + 1
                if streak >= rules.recovery_snapshots:
                    closings.append(Closing(episode.id, verdict.facts))
                else:
                    streaks.append((episode.id, streak))
    return EpisodeSteps(tuple(openings), tuple(streaks), tuple(closings))
