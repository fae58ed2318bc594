"""Use-case tests run on the ``services`` of ``tests/conftest.py``; ``replay_dir`` is an empty
folder for a hand-written cassette (``make_services(market_source=f"replay:{replay_dir}")``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def replay_dir(tmp_path: Path) -> Path:
    path = tmp_path / "cassette"
    path.mkdir()
    return path
