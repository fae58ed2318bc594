"""Writing one exchange's cassette file (``<dir>/<id>.jsonl``) so that a recording either
replaces it whole or leaves it as it was.

Lines go to a temporary file in the same directory; ``commit()`` flushes it to disk and renames it
over the target in one step (``os.replace``), ``discard()`` removes it. A reader never sees half a
cassette, and a failed recording (no network: every answer a timeout) never replaces a good one.

The target directory and file are checked before anything is fetched: a directory that is a file,
cannot be created or written, or is a symbolic link, and a target file that is a link or not a
regular file, are refused (``CassetteTargetError``, one line). Links are refused, never followed:
``liqbot record`` must not write through a link into a file somewhere else.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from bot.market.replay import RecordedExchange


class CassetteTargetError(Exception):
    """The cassette cannot be written where asked; the message says why in one line."""


def _check_directory(directory: Path) -> None:
    try:
        info = directory.lstat()
    except FileNotFoundError:
        try:
            directory.mkdir(parents=True)
        except OSError as exc:
            raise CassetteTargetError(f"cannot create {directory}: {exc.strerror}") from None
        return
    except OSError as exc:
        raise CassetteTargetError(f"cannot use {directory}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise CassetteTargetError(f"{directory} is a symbolic link: give the directory itself")
    if not stat.S_ISDIR(info.st_mode):
        raise CassetteTargetError(f"{directory} is not a directory: --out takes a directory")


def _check_target(target: Path) -> None:
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise CassetteTargetError(f"{target} is a symbolic link: liqbot does not write through it")
    if not stat.S_ISREG(info.st_mode):
        raise CassetteTargetError(f"{target} exists and is not a regular file")


class CassetteWriter:
    """One recording of ``target``: ``write`` lines, then ``commit()`` or ``discard()``."""

    def __init__(self, target: Path) -> None:
        _check_directory(target.parent)
        _check_target(target)
        self.target = target
        self.lines = 0
        self.answered = 0  # 2xx responses: what makes a cassette worth replaying
        try:
            self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in commit/discard)
                "w",
                encoding="utf-8",
                dir=target.parent,
                prefix=f".{target.name}.",
                suffix=".partial",
                delete=False,
            )
        except OSError as exc:
            raise CassetteTargetError(f"cannot write in {target.parent}: {exc.strerror}") from None

    def write(self, entry: RecordedExchange) -> None:
        self._file.write(entry.to_json() + "\n")
        self.lines += 1
        if entry.fault is None and 200 <= entry.status < 300:
            self.answered += 1

    def commit(self) -> None:
        """Replace the target with what was written (atomically, the link check made again)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        try:
            _check_target(self.target)  # a link planted while recording is refused too
            # Keep the mode a previous cassette had (a temporary file is created 0600).
            mode = stat.S_IMODE(self.target.stat().st_mode) if self.target.exists() else 0o644
            os.chmod(self._file.name, mode)
            os.replace(self._file.name, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop what was written; the target stays as it was."""
        self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._file.name)
