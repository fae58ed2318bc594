"""Benchmark: how much of liqbot one request touches, for four request paths.

    python benchmarks/request_paths.py [--details] [--select KEY=KEYWORDS ...] [--tests DIR]

Measured per path, inside one *window* (see below):
- project files: files under ``bot/``, ``commands/`` and ``jobs/`` of this repository (the one
  this script sits in) in which any code ran;
- project functions: distinct ``def`` / ``async def`` / ``lambda`` code objects of those files
  that were called (module and class bodies, comprehensions and generator expressions are
  not counted);
- transactions: database transactions begun (SQLAlchemy's ``begin`` event on the ``Engine``
  class, which async engines fire through their sync engine).

How: the repository's own end-to-end tests already drive these paths through the real Bolt app
under uvicorn, with signed requests and the Slack Web API stand-in of ``tests/fakes``. This script
runs pytest in-process on one chosen test per path (``PATHS`` below) with a small plugin that
wraps the *trigger* of the path, an async callable given as ``module:qualified.name``, for the
duration of the test call:

- HTTP paths wrap ``ServedBot.post`` (the test's "Slack sends this request"); the window opens at
  the first post whose request matches the path's ``request`` prefix (``command:/liquidity``,
  ``block_actions:<action_id>``, ``view_submission:<callback_id>``) and closes when the post has
  returned *and* every asyncio task created since the window opened has finished (the Bolt
  listener runs as a background task after the HTTP 200, and answers via response_url or
  ``views.open`` from there). The test itself is suspended inside the wrapper meanwhile, so
  neither fixture setup nor the test's own checks (which read the database) are counted.
- The digest wraps ``run_digest``; the window is its first call, plus any tasks it left running.
  A module-level function is replaced wherever it is bound (``from x import f`` included).
- ``trigger=None`` profiles the whole test call phase instead (``pytest_runtest_call``: fixture
  setup excluded, the test's own assertions and setup code included); the output says so.

Inside a window ``sys.setprofile`` records every code object called on the test's thread, where
the event loop runs, and with it uvicorn, Bolt's listener tasks and SQLAlchemy's greenlets.
``threading.setprofile`` hooks threads started during the session (``asyncio.to_thread``
workers, aiosqlite's connection threads); those record only while a window is open.

Re-pointing after a refactor: ``PATHS`` selects tests by keywords (each must occur in the pytest
node id, case-insensitive; a keyword starting with ``-`` must not), so moving
``tests/services`` to ``tests/usecases`` or renaming a module changes nothing as long as the
test names stay. The first matching test in collection order is used (the output prints its
node id and how many matched). Override from the command line with
``--select liquidity="liquidity_answer_to_logged_outreach sqlite"``; if ``run_digest`` or
``ServedBot.post`` move, edit ``DIGEST_TRIGGER`` / ``HTTP_TRIGGER``. ``sqlite`` keeps the
PostgreSQL variants (skipped without ``TEST_POSTGRES_URL``) out.

Exit code 0 whatever the figures; 1 when a chosen test failed or was not found, or a window never
opened (the trigger was not called: re-point it).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import textwrap
import threading
from collections.abc import Generator, Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from request_paths_probe import (
    PROJECT_PACKAGES,
    REPO,
    SETTLE_TIMEOUT_S,
    Probe,
    RequestPath,
    Trigger,
    _on_begin,
    _profile,
)
from sqlalchemy import Engine, event

# The test's "Slack sends this signed request" and the digest's entry point (module:qualname).
HTTP_TRIGGER = "tests.fakes.slack_fixtures:ServedBot.post"
DIGEST_TRIGGER = "jobs.digest:run_digest"

# The /liquidity → "Log outreach" → modal loop is one test: three windows in one run.
OUTREACH_LOOP = ("liquidity_answer_to_logged_outreach", "sqlite")
PATHS: tuple[RequestPath, ...] = (
    RequestPath("liquidity", "/liquidity TOKEN", OUTREACH_LOOP, HTTP_TRIGGER, "command:/liquidity"),
    RequestPath(
        "click", "button click (Log outreach)", OUTREACH_LOOP, HTTP_TRIGGER, "block_actions:"
    ),
    RequestPath("submit", "modal submission", OUTREACH_LOOP, HTTP_TRIGGER, "view_submission:"),
    # A digest over a stored scan (no scan first), built and posted to a channel.
    RequestPath(
        "digest",
        "digest (build + post)",
        ("another_channel_gets_its_own_digest", "sqlite"),
        DIGEST_TRIGGER,
    ),
)


# ---- the pytest plugin ------------------------------------------------------------------------
def matches(nodeid: str, keywords: Iterable[str]) -> bool:
    node = nodeid.lower()
    for keyword in keywords:
        word = keyword.lower()
        if word.startswith("-"):
            if word[1:] in node:
                return False
        elif word not in node:
            return False
    return True


class RequestPathsPlugin:
    def __init__(self, paths: tuple[RequestPath, ...], timeout: float) -> None:
        self.paths = paths
        self.timeout = timeout
        self.probe = Probe()
        self.chosen: dict[str, str] = {}  # path key → node id
        self.candidates: dict[str, int] = {}
        self.outcomes: dict[str, str] = {}  # node id → passed / failed / skipped
        self.errors: dict[str, str] = {}  # path key → why its trigger could not be wrapped

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        threading.setprofile(_profile)
        event.listen(Engine, "begin", _on_begin)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        threading.setprofile(None)
        event.remove(Engine, "begin", _on_begin)

    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        for path in self.paths:
            found = [item.nodeid for item in items if matches(item.nodeid, path.select)]
            self.candidates[path.key] = len(found)
            if found:
                self.chosen[path.key] = found[0]
        keep = set(self.chosen.values())
        deselected = [item for item in items if item.nodeid not in keep]
        items[:] = [item for item in items if item.nodeid in keep]
        config.hook.pytest_deselected(items=deselected)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        served = [p for p in self.paths if self.chosen.get(p.key) == item.nodeid]
        whole = [p for p in served if p.trigger is None]
        triggers: list[Trigger] = []
        for spec in dict.fromkeys(p.trigger for p in served if p.trigger is not None):
            wrapped = [p for p in served if p.trigger == spec]
            trigger = Trigger(spec, wrapped, self.probe, self.timeout)
            try:
                trigger.install()
            except (ImportError, AttributeError, TypeError) as error:
                trigger.uninstall()
                self.errors.update({p.key: f"{type(error).__name__}: {error}" for p in wrapped})
                continue
            triggers.append(trigger)
        window = self.probe.start(whole[0], "the whole test call") if whole else None
        try:
            yield
        finally:
            if window is not None:
                self.probe.stop(window)
                for other in whole[1:]:
                    self.probe.windows[other.key] = replace(window, path=other)
            for trigger in triggers:
                trigger.uninstall()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.when == "call" or report.skipped:
            self.outcomes.setdefault(report.nodeid, report.outcome)


# ---- running and printing ---------------------------------------------------------------------
def parse_selects(values: list[str], paths: tuple[RequestPath, ...]) -> tuple[RequestPath, ...]:
    keys = {p.key for p in paths}
    overrides: dict[str, tuple[str, ...]] = {}
    for value in values:
        key, sep, words = value.partition("=")
        if not sep or key not in keys or not words.split():
            raise SystemExit(f"--select takes KEY=KEYWORDS with KEY one of {sorted(keys)}")
        overrides[key] = tuple(words.split())
    return tuple(replace(p, select=overrides.get(p.key, p.select)) for p in paths)


def check_checkout() -> None:
    """The packages imported must be this repository's, or nothing would count as project code."""
    for package in PROJECT_PACKAGES:
        spec = importlib.util.find_spec(package)
        where = Path(spec.origin if spec and spec.origin else "").resolve()
        if REPO not in where.parents:
            raise SystemExit(f"`{package}` is imported from {where}, not from {REPO}")


def report(plugin: RequestPathsPlugin, details: bool) -> bool:
    """Prints the table and the tests used; False when a path was not measured."""
    ok = True
    rows: list[tuple[str, str, str, str]] = []
    for path in plugin.paths:
        window = plugin.probe.windows.get(path.key)
        if window is None:
            rows.append((path.title, "-", "-", "-"))
            ok = False
        else:
            rows.append(
                (
                    path.title,
                    str(len(window.files())),
                    str(len(window.functions())),
                    str(window.transactions),
                )
            )
    header = ("path", "project files", "project functions", "transactions")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    print()
    print(f"Request paths of {REPO.name} ({REPO}); project code: bot/, commands/, jobs/")
    print()
    for row in [header, *rows]:
        print("  ".join([row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in (1, 2, 3)]))
    print()
    print("Tests used (window = what was measured):")
    for path in plugin.paths:
        nodeid = plugin.chosen.get(path.key)
        print(f"  {path.title}")
        if nodeid is None:
            print(f"    no test matches {' '.join(path.select)!r}: re-point it with --select")
            continue
        matched = plugin.candidates[path.key]
        suffix = f" (first of {matched} matching)" if matched > 1 else ""
        print(f"    test:   {nodeid} [{plugin.outcomes.get(nodeid, 'not run')}]{suffix}")
        window = plugin.probe.windows.get(path.key)
        if window is None:
            if path.key in plugin.errors:
                why = f"cannot wrap {path.trigger} ({plugin.errors[path.key]})"
            else:
                request = f" with a {path.request} request" if path.request else ""
                why = f"{path.trigger} was not called{request} during the test"
            print(f"    window: never opened: {why}; re-point the trigger")
            continue
        if path.trigger is None:
            print("    window: the whole test call phase (pytest_runtest_call; not isolated)")
        else:
            unsettled = (
                f"; {window.unsettled_tasks} tasks still running after {plugin.timeout:.0f} s"
                if window.unsettled_tasks
                else ""
            )
            print(
                f"    window: {window.opened_by} until it returned and the tasks it started "
                f"finished ({window.seconds * 1000:.0f} ms{unsettled})"
            )
        if plugin.outcomes.get(nodeid) != "passed":
            ok = False
        if details:
            per_file: dict[str, list[str]] = {filename: [] for filename in window.files()}
            for filename, _, qualname in sorted(window.functions()):
                per_file[filename].append(qualname)
            for filename, names in sorted(per_file.items()):
                line = f"{os.path.relpath(filename, REPO)} ({len(names)}): {', '.join(names)}"
                print(textwrap.fill(line, 100, initial_indent=" " * 6, subsequent_indent=" " * 8))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="KEY=KEYWORDS",
        help="re-point a path to another test: KEY is one of "
        + ", ".join(p.key for p in PATHS)
        + "; KEYWORDS are space-separated node-id keywords (-word excludes)",
    )
    parser.add_argument("--tests", default="tests", help="where pytest collects (default: tests)")
    parser.add_argument("--details", action="store_true", help="list the files and functions")
    parser.add_argument("--settle-timeout", type=float, default=SETTLE_TIMEOUT_S)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    check_checkout()
    plugin = RequestPathsPlugin(parse_selects(args.select, PATHS), args.settle_timeout)
    code = pytest.main(["-q", "--no-header", "-p", "no:cacheprovider", args.tests], [plugin])
    ok = report(plugin, args.details)
    return 0 if ok and code == pytest.ExitCode.OK else 1


if __name__ == "__main__":
    sys.exit(main())
