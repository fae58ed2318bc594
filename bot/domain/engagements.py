"""The market makers on record for a token, from its engagement records (SPEC 4.3, 6).

The records are an append-only log, oldest first; what is on record is derived from it:

- a record names a firm (``mm_name``) and a contract: ``since`` (else the team's day it was
  logged), ``until`` (the last day it runs; None = open-ended) and obligations (max spread,
  min ±2% depth per side, uptime; None = the ``RISK_MM_…`` default);
- *a later record for the same firm supersedes the earlier one*: the two are one engagement,
  with the later record's contract and obligations, where it leaves a field blank the earlier
  one's (so "Wintermute until 2026-12-15" ends the open-ended Wintermute record before it). A
  record may also name the record it corrects (``supersedes_id``), whatever its firm;
- *a "no market maker" record ends every engagement from its date* (``since``, else the team's
  day it was logged): each runs at most to the day before. Engagements recorded after it count
  again;
- the latest record being a "no market maker" is a recorded none (``recorded_none``).

An ``Engagement`` keeps the ids of every record it was built from, newest first: the day-by-day
checks of its obligations are stored under the id that was newest at the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain.calendar import team_day
from bot.domain.mm import Obligations
from bot.domain.outreach import EngagementRecord


@dataclass(frozen=True)
class Engagement:
    """A market maker on record as it stands after every later record: the newest ``record``
    (whose id keys new checks), the ``ids`` of all its records (newest first), and its contract:
    runs from ``start`` to ``end`` inclusive (None = open-ended); obligations in bps, USD per
    side and a share of snapshots (None = the default)."""

    record: EngagementRecord
    ids: tuple[int, ...]
    mm_name: str | None
    start: date
    end: date | None
    max_spread_bps: float | None
    min_depth_usd: float | None
    uptime: float | None

    @property
    def id(self) -> int:
        return self.record.id

    def active_on(self, day: date) -> bool:
        """Running on the team's ``day``: started and not ended."""
        return self.start <= day and (self.end is None or day <= self.end)

    def obligations(self, defaults: Obligations) -> Obligations:
        """The recorded obligations, the ``defaults`` where none was recorded."""
        return Obligations(
            self.max_spread_bps if self.max_spread_bps is not None else defaults.max_spread_bps,
            self.min_depth_usd if self.min_depth_usd is not None else defaults.min_depth_usd,
            self.uptime if self.uptime is not None else defaults.min_uptime,
        )


@dataclass(frozen=True)
class MarketMakerOnRecord:
    """What one token's engagement records say: every engagement (ended ones too, oldest first)
    and the latest record when it is a recorded "no market maker"."""

    engagements: tuple[Engagement, ...]
    recorded_none: EngagementRecord | None

    def active_on(self, day: date) -> tuple[Engagement, ...]:
        """The engagements running on the team's ``day``."""
        return tuple(e for e in self.engagements if e.active_on(day))


def firm_key(name: str | None) -> str | None:
    """A firm's name as compared between records: trimmed, case-folded (None when unnamed)."""
    key = (name or "").strip().casefold()
    return key or None


def _record_day(record: EngagementRecord, timezone: str) -> date:
    return record.since or team_day(record.logged_at, timezone)


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def _superseding(record: EngagementRecord, earlier: Engagement | None, timezone: str) -> Engagement:
    if earlier is None:
        return Engagement(
            record,
            (record.id,),
            record.mm_name,
            _record_day(record, timezone),
            record.until,
            record.max_spread_bps,
            record.min_depth_usd,
            record.uptime,
        )
    return Engagement(
        record,
        (record.id, *earlier.ids),
        record.mm_name or earlier.mm_name,
        record.since or earlier.start,
        record.until,
        _first(record.max_spread_bps, earlier.max_spread_bps),
        _first(record.min_depth_usd, earlier.min_depth_usd),
        _first(record.uptime, earlier.uptime),
    )


def _ended(engagement: Engagement, last_day: date) -> Engagement:
    end = last_day if engagement.end is None else min(engagement.end, last_day)
    return replace(engagement, end=end)


def market_maker_on_record(
    records: Sequence[EngagementRecord], timezone: str = "UTC"
) -> MarketMakerOnRecord:
    """What one token's engagement records (oldest first) put on record; days in the team's
    ``timezone``. See the module docstring for the rules."""
    finished: list[Engagement] = []
    running: dict[str, Engagement] = {}  # by firm, or by record id for an unnamed firm
    for record in records:
        if record.status == "none":
            last_day = _record_day(record, timezone) - timedelta(days=1)
            finished += [_ended(e, last_day) for e in running.values()]
            running = {}
            continue
        key = firm_key(record.mm_name) or f"#{record.id}"
        corrected = next(
            (k for k, e in running.items() if record.supersedes_id in e.ids),
            key if key in running else None,
        )
        earlier = running.pop(corrected) if corrected is not None else None
        running[key] = _superseding(record, earlier, timezone)
    latest = records[-1] if records else None
    recorded_none = latest if latest is not None and latest.status == "none" else None
    engagements = sorted([*finished, *running.values()], key=lambda e: e.ids[-1])
    return MarketMakerOnRecord(tuple(engagements), recorded_none)
