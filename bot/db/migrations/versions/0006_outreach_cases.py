"""Outreach as a case per token: the append-only timeline ``case_events``, and every record of
the outreach log carried into it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

- ``case_events``: one row per event of a token's case (contact, the project's answers, the
  team's corrections, retractions, assignments, closing, snoozes, reminders, escalations), who
  wrote it (Slack user id and display name at that moment), when, and its values (JSON).
  Append-only: triggers refuse UPDATE and DELETE, as on ``audit_log``.
- Carried over, nothing lost: each ``outreach`` row becomes a ``contact`` event (and, when it was
  reminded, a ``reminded`` event); each reply becomes its event: ``has_mm`` (with the engagement
  row it wrote), ``pledged`` (the pledge's % of circulating supply, tokens, price and ±2% depth,
  dated at the pledge: the figures were the latest snapshot then), ``declined`` (of the
  contribution, and of the market-maker question when the project said it has no market maker,
  with that "none" engagement row), ``snooze`` (until the snooze row's end). The order is the old
  one: by time, an outreach before the replies logged at the same moment. Display names come from
  the audit row written with each record (``user_name``); the idempotency keys are kept, so a late
  retry of a submission made before the upgrade still stores nothing twice. Each event names the
  row it came from (``details.legacy``). The old tables stay as they were.
- Downgrade drops ``case_events``: the old tables still hold what was carried over, but events
  written since this revision are lost.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENT_KINDS = (
    "contact", "has_mm", "end_engagement", "pledged", "agreed", "received", "contribution_ended",
    "declined", "correct", "retract", "assign", "close", "snooze", "reminded", "escalated",
)  # fmt: skip

GUARD_PG = """
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only';
END;
$$
"""


def upgrade() -> None:
    allowed = ", ".join(f"'{kind}'" for kind in EVENT_KINDS)
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=255), nullable=True),
        sa.Column("refers_to", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.CheckConstraint(f"kind IN ({allowed})", name=op.f("ck_case_events_kind")),
        sa.ForeignKeyConstraint(
            ["refers_to"], ["case_events.id"], name=op.f("fk_case_events_refers_to_case_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_case_events_idempotency_key")),
    )
    op.create_index(op.f("ix_case_events_symbol_at"), "case_events", ["symbol", "at"])
    op.create_index(op.f("ix_case_events_kind_at"), "case_events", ["kind", "at"])
    _carry_over(op.get_bind())
    _create_guard()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_events_append_only ON case_events")
        op.execute("DROP FUNCTION IF EXISTS case_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_delete")
    op.drop_table("case_events")


def _create_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GUARD_PG)
        op.execute(
            "CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events "
            "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER case_events_no_{verb.lower()} BEFORE {verb} ON case_events "
            "BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"
        )


# --- carrying the outreach log over -----------------------------------------------------------

_TS = sa.DateTime(timezone=True)
_EVENTS = sa.table(
    "case_events",
    sa.column("id", sa.Integer()),
    sa.column("symbol", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("at", _TS),
    sa.column("actor", sa.String()),
    sa.column("actor_name", sa.String()),
    sa.column("details", sa.JSON(none_as_null=True)),
    sa.column("idempotency_key", sa.String()),
)


@dataclass(frozen=True)
class _Event:
    """An event to append: ``order`` and ``record_id`` keep the old order of records logged at
    the same moment (outreach first); ``reminded_at`` adds the outreach's reminder after it."""

    at: datetime
    order: int
    record_id: int
    key: str
    symbol: str
    kind: str
    actor: str
    actor_name: str | None
    details: dict[str, Any]
    reminded_at: datetime | None = None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _rows(conn: sa.Connection, sql: str, **types: Any) -> list[Any]:
    return list(conn.execute(sa.text(sql).columns(**types)))


def _object(value: Any) -> dict[str, Any]:
    """A JSON column's object (a driver that hands back text is parsed)."""
    found = json.loads(value) if isinstance(value, str) else value
    return dict(found) if isinstance(found, dict) else {}


def _names(conn: sa.Connection) -> dict[tuple[str, str], str]:
    """(entity, entity_id) → the display name its audit row stored."""
    names = {}
    for row in _rows(conn, 'SELECT entity, entity_id, "values" FROM audit_log', values=sa.JSON()):
        stored = _object(row.values)
        if stored.get("user_name") and row.entity_id is not None:
            names[(row.entity, str(row.entity_id))] = str(stored["user_name"])
    return names


def _extras(conn: sa.Connection) -> dict[int, dict[str, Any]]:
    """Per reply id: the engagement row, the pledge figures and the snooze end it wrote."""
    extra: dict[int, dict[str, Any]] = {}
    for e in _rows(conn, "SELECT id, reply_id FROM mm_engagements WHERE reply_id IS NOT NULL"):
        extra.setdefault(e.reply_id, {})["engagement_id"] = e.id
    pledges = _rows(
        conn,
        "SELECT id, reply_id, pct_of_supply, tokens, price_usd, depth_2pct_usd, pledged_at "
        "FROM contribution_pledges ORDER BY id",
        pledged_at=_TS,
    )
    for p in pledges:
        extra.setdefault(p.reply_id, {})["pledge"] = {
            "pct_of_supply": p.pct_of_supply,
            "circulating_supply": p.tokens * 100 / p.pct_of_supply if p.tokens else None,
            "tokens": p.tokens,
            "price_usd": p.price_usd,
            "depth_2pct_usd": p.depth_2pct_usd,
            "figures_at": _utc(p.pledged_at).isoformat(),
        }
        extra[p.reply_id]["pledge_id"] = p.id
    for s in _rows(conn, "SELECT reply_id, until FROM snoozes WHERE reply_id IS NOT NULL", until=_TS):
        extra.setdefault(s.reply_id, {})["until"] = _utc(s.until).isoformat()
    return extra


def _reply_event(reply: Any, found: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The kind and values of the event a reply becomes."""
    details = _object(reply.details)
    legacy: dict[str, Any] = {"table": "replies", "id": reply.id}
    if reply.kind == "has_mm":
        keys = ("mm_name", "since", "until", "max_spread_bps", "min_depth_usd")
        values = {k: details.get(k) for k in keys}
        return "has_mm", {**values, "engagement_id": found.get("engagement_id"), "legacy": legacy}
    if reply.kind == "will_contribute":
        legacy["pledge_id"] = found.get("pledge_id")
        pledge = found.get("pledge") or {"pct_of_supply": details.get("pct_of_supply")}
        return "pledged", {**pledge, "legacy": legacy}
    if reply.kind == "declined":
        questions = ["contribution"] + (["market_maker"] if details.get("no_market_maker") else [])
        values = {"reason": details.get("reason"), "questions": questions}
        return "declined", {**values, "engagement_id": found.get("engagement_id"), "legacy": legacy}
    until = found.get("until") or details.get("until")
    return "snooze", {"days": details.get("days"), "until": until, "legacy": legacy}


def _legacy_events(conn: sa.Connection) -> list[_Event]:
    names = _names(conn)
    extras = _extras(conn)
    events = []
    outreach = _rows(
        conn,
        "SELECT id, symbol, channel, contact, notes, followup_on, logged_by, logged_at, "
        "reminded_at, idempotency_key FROM outreach",
        logged_at=_TS,
        reminded_at=_TS,
        followup_on=sa.Date(),
    )
    for o in outreach:
        details = {
            "channel": o.channel,
            "contact": o.contact,
            "notes": o.notes,
            "followup_on": o.followup_on.isoformat() if o.followup_on else None,
            "legacy": {"table": "outreach", "id": o.id},
        }
        name = names.get(("outreach", str(o.id)))
        events.append(
            _Event(_utc(o.logged_at), 0, o.id, o.idempotency_key, o.symbol, "contact",
                   o.logged_by, name, details, o.reminded_at)
        )  # fmt: skip
    replies = _rows(
        conn,
        "SELECT id, symbol, kind, details, logged_by, logged_at, idempotency_key FROM replies",
        details=sa.JSON(),
        logged_at=_TS,
    )
    for r in replies:
        kind, details = _reply_event(r, extras.get(r.id, {}))
        name = names.get(("replies", str(r.id)))
        events.append(
            _Event(_utc(r.logged_at), 1, r.id, r.idempotency_key, r.symbol, kind,
                   r.logged_by, name, details)
        )  # fmt: skip
    snoozes = _rows(
        conn,
        "SELECT id, symbol, until, logged_by, logged_at FROM snoozes WHERE reply_id IS NULL",
        until=_TS,
        logged_at=_TS,
    )
    for s in snoozes:  # a snooze without its reply row (none was ever written so, but kept)
        details = {"until": _utc(s.until).isoformat(), "legacy": {"table": "snoozes", "id": s.id}}
        events.append(
            _Event(_utc(s.logged_at), 2, s.id, f"legacy-snooze:{s.id}", s.symbol, "snooze",
                   s.logged_by, None, details)
        )  # fmt: skip
    return sorted(events, key=lambda e: (e.at, e.order, e.record_id))


def _carry_over(conn: sa.Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"

    def append(event: _Event) -> int:
        at = event.at.replace(tzinfo=None) if sqlite else event.at  # as UTCDateTime writes it
        values = {
            "symbol": event.symbol,
            "kind": event.kind,
            "at": at,
            "actor": event.actor,
            "actor_name": event.actor_name,
            "details": event.details,
            "idempotency_key": event.key,
        }
        stmt = sa.insert(_EVENTS).values(**values).returning(_EVENTS.c.id)
        return int(conn.execute(stmt).scalar_one())

    for event in _legacy_events(conn):
        event_id = append(event)
        if event.reminded_at is None:
            continue
        reminded = {
            "anchor": event_id,
            "owner_id": event.actor,
            "legacy": {"table": "outreach", "id": event.record_id, "field": "reminded_at"},
        }
        key = f"legacy-reminded:{event.record_id}"
        at = _utc(event.reminded_at)
        append(_Event(at, 0, event.record_id, key, event.symbol, "reminded", "system", None, reminded))
