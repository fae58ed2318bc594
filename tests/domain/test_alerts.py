"""Alert rules and episodes by value: each kind's verdict, and episodes opening, holding through
failed snapshots, and closing after two healthy snapshots in a row. Figures by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.alerts import (
    AlertRules,
    Closing,
    EpisodeSteps,
    OpenEpisode,
    Opening,
    TokenReading,
    judge,
    median_depth,
    obligation_results,
    step_episodes,
)
from bot.domain.mm import Obligations, home_sample

RULES = AlertRules()  # floor $50k, ½ of the median, 2 healthy snapshots, 3 missed snapshots


def reading(
    depth: float | None = 100_000.0, median: float | None = 100_000.0, **kw: object
) -> TokenReading:
    return TokenReading("ZORB", usable=True, depth_2pct_usd=depth, median_depth_usd=median, **kw)  # type: ignore[arg-type]


def test_the_median_is_of_the_known_depths() -> None:
    assert median_depth([40_000, None, 10_000, 30_000]) == 30_000
    assert median_depth([40_000, 10_000]) == 25_000
    assert median_depth([None]) is None


def test_a_depth_collapse_is_below_the_floor_and_at_most_half_the_median() -> None:
    # $30k < $50k and $30k ≤ ½ × $60k = $30k: a collapse, at exactly half.
    verdict = judge("depth_collapse", reading(30_000, 60_000), None, RULES)
    assert verdict.state == "alert"
    assert verdict.facts == {"depth_usd": 30_000, "median_usd": 60_000, "floor_usd": 50_000}
    # $30,001 > $30k: more than half the median is kept.
    assert judge("depth_collapse", reading(30_001, 60_000), None, RULES).state == "healthy"
    # $60k ≤ ½ × $200k but not below the floor.
    assert judge("depth_collapse", reading(60_000, 200_000), None, RULES).state == "healthy"
    # A median of 0 has nothing to collapse from; no history or no depth is not judged.
    assert judge("depth_collapse", reading(0, 0), None, RULES).state == "healthy"
    assert judge("depth_collapse", reading(1_000, None), None, RULES).state == "skip"
    assert judge("depth_collapse", reading(None, 60_000), None, RULES).state == "skip"


def test_an_open_collapse_is_judged_against_the_median_it_opened_with() -> None:
    episode = OpenEpisode(7, "ZORB", "depth_collapse", 0, {"median_usd": 80_000})
    # Today's median fell to $20k with the collapse, yet $35k ≤ ½ × $80k = $40k: still collapsed.
    assert judge("depth_collapse", reading(35_000, 20_000), episode, RULES).state == "alert"
    assert judge("depth_collapse", reading(40_001, 20_000), episode, RULES).state == "healthy"


def test_an_empty_side_is_the_one_sided_alert_not_a_collapse() -> None:
    gone = reading(0, 100_000, empty_sides=("ask",))
    assert judge("depth_collapse", gone, None, RULES).state == "skip"
    episode = OpenEpisode(4, "ZORB", "depth_collapse", 1, {"median_usd": 100_000})
    assert judge("depth_collapse", gone, episode, RULES).state == "alert"  # still collapsed


def test_one_sided_and_empty_books() -> None:
    assert judge("one_sided", reading(0, empty_sides=("ask",)), None, RULES).facts == {
        "sides": ["ask"]
    }
    both = judge("one_sided", reading(0, empty_sides=("bid", "ask")), None, RULES)
    assert both.state == "alert" and both.facts == {"sides": ["bid", "ask"]}
    assert judge("one_sided", reading(), None, RULES).state == "healthy"
    failed = TokenReading("ZORB", usable=False, empty_sides=("ask",))
    assert judge("one_sided", failed, None, RULES).state == "skip"


def test_a_market_maker_alert_needs_three_misses_in_a_row() -> None:
    def verdict(results: tuple[bool, ...], episode: OpenEpisode | None = None) -> str:
        return judge("mm_obligations", reading(obligations_met=results), episode, RULES).state

    assert verdict((True, False, False, False)) == "alert"
    assert verdict((False, False, True, False, False)) == "healthy"  # two in a row
    assert judge("mm_obligations", reading(), None, RULES).state == "skip"  # no check stored
    episode = OpenEpisode(3, "ZORB", "mm_obligations", 1, {"missed": 3})
    assert verdict((False, False, False, True), episode) == "healthy"
    assert verdict((False, False, False, True, False), episode) == "alert"  # resets the count


def test_episodes_open_hold_through_failed_snapshots_and_close_after_two_healthy() -> None:
    collapsed = TokenReading("ZORB", True, 10_000.0, median_depth_usd=100_000.0)
    steps = step_episodes([collapsed], [], RULES)
    assert steps.openings == (
        Opening(
            "ZORB",
            "depth_collapse",
            {"depth_usd": 10_000, "median_usd": 100_000, "floor_usd": 50_000},
        ),
    )
    episode = OpenEpisode(1, "ZORB", "depth_collapse", 0, steps.openings[0].facts)
    healthy = TokenReading("ZORB", True, 60_000.0, median_depth_usd=20_000.0)
    failed = TokenReading("ZORB", usable=False)

    assert step_episodes([collapsed], [episode], RULES) == EpisodeSteps()  # still collapsed
    assert step_episodes([healthy], [episode], RULES).streaks == ((1, 1),)
    once = OpenEpisode(1, "ZORB", "depth_collapse", 1, episode.facts)
    assert step_episodes([failed], [once], RULES) == EpisodeSteps()  # neither way
    assert step_episodes([], [once], RULES) == EpisodeSteps()  # not in the scan
    assert step_episodes([collapsed], [once], RULES).streaks == ((1, 0),)  # starts again
    closed = step_episodes([healthy], [once], RULES)
    assert closed.closings == (
        Closing(1, {"depth_usd": 60_000, "median_usd": 100_000, "floor_usd": 50_000}),
    )
    assert closed.openings == ()


def test_a_new_listing_is_an_event_and_a_failed_snapshot_still_lists() -> None:
    steps = step_episodes([TokenReading("NEWT", usable=False, newly_listed=True)], [], RULES)
    assert steps.openings == (Opening("NEWT", "new_listing", {}, closes_at_once=True),)


def test_the_rules_follow_their_settings() -> None:
    strict = AlertRules(depth_floor_usd=20_000, depth_median_ratio=0.25, recovery_snapshots=1)
    # $19k < $20k but $19k > ¼ × $60k = $15k.
    assert judge("depth_collapse", reading(19_000, 60_000), None, strict).state == "healthy"
    assert judge("depth_collapse", reading(15_000, 60_000), None, strict).state == "alert"
    episode = OpenEpisode(2, "ZORB", "one_sided", 0, {"sides": ["bid"]})
    assert step_episodes([reading()], [episode], strict).closings == (Closing(2, {}),)


def test_obligation_results_skip_failed_snapshots_and_need_this_snapshots_own() -> None:
    at = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    contract = Obligations(max_spread_bps=50.0, min_depth_usd=20_000.0, min_uptime=0.9)
    stricter = Obligations(max_spread_bps=30.0, min_depth_usd=20_000.0, min_uptime=0.9)

    def sample(hour: int, spread: float | None, bid: float | None, ask: float | None) -> Any:
        return home_sample(at + timedelta(hours=hour), spread, bid, ask, empty_side=False)

    samples = [
        sample(0, 20.0, 30_000, 30_000),  # kept
        sample(1, 40.0, 30_000, 30_000),  # kept (40 ≤ 50; the stricter one: 40 > 30)
        sample(2, None, None, None),  # failed: not judged
        sample(3, 20.0, 10_000, 30_000),  # thinner side $10k < $20k
        sample(4, 60.0, 30_000, 30_000),  # 60 > 50
    ]
    last = at + timedelta(hours=4)
    assert obligation_results(samples, [contract], last, 3) == (True, False, False)
    assert obligation_results(samples, [contract], last, 10) == (True, True, False, False)
    assert obligation_results(samples, [contract, stricter], last, 3) == (False, False, False)
    assert obligation_results(samples, [contract], at + timedelta(hours=1), 3) == (True, True)
    # The snapshot itself failed, or no obligation applies: no result.
    assert obligation_results(samples, [contract], at + timedelta(hours=2), 3) is None
    assert obligation_results(samples, [], last, 3) is None
    assert obligation_results([], [contract], last, 3) is None
    # An empty side is judged (missed), not skipped.
    empty = home_sample(last, None, None, None, empty_side=True)
    assert obligation_results([*samples[:4], empty], [contract], last, 1) == (False,)
