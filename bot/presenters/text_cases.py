"""`/outreach mine`, `/outreach team` and `/outreach overdue` as plain text, and the row lines
their Block Kit answers and App Home reuse: each open case with its stage, owner and where its
follow-up stands (days counted in ``TIMEZONE``)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.calendar import team_day, team_time
from bot.domain.followup import FollowUp
from bot.usecases.outreach.case import CaseList, CaseRow

TITLES = {
    "mine": "Your open cases",
    "team": "The team's open cases, by owner and stage",
    "overdue": "Overdue cases, most overdue first",
}
EMPTY = {
    "mine": "You own no open case: `/outreach team` shows who owns what.",
    "team": "No open case: log outreach from a digest row or `/liquidity TOKEN`.",
    "overdue": "Nothing overdue: every open case has its answer or is within its follow-up days.",
}


def followup_words(followup: FollowUp | None, now: datetime) -> str:
    """``reminder due 2026-12-08 (3 days late)``, ``reminded 2026-12-08, escalation due
    2026-12-11``, ``escalated 2026-12-11``, or ``nothing to follow up``."""
    if followup is None:
        return "nothing to follow up"
    tz = followup.timezone
    if followup.escalated is not None:
        return f"escalated {team_day(followup.escalated.at, tz)}"
    if followup.reminded is not None:
        return (
            f"reminded {team_day(followup.reminded.at, tz)}, escalation due {followup.escalate_on}"
        )
    late = (team_day(now, tz) - followup.due_on).days
    when = f" ({late} day{'' if late == 1 else 's'} late)" if late > 0 else ""
    return f"reminder due {followup.due_on}{when}"


def row_line(row: CaseRow, now: datetime, with_owner: bool = True) -> str:
    """``ZIBBKA · in talks · MM Wintermute · pledged 3% · owner alice · reminder due 2026-12-08``"""
    label = row.state.text if with_owner else row.state.label
    return f"{row.case.symbol} · {label} · {followup_words(row.followup, now)}"


def owner_of(row: CaseRow) -> str:
    return row.case.owner_name or row.case.owner or "unassigned"


def case_list_lines(result: CaseList) -> list[str]:
    """The rows as lines: grouped under their owners for ``team``, one per case otherwise."""
    now = result.as_of
    if result.which != "team":
        return [row_line(row, now, with_owner=result.which != "mine") for row in result.rows]
    lines: list[str] = []
    current = None
    for row in result.rows:
        if owner_of(row) != current:
            current = owner_of(row)
            count = sum(1 for r in result.rows if owner_of(r) == current)
            lines.append(f"{current} ({count})")
        lines.append("  " + row_line(row, now, with_owner=False))
    return lines


def case_list_summary(result: CaseList) -> str:
    return f"{TITLES[result.which]}: {len(result.rows)}"


def case_list_text(result: CaseList) -> str:
    """The whole answer as plain text for a terminal."""
    lines = [f"{case_list_summary(result)}"]
    lines += case_list_lines(result) or [EMPTY[result.which]]
    lines.append(
        f"As of {team_time(result.as_of, result.timezone)} · `/outreach TOKEN` shows a case"
    )
    return "\n".join(lines)
