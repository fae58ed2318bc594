"""`liqbot record` replaces a cassette whole or not at all: a recording with nothing usable, an
--out that is a file, unwritable or a link, and a link as the cassette file are refused, and the
cassette already there stays as it was."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from bot.market.record import RecordingFailed, record_cassette
from bot.market.replay import ReplaySession, load_cassette_file
from tests.cli.test_cli import run
from tests.market.cassettes import BINANCE, entry, write_cassette
from tests.market.test_record import source_cassette

GOOD = '{"method":"GET","url":"https://api.binance.com/api/v3/exchangeInfo","body":"{}"}\n'


async def _record(out: Path, entries: Any, **kw: Any) -> Any:
    def transport() -> ReplaySession:
        return ReplaySession("binance", entries)

    return await record_cassette(
        "binance", None, out, ["USDT"], 100, transport=transport, rate_limit=False, **kw
    )


def _good_cassette(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "binance.jsonl").write_text(GOOD)
    return out / "binance.jsonl"


@pytest.mark.parametrize(
    ("answer", "recorded"),
    [({"fault": "timeout"}, "3 requests"), ({"status": 403}, "3 requests")],
    ids=["no-network", "blocked"],
)
async def test_nothing_usable_recorded_leaves_the_cassette_as_it_was(
    tmp_path: Path, answer: dict[str, Any], recorded: str
) -> None:
    cassette = _good_cassette(tmp_path / "out")
    source = write_cassette(
        tmp_path / "src", "binance", [entry(f"{BINANCE}/exchangeInfo", "{}", **answer)]
    )

    with pytest.raises(RecordingFailed) as failed:
        await _record(tmp_path / "out", load_cassette_file(source), retry_backoff_s=0)

    assert str(failed.value) == (
        f"nothing usable recorded ({recorded}, none answered with a 2xx); {cassette} left as it was"
    )
    assert cassette.read_text() == GOOD
    assert os.listdir(tmp_path / "out") == ["binance.jsonl"]  # no partial file left behind


async def test_a_usable_recording_replaces_the_cassette_whole(tmp_path: Path) -> None:
    cassette = _good_cassette(tmp_path / "out")
    cassette.chmod(0o640)
    source = source_cassette(tmp_path / "src")

    recording = await _record(tmp_path / "out", load_cassette_file(source), retry_backoff_s=0)

    assert (recording.path, recording.requests, recording.answered) == (cassette, 7, 4)
    assert len(load_cassette_file(cassette)) == 7
    assert stat.S_IMODE(cassette.stat().st_mode) == 0o640
    assert os.listdir(tmp_path / "out") == ["binance.jsonl"]


async def test_a_recording_cut_short_leaves_the_cassette_as_it_was(tmp_path: Path) -> None:
    cassette = _good_cassette(tmp_path / "out")
    source = source_cassette(tmp_path / "src")
    slow = ReplaySession("binance", load_cassette_file(source), latency_ms=200)

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(
            record_cassette(
                "binance", None, tmp_path / "out", ["USDT"], 100, transport=lambda: slow
            ),
            timeout=0.5,
        )

    assert cassette.read_text() == GOOD
    assert os.listdir(tmp_path / "out") == ["binance.jsonl"]


def _unused() -> ReplaySession:
    raise AssertionError("nothing may be fetched for an unusable --out")


async def _refused(out: Path) -> str:
    with pytest.raises(RecordingFailed) as failed:
        await record_cassette("binance", None, out, ["USDT"], 100, transport=_unused)
    return str(failed.value)


async def test_an_out_that_is_a_file_or_cannot_be_created_is_refused_first(
    tmp_path: Path,
) -> None:
    a_file = tmp_path / "cassette.jsonl"
    a_file.write_text(GOOD)
    assert await _refused(a_file) == f"{a_file} is not a directory: --out takes a directory"
    inside = a_file / "cassettes"
    assert await _refused(inside) == f"cannot use {inside}: Not a directory"
    assert a_file.read_text() == GOOD


async def test_links_are_refused_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "binance.jsonl").symlink_to(victim)
    message = await _refused(out)
    assert (
        message == f"{out / 'binance.jsonl'} is a symbolic link: liqbot does not write through it"
    )
    assert victim.read_text() == "keep me"

    linked_out = tmp_path / "linked"
    linked_out.symlink_to(victim.parent, target_is_directory=True)
    assert (
        await _refused(linked_out) == f"{linked_out} is a symbolic link: give the directory itself"
    )
    assert os.listdir(victim.parent) == ["victim.txt"]


def test_cli_record_without_network_exits_1_keeping_the_cassette(tmp_path: Path) -> None:
    cassette = _good_cassette(tmp_path / "out")
    # Every request goes through a proxy nobody listens on: refused at once, like no network.
    offline = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    done = run(["record", "--exchange", "binance", "--out", "out"], tmp_path, **offline)
    assert done.returncode == 1
    assert done.stderr.startswith("liqbot: nothing usable recorded (")
    assert len(done.stderr.splitlines()) == 1
    assert cassette.read_text() == GOOD

    done = run(["record", "--exchange", "binance", "--out", "out/binance.jsonl"], tmp_path)
    assert done.returncode == 1
    assert done.stderr == "liqbot: out/binance.jsonl is not a directory: --out takes a directory\n"
