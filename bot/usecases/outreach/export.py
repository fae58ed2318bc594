"""`liqbot outreach export`: the cases' events, or one row per case, for a spreadsheet.

Names are the display names stored with each event when it was written; moments are ISO 8601 in
the team's ``TIMEZONE`` with their offset (``2026-12-01T10:00+01:00``), days ``YYYY-MM-DD``;
amounts are rounded to sensible units (``bot.domain.units.rounded``). ``since`` / ``until`` are
team's days, both included: events written on those days, or the cases with such an event, as
they stood at the end of ``until``. The CSV rendering (``bot.presenters.csv_text``) keeps every
text cell formula- and escape-safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from bot.db import repo_cases
from bot.domain.calendar import team_day, team_zone
from bot.domain.contribution import DatedFigures
from bot.domain.event_words import describe
from bot.domain.followup import followup_of
from bot.domain.outreach import OutreachCase, derive_case
from bot.domain.timeline import Entry, figures_of, number_of
from bot.domain.units import rounded
from bot.usecases.outreach.case import followup_rules
from bot.usecases.outreach.figures import end_of_day
from bot.usecases.services import Services

EVENT_COLUMNS: tuple[str, ...] = (
    "id", "symbol", "at", "kind", "by", "by_id", "refers_to", "status", "summary",
    "channel", "contact", "notes", "followup_on", "mm_name", "since", "until",
    "max_spread_bps", "min_depth_usd", "questions", "reason", "pct_of_supply", "tokens",
    "price_usd", "usd", "depth_2pct_usd", "absorbable_usd", "figures_at", "received_on",
    "lockup_until", "ended_on", "owner", "snoozed_until",
)  # fmt: skip
"""Columns of the event export (CSV header, JSON keys): fixed, new ones go last."""

CASE_COLUMNS: tuple[str, ...] = (
    "symbol", "stage", "owner", "owner_id", "market_maker", "mm_firms", "contribution",
    "pledged_pct", "pledged_tokens", "pledged_usd", "pledged_figures_at", "agreed_tokens",
    "agreed_usd", "agreed_figures_at", "received_tokens", "received_usd", "received_on",
    "received_figures_at", "lockup_until", "shortfall_tokens", "absorbable_usd",
    "contribution_ended_on", "followup_due_on", "reminded_at", "escalated_at", "snoozed_until",
    "first_event_at", "last_event_at", "events",
)  # fmt: skip
"""Columns of the export with ``--cases``: one row per case."""


class _Moments:
    def __init__(self, timezone: str) -> None:
        self.zone = team_zone(timezone)

    def __call__(self, moment: datetime | None) -> str | None:
        return moment.astimezone(self.zone).isoformat(timespec="minutes") if moment else None


def _status(entry: Entry) -> str:
    if entry.retracted_by is not None:
        return f"retracted by #{entry.retracted_by.id}"
    if entry.corrected_by is not None:
        return f"corrected by #{entry.corrected_by.id}"
    return "standing"


def _event_row(entry: Entry, moment: _Moments, timezone: str) -> dict[str, Any]:
    event, v = entry.event, entry.event.details
    figures = figures_of(v)
    money = {"usd": figures.usd, "absorbable_usd": figures.absorbable_usd}
    return {
        **{k: v.get(k) for k in EVENT_COLUMNS if k in v and not isinstance(v.get(k), dict)},
        "id": event.id,
        "symbol": event.symbol,
        "at": moment(event.at),
        "kind": event.kind,
        "by": event.by,
        "by_id": event.actor,
        "refers_to": event.refers_to,
        "status": _status(entry),
        "summary": describe(event.kind, v, timezone),
        "questions": "; ".join(v.get("questions") or []) or None,
        "pct_of_supply": rounded(number_of(v.get("pct_of_supply")), "pct"),
        "tokens": rounded(figures.tokens, "tokens"),
        "price_usd": rounded(figures.price_usd, "price"),
        "depth_2pct_usd": rounded(figures.depth_2pct_usd, "usd"),
        **{k: rounded(value, "usd") for k, value in money.items()},
        "max_spread_bps": rounded(number_of(v.get("max_spread_bps")), "bps"),
        "min_depth_usd": rounded(number_of(v.get("min_depth_usd")), "usd"),
        "figures_at": moment(figures.figures_at),
        "owner": v.get("owner_name") or v.get("owner_id"),
        "snoozed_until": moment(datetime.fromisoformat(v["until"]))
        if event.kind == "snooze" and v.get("until")
        else None,
        "until": v.get("until") if event.kind == "has_mm" else None,
    }


def _amounts(prefix: str, figures: DatedFigures | None, moment: _Moments) -> dict[str, Any]:
    if figures is None:
        return {}
    return {
        f"{prefix}_tokens": rounded(figures.tokens, "tokens"),
        f"{prefix}_usd": rounded(figures.usd, "usd"),
        f"{prefix}_figures_at": moment(figures.figures_at),
    }


def _case_row(case: OutreachCase, services: Services, moment: _Moments) -> dict[str, Any]:
    c, mm = case.contribution, case.market_maker
    followup = followup_of(case, followup_rules(services.settings))
    latest = c.received or c.agreed or c.pledged
    firms = "; ".join(
        e.mm_name + (f" (ended {e.ended_on})" if e.ended_on else "") for e in mm.engagements
    )
    return {
        "symbol": case.symbol,
        "stage": case.stage,
        "owner": case.owner_name or case.owner,
        "owner_id": case.owner,
        "market_maker": mm.state,
        "mm_firms": firms or None,
        "contribution": c.state,
        "pledged_pct": rounded(c.pledged_pct, "pct"),
        **_amounts("pledged", c.pledged, moment),
        **_amounts("agreed", c.agreed, moment),
        **_amounts("received", c.received, moment),
        "received_on": c.received_on.isoformat() if c.received_on else None,
        "lockup_until": c.lockup_until.isoformat() if c.lockup_until else None,
        "shortfall_tokens": rounded(c.shortfall_tokens, "tokens"),
        "absorbable_usd": rounded(latest.absorbable_usd if latest else None, "usd"),
        "contribution_ended_on": c.ended_on.isoformat() if c.ended_on else None,
        "followup_due_on": followup.due_on.isoformat() if followup else None,
        "reminded_at": moment(followup.reminded.at) if followup and followup.reminded else None,
        "escalated_at": moment(case.escalated.at) if case.escalated else None,
        "snoozed_until": moment(case.snoozed_until),
        "first_event_at": moment(case.entries[0].event.at) if case.entries else None,
        "last_event_at": moment(case.last_at),
        "events": len(case.entries),
    }


def _within(at: datetime, timezone: str, since: date | None, until: date | None) -> bool:
    day = team_day(at, timezone)
    return (since is None or day >= since) and (until is None or day <= until)


async def _events(services: Services) -> Mapping[str, list[Any]]:
    async with services.session() as session:
        return repo_cases.by_symbol(await repo_cases.case_events(session))


async def export_events(
    services: Services, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """Every event written on the team's days ``since``–``until`` (all when None), oldest
    first, flattened to ``EVENT_COLUMNS`` (None where a column does not apply)."""
    tz, now = services.settings.timezone, services.clock()
    moment = _Moments(tz)
    rows = []
    for symbol, events in (await _events(services)).items():
        for entry in derive_case(symbol, events, now).entries:
            if _within(entry.event.at, tz, since, until):
                rows.append((entry.event.at, entry.event.id, _event_row(entry, moment, tz)))
    rows.sort(key=lambda item: item[:2])
    return [{column: row.get(column) for column in EVENT_COLUMNS} for *_, row in rows]


async def export_cases(
    services: Services, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """One row per case with an event on the team's days ``since``–``until`` (every case when
    None), as it stood at the end of ``until`` (now when None), by token."""
    tz, now = services.settings.timezone, services.clock()
    as_of = end_of_day(until, now, tz) if until is not None else now
    moment = _Moments(tz)
    rows = []
    for symbol, events in sorted((await _events(services)).items()):
        if any(_within(e.at, tz, since, until) for e in events):
            row = _case_row(derive_case(symbol, events, as_of), services, moment)
            rows.append({column: row.get(column) for column in CASE_COLUMNS})
    return rows
