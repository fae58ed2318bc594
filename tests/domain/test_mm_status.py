"""The market-maker status from the records and the day-by-day checks (SPEC 4.3)."""

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.engagements import market_maker_on_record
from bot.domain.mm import Obligations, QuotingDay
from bot.domain.mm_status import judge
from tests.domain.test_engagements import T0, record

DEFAULTS = Obligations(50.0, 10_000.0, 0.75)
TODAY = date(2026, 11, 25)
NOTHING = market_maker_on_record([])


def days(
    marks: str, last: date = TODAY, spread: float = 20.0, depth: float = 30_000.0
) -> list[QuotingDay]:
    """Day results ending on ``last``: ``+`` kept (all 24 met), ``-`` missed (none met), ``~``
    partly covered, ``x`` every snapshot failed, ``.`` no row."""
    first = last - timedelta(days=len(marks) - 1)
    made = {
        "+": lambda d: QuotingDay(d, 24, 24, 0, 1.0, None, None, spread, depth),
        "-": lambda d: QuotingDay(d, 24, 0, 0, 1.0, None, None, spread, depth),
        "~": lambda d: QuotingDay(d, 10, 10, 0, 10 / 24, None, None, spread, depth),
        "x": lambda d: QuotingDay(d, 0, 0, 24, 1.0),
    }
    return [made[mark](first + timedelta(days=n)) for n, mark in enumerate(marks) if mark in made]


WINTERMUTE = record(1, T0, since=date(2026, 11, 1), spread=50.0, depth=20_000.0)
ON_RECORD = market_maker_on_record([WINTERMUTE])


def test_obligations_kept_on_75_percent_of_the_days_is_verified() -> None:
    judged = judge(ON_RECORD, {1: days("+++-+++-+++-++")}, DEFAULTS, TODAY, 3)
    assert judged.status == "verified" and judged.engagement is not None
    assert (judged.tally.judged, judged.tally.met) == (14, 11)
    assert judged.reason == (
        "Wintermute: obligations met on 11 of 14 days (spread ≤ 50.0 bps and ±2% depth ≥ $20k "
        "per side in ≥ 75% of snapshots)"
    )


def test_fewer_days_kept_is_breached_and_the_reason_names_the_figures() -> None:
    rows = {1: days("---+---+---+--", spread=277.0, depth=695.0)}
    judged = judge(ON_RECORD, rows, DEFAULTS, TODAY, 3)
    assert judged.status == "breached"
    assert judged.reason == (
        "Wintermute: obligations met on 3 of 14 days; median spread 277 bps > 50.0 bps; "
        "median ±2% depth $695 < $20k"
    )


def test_partly_covered_and_failed_days_count_neither_way() -> None:
    judged = judge(ON_RECORD, {1: days("~x~x~x~x~x~+-+")}, DEFAULTS, TODAY, 3)
    assert (judged.status, judged.tally.judged, judged.tally.met) == ("breached", 3, 2)
    short = judge(ON_RECORD, {1: days("~x~x~x~x~x~x++")}, DEFAULTS, TODAY, 3)
    assert short.status == "claimed"
    assert short.reason == (
        "Wintermute on record since 2026-11-01: 2 whole days of history since its start (needs 3)"
    )


def test_days_before_the_start_do_not_count() -> None:
    recent = market_maker_on_record([record(1, T0, since=date(2026, 11, 24))])
    judged = judge(recent, {1: days("------------++")}, DEFAULTS, TODAY, 3)
    assert (judged.status, judged.tally.judged) == ("claimed", 2)
    assert judged.track is not None
    assert judged.track.mark(date(2026, 11, 23)) == "not running"
    assert judged.track.mark(TODAY) == "met"


def test_the_best_kept_engagement_decides() -> None:
    gsr = record(2, T0, name="GSR", since=date(2026, 11, 1))
    both = market_maker_on_record([WINTERMUTE, gsr])
    rows = {1: days("--------------"), 2: days("++++++++++++++")}
    assert judge(both, rows, DEFAULTS, TODAY, 3).engagement.mm_name == "GSR"  # type: ignore[union-attr]
    newcomer = market_maker_on_record([WINTERMUTE, record(3, T0, name="GSR", since=TODAY)])
    assert judge(newcomer, {1: rows[1]}, DEFAULTS, TODAY, 3).status == "claimed"


def test_a_superseding_record_keeps_the_history_of_the_one_before() -> None:
    ending = record(2, T0 + timedelta(days=3), name="Wintermute", until=date(2026, 12, 15))
    on_record = market_maker_on_record([WINTERMUTE, ending])
    rows = {1: days("++++++++++...."), 2: days("+---", last=TODAY)}
    judged = judge(on_record, rows, DEFAULTS, TODAY, 3)
    assert (judged.tally.judged, judged.tally.met) == (14, 11)
    assert judged.status == "verified"
    after = judge(on_record, rows, DEFAULTS, date(2026, 12, 16), 3)
    assert after.engagement is None and after.status == "unknown"


def test_a_recorded_none_wins_over_observed_quoting() -> None:
    rows = {None: days("++++++++++++++")}
    assert judge(NOTHING, rows, DEFAULTS, TODAY, 3).status == "observed"
    none = record(4, T0, status="none")
    judged = judge(market_maker_on_record([WINTERMUTE, none]), rows, DEFAULTS, TODAY, 3)
    assert judged.status == "none" and judged.recorded_none == none
    assert judged.reason == "recorded as no market maker on 2026-11-20 by U1"


def test_history_alone_is_observed_none_or_unknown() -> None:
    observed = judge(NOTHING, {None: days("-++++++++++++~")}, DEFAULTS, TODAY, 3)
    assert observed.status == "observed"
    assert observed.reason.startswith("market-maker-like liquidity on 12 of 13 days (spread ≤")
    none = judge(NOTHING, {None: days("---++")}, DEFAULTS, TODAY, 3)
    assert none.status == "none"
    assert none.reason.startswith("no market-maker-like liquidity: 2 of 5 days")
    unknown = judge(NOTHING, {None: days("~++~")}, DEFAULTS, TODAY, 3)
    assert unknown.status == "unknown"
    assert unknown.reason == "too little history: 2 whole days of snapshots (needs 3)"


def test_only_the_last_14_days_count() -> None:
    old = days("++++++++++", last=TODAY - timedelta(days=14))
    assert judge(NOTHING, {None: old}, DEFAULTS, TODAY, 3).status == "unknown"


ENGAGED_RANK = {"breached": 0, "claimed": 1, "verified": 2}
HISTORY_RANK = {"none": 0, "unknown": 1, "observed": 2}
MARKS = st.text(alphabet="+-~x.", min_size=1, max_size=14)


@given(MARKS, st.integers(min_value=0, max_value=13))
def test_keeping_the_obligations_on_a_missed_day_never_makes_the_status_worse(
    marks: str, pick: int
) -> None:
    missed = [n for n, mark in enumerate(marks) if mark == "-"]
    assume(missed)
    at = missed[pick % len(missed)]
    better = marks[:at] + "+" + marks[at + 1 :]
    for on_record, key, rank in ((ON_RECORD, 1, ENGAGED_RANK), (NOTHING, None, HISTORY_RANK)):
        before = judge(on_record, {key: days(marks)}, DEFAULTS, TODAY, 3).status
        after = judge(on_record, {key: days(better)}, DEFAULTS, TODAY, 3).status
        assert rank[after] >= rank[before], (marks, better, before, after)
