"""Nothing a user stored is lost by a migration: ``fixtures/v0001.db`` is a database written by
liqbot at schema revision 0001 (see ``fixtures/make_v0001.py``); a copy is upgraded to the newest
revision, on SQLite as the file itself and on PostgreSQL with the same rows loaded at 0001.

A later migration that reshapes these records adds its own checks here (what the old rows became),
on top of the counts and values below, which must hold for every revision. Revision 0002 (the
market-maker checks kept day by day): the last two tests."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db import repo_cases, repo_ledger, repo_market, repo_outreach, repo_scan_store
from bot.db.engine import make_engine, sync_url
from bot.db.migrate import current_revision, head_revision, upgrade
from bot.domain.mm import Obligations
from bot.domain.outreach import OutreachCase, derive_case
from bot.settings import load_settings
from bot.usecases.mm import mm_judgements
from bot.wiring import build_services

FIXTURE = Path(__file__).parent / "fixtures" / "v0001.db"
FIXTURE_0007 = Path(__file__).parent / "fixtures" / "v0007.db"  # see fixtures/make_v0007.py
USER_TABLES = ("outreach", "replies", "mm_engagements", "contribution_pledges", "snoozes")
KEPT_TABLES = ("markets", "scans", "liquidity_snapshots", "risk_assessments", "tokens")


def _rows(url: str, table: str, order: str = "id") -> list[dict[str, object]]:
    engine = create_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))
            return [dict(row) for row in result.mappings()]
    finally:
        engine.dispose()


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row read as SQLite text, with its JSON columns parsed (PostgreSQL stores objects)."""
    for column in table.c:
        if isinstance(column.type, JSON) and isinstance(row.get(column.name), str):
            row[column.name] = json.loads(row[column.name])
    return row


def _load_into_postgres(
    server: str, fixture: Path = FIXTURE, revision: str = "0001"
) -> Iterator[str]:
    """A fresh PostgreSQL database at ``revision`` holding the rows of ``fixture``."""
    server_url = make_url(sync_url(server))
    name = f"liqbot_migdata_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, revision)
        source = create_engine(f"sqlite:///{fixture}", poolclass=NullPool)
        target = create_engine(url, poolclass=NullPool)
        tables = MetaData()
        tables.reflect(target)
        with source.connect() as src, target.begin() as dst:
            for table in tables.sorted_tables:
                if table.name == "alembic_version":
                    continue
                rows = [
                    _typed(table, dict(r))
                    for r in src.execute(text(f"SELECT * FROM {table.name}")).mappings()
                ]
                if rows:
                    dst.execute(table.insert(), rows)
                if "id" in table.c:
                    dst.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                        )
                    )
        source.dispose()
        target.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _copy_of(
    request: pytest.FixtureRequest, tmp_path: Path, fixture: Path, revision: str
) -> Iterator[str]:
    """The plain URL of a copy of ``fixture`` (a database at ``revision``): the file itself on
    SQLite, its rows loaded into a fresh database on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / fixture.name
        shutil.copyfile(fixture, path)
        yield f"sqlite:///{path}"
        return
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        pytest.skip("TEST_POSTGRES_URL is not set")
    yield from _load_into_postgres(server, fixture, revision)


BACKENDS = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The plain URL of a copy of the revision-0001 database."""
    yield from _copy_of(request, tmp_path, FIXTURE, "0001")


@pytest.fixture(params=BACKENDS)
def database_0007(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The plain URL of a copy of the revision-0007 database (``fixtures/v0007.db``)."""
    yield from _copy_of(request, tmp_path, FIXTURE_0007, "0007")


def test_the_fixture_is_what_version_0001_stored() -> None:
    url = f"sqlite:///{FIXTURE}"
    assert current_revision(url) == "0001"
    assert [r["kind"] for r in _rows(url, "replies")] == [
        "has_mm",
        "will_contribute",
        "declined",
        "will_contribute",
        "declined",
        "snooze",
    ]


def test_upgrading_keeps_every_record(old_database: str) -> None:
    fixture = f"sqlite:///{FIXTURE}"
    before = {table: _rows(fixture, table) for table in (*USER_TABLES, "audit_log")}
    upgrade(old_database)
    assert current_revision(old_database) == head_revision()
    after = {table: _rows(old_database, table) for table in (*USER_TABLES, "audit_log")}
    for table, rows in before.items():
        assert len(after[table]) >= len(rows), table
    # The audit trail is append-only: every old row is still there, unchanged.
    assert [(r["id"], r["action"]) for r in after["audit_log"][: len(before["audit_log"])]] == [
        (r["id"], r["action"]) for r in before["audit_log"]
    ]
    engagement = after["mm_engagements"][0]
    assert (engagement["symbol"], engagement["mm_name"]) == ("ZIBBKA", "Wintermute")
    assert (engagement["max_spread_bps"], engagement["min_depth_usd"]) == (50.0, 20_000.0)
    pledges = {(p["symbol"], p["pct_of_supply"]) for p in after["contribution_pledges"]}
    assert pledges == {("ZIBBKA", 3.0), ("YIBBIX", 1.5)}
    assert round(after["contribution_pledges"][0]["tokens"], 2) == 7_985_768.78
    assert [o["symbol"] for o in after["outreach"]] == ["ZIBBKA", "MOOPIO", "YIBBIX"]
    assert _rows(old_database, "review_decisions") == []  # 0005: a new table, empty


async def _cases_of(url: str, now: datetime) -> dict[str, OutreachCase]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            events = await repo_cases.case_events(conn)
    finally:
        await engine.dispose()
    return {s: derive_case(s, own, now) for s, own in repo_cases.by_symbol(events).items()}


async def test_the_outreach_log_became_one_case_per_token(old_database: str) -> None:
    """Revision 0006: each outreach, reply, pledge and snooze is an event of its token's case,
    with who wrote it (the display name from its audit row) and its idempotency key."""
    upgrade(old_database)
    events = _rows(old_database, "case_events")
    legacy = sorted(
        (_json(e["details"])["legacy"]["table"], _json(e["details"])["legacy"]["id"])
        for e in events
    )
    assert legacy == [("outreach", 1), ("outreach", 2), ("outreach", 3)] + [
        ("replies", n) for n in range(1, 7)
    ]
    assert sorted(e["idempotency_key"] for e in events) == [f"k{n}" for n in range(1, 10)]
    assert {(e["actor"], e["actor_name"]) for e in events} == {
        ("U0ALICE", "alice"),
        ("U0BOB", "bob"),
    }

    cases = await _cases_of(old_database, datetime(2026, 11, 21, tzinfo=UTC))

    zibbka = cases["ZIBBKA"]
    assert (zibbka.stage, zibbka.owner, zibbka.owner_name) == ("in_talks", "U0ALICE", "alice")
    [wintermute] = zibbka.market_maker.engagements
    assert (wintermute.mm_name, wintermute.since, wintermute.max_spread_bps) == (
        "Wintermute",
        date(2026, 11, 1),
        50.0,
    )
    pledge = zibbka.contribution
    assert (pledge.state, pledge.pledged_pct) == ("pledged", 3.0)
    assert pledge.pledged is not None and round(pledge.pledged.tokens or 0, 2) == 7_985_768.78
    assert (pledge.pledged.price_usd, pledge.pledged.figures_at) == (
        0.0163739,
        datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    assert round(pledge.pledged.absorbable_usd or 0, 2) == 694.70

    moopio = cases["MOOPIO"]
    assert (moopio.stage, moopio.owner_name) == ("declined", "bob")
    assert (moopio.market_maker.state, moopio.market_maker.none_reason) == ("none", "no budget")
    assert moopio.contribution.state == "declined"

    yibbix = cases["YIBBIX"]
    assert [e.kind for e in yibbix.entries] == ["contact", "pledged", "declined"]
    assert (yibbix.stage, yibbix.contribution.state) == ("declined", "declined")
    assert yibbix.contribution.pledged_pct == 1.5  # the pledge stays on record
    assert yibbix.contribution.declined_reason == "changed their mind"
    assert yibbix.market_maker.state == "asked"  # a plain decline said nothing of market makers

    spludet = cases["SPLUDET"]
    assert (spludet.stage, spludet.owner) == ("not_contacted", None)
    assert spludet.snoozed_until == datetime(2026, 12, 4, 9, tzinfo=UTC)


def _json(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else json.loads(str(value))


def test_the_history_is_kept_and_its_market_maker_checks_filled_in(old_database: str) -> None:
    """Revision 0002: the day-by-day checks are computed from the snapshots stored at upgrade
    time (the fixture holds one scan, Nov 20 09:00 UTC: a partly covered day)."""
    fixture = f"sqlite:///{FIXTURE}"
    upgrade(old_database)
    for table in KEPT_TABLES:
        order = "symbol" if table == "tokens" else "id"
        assert len(_rows(old_database, table, order)) == len(_rows(fixture, table, order)), table
    statuses = {r["mm_status"] for r in _rows(old_database, "risk_assessments")}
    assert statuses <= {"verified", "claimed", "breached", "observed", "none", "unknown"}
    checks = _rows(old_database, "mm_daily_checks", order="symbol, engagement_id")
    assessed = {r["symbol"] for r in _rows(fixture, "risk_assessments")}
    assert {r["symbol"] for r in checks if r["engagement_id"] is None} == assessed
    zibbka = [r for r in checks if r["symbol"] == "ZIBBKA"]
    # The default criteria's day, and the day against Wintermute's obligations.
    assert sorted(r["engagement_id"] or 0 for r in zibbka) == [0, 1]
    for row in zibbka:
        assert (row["snapshots"], row["failed"], str(row["day"])) == (1, 0, "2026-11-20")
        assert round(row["median_spread_bps"]) == 277 and round(row["median_depth_2pct_usd"]) == 695
        assert row["met"] == 0 and row["coverage"] < 0.95 and row["open_spreads_bps"] is None


async def test_what_the_market_maker_records_became(old_database: str) -> None:
    """ZIBBKA's Wintermute engagement carries over with its obligations; MOOPIO's "no market
    maker" decline is ``none``; YIBBIX's plain decline says nothing about market makers."""
    upgrade(old_database)
    settings = load_settings(env_file=None, database_url=old_database, market_source="demo")
    services = build_services(settings, clock=lambda: datetime(2026, 11, 21, 9, tzinfo=UTC))
    try:
        async with services.session() as session:
            records = await repo_outreach.engagements(session)
        wintermute, none = records
        assert (wintermute.symbol, wintermute.mm_name, wintermute.since) == (
            "ZIBBKA",
            "Wintermute",
            date(2026, 11, 1),
        )
        assert (wintermute.max_spread_bps, wintermute.min_depth_usd) == (50.0, 20_000.0)
        assert (wintermute.uptime, wintermute.supersedes_id) == (None, None)
        assert (none.symbol, none.status) == ("MOOPIO", "none")
        now = services.clock()
        judged = await mm_judgements(services, ["ZIBBKA", "MOOPIO", "YIBBIX"], now)
        assert {s: j.status for s, j in judged.items()} == {
            "ZIBBKA": "claimed",  # one partly covered day since the upgrade: nothing to judge yet
            "MOOPIO": "none",
            "YIBBIX": "unknown",
        }
        engagement = judged["ZIBBKA"].engagement
        assert engagement is not None and engagement.obligations(
            Obligations(50.0, 10_000.0, 0.75)
        ) == Obligations(50.0, 20_000.0, 0.75)
    finally:
        await services.close()


async def test_old_scans_stay_finished_and_the_latest(old_database: str) -> None:
    """Revision 0007: scans stored while they run (``finished_at`` NULL until complete) and
    shared by snapshot slot. Every old scan keeps its times and figures, has no slot, and the
    newest one is still the latest scan; a slot's scan is one row."""
    fixture = f"sqlite:///{FIXTURE}"
    before = _rows(fixture, "scans")
    upgrade(old_database)
    after = _rows(old_database, "scans")
    assert len(after) == len(before) > 0
    for old, new in zip(before, after, strict=True):
        assert new["slot"] is None and new["markets_count"] == old["markets_count"]
        assert new["finished_at"] is not None
    engine = make_engine(old_database)
    try:
        async with engine.begin() as conn:
            latest = await repo_market.latest_scan(conn)
            assert latest is not None and latest.id == max(r["id"] for r in before)
            slot = "2026-11-21T10:00:00+00:00"
            first = await repo_scan_store.open_scan(
                conn, "demo", datetime(2026, 11, 21, tzinfo=UTC), slot
            )
            again = await repo_scan_store.open_scan(
                conn, "demo", datetime(2026, 11, 21, tzinfo=UTC), slot
            )
            assert first == again > latest.id
            assert (await repo_market.latest_scan(conn)) == latest  # unfinished: not the latest
    finally:
        await engine.dispose()


def _tables(url: str) -> list[str]:
    engine = create_engine(sync_url(url), poolclass=NullPool)
    try:
        tables = MetaData()
        tables.reflect(engine)
        return sorted(t for t in tables.tables if t != "alembic_version")
    finally:
        engine.dispose()


async def test_upgrading_from_0007_keeps_every_record_and_dates_each_run(
    database_0007: str,
) -> None:
    """Revision 0008: ``job_runs.started_at``. A database written at 0007 (scans, snapshots,
    assessments, outreach cases, a snapshot slot's ledger rows) keeps every row of every table,
    and each run recorded before 0008 started at its claim."""
    fixture = f"sqlite:///{FIXTURE_0007}"
    tables = _tables(fixture)
    before = {t: _rows(fixture, t, "1") for t in tables}
    assert len(before["job_runs"]) == 4 and before["case_events"] and before["scans"]
    upgrade(database_0007)
    assert current_revision(database_0007) == head_revision()
    for table in tables:
        assert len(_rows(database_0007, table, "1")) == len(before[table]), table
    runs = _rows(database_0007, "job_runs", "job")
    assert [(r["job"], r["status"], r["attempts"]) for r in runs] == [
        ("snapshot", "done", 1),
        ("snapshot:binance", "done", 1),
        ("snapshot:bybit", "done", 1),
        ("snapshot:okx", "done", 1),
    ]
    engine = make_engine(database_0007)
    try:
        for run in runs:
            record = await repo_ledger.get_run(engine, run["job"], run["period"])
            assert record is not None and record.started_at == record.claimed_at
    finally:
        await engine.dispose()
