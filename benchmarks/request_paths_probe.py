"""The measuring half of ``request_paths.py``: the window around one request (a profiler
that records every code object run, and a counter of database transactions), the trigger that
opens and closes it, and what a request path is. See ``request_paths.py`` for what is measured."""

from __future__ import annotations

import asyncio
import functools
import importlib
import importlib.util
import inspect
import json
import os
import sys
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType, ModuleType
from typing import Any
from urllib.parse import parse_qs

REPO = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("bot", "commands", "jobs")
PROJECT_DIRS = tuple(f"{REPO / package}{os.sep}" for package in PROJECT_PACKAGES)
# Function-like code objects that are not counted as functions (inlined since Python 3.12, or
# part of the function around them); module and class bodies lack CO_NEWLOCALS.
NOT_FUNCTIONS = frozenset({"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})

SETTLE_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RequestPath:
    """One request path: which test drives it and which call of that test is measured.

    ``select``: keywords that must all occur in the test's node id (case-insensitive; ``-word``
    must not occur). ``trigger``: ``module:qualified.name`` of the awaitable whose call is the
    window, or None for the whole test call. ``request``: for HTTP triggers, the prefix of the
    request description (``command:/liquidity zibbka``, ``block_actions:log_outreach``,
    ``view_submission:log_outreach_modal``, ``event:app_home_opened``) that opens the window;
    None matches any call. ``occurrence``: the n-th matching call (1 = the first).
    """

    key: str
    title: str
    select: tuple[str, ...]
    trigger: str | None
    request: str | None = None
    occurrence: int = 1


@dataclass
class Window:
    """What ran while one path was measured."""

    path: RequestPath
    opened_by: str
    codes: set[CodeType] = field(default_factory=set)
    transactions: int = 0
    seconds: float = 0.0
    unsettled_tasks: int = 0

    def project_codes(self) -> list[CodeType]:
        return [c for c in self.codes if c.co_filename.startswith(PROJECT_DIRS)]

    def files(self) -> set[str]:
        return {c.co_filename for c in self.project_codes()}

    def functions(self) -> set[tuple[str, int, str]]:
        return {
            (c.co_filename, c.co_firstlineno, c.co_qualname)
            for c in self.project_codes()
            if c.co_flags & inspect.CO_NEWLOCALS and c.co_name not in NOT_FUNCTIONS
        }


# ---- the window: profiler and transaction counter --------------------------------------------
_active: list[Window] = []  # the open windows (a whole-call window may hold a request's)


def _profile(frame: FrameType, event_name: str, arg: object) -> None:
    if event_name == "call":
        for window in _active:
            window.codes.add(frame.f_code)


def _on_begin(conn: Any) -> None:
    for window in _active:
        window.transactions += 1


class Probe:
    """Opens and closes windows; keeps the finished ones by path key."""

    def __init__(self) -> None:
        self.windows: dict[str, Window] = {}
        self.requests_open = 0  # trigger windows open: at most one, or they would overlap
        self._previous_profile: Any = None
        self._started: dict[int, float] = {}

    def start(self, path: RequestPath, opened_by: str) -> Window:
        window = Window(path, opened_by)
        if not _active:
            self._previous_profile = sys.getprofile()
            sys.setprofile(_profile)
        self._started[id(window)] = time.perf_counter()
        _active.append(window)
        return window

    def stop(self, window: Window) -> None:
        _active.remove(window)
        if not _active:
            sys.setprofile(self._previous_profile)
        window.seconds = time.perf_counter() - self._started.pop(id(window))
        self.windows[window.path.key] = window


def describe_request(args: Iterable[Any]) -> str:
    """``kind:detail`` of the Slack request among ``args`` (an object with ``body`` bytes)."""
    body = next((a.body for a in args if isinstance(getattr(a, "body", None), bytes)), None)
    if body is None:
        return ""
    text = body.decode(errors="replace")
    if text.lstrip().startswith("{"):
        payload = json.loads(text)
        if payload.get("type") == "event_callback":
            return f"event:{(payload.get('event') or {}).get('type', '')}"
        return str(payload.get("type", ""))
    form = parse_qs(text, keep_blank_values=True)
    if "command" in form:
        return f"command:{form['command'][0]} {form.get('text', [''])[0]}".rstrip()
    if "payload" in form:
        payload = json.loads(form["payload"][0])
        kind = str(payload.get("type", ""))
        if kind == "block_actions":
            detail = ",".join(str(a.get("action_id", "")) for a in payload.get("actions") or [])
        elif kind.startswith("view_"):
            detail = str((payload.get("view") or {}).get("callback_id", ""))
        else:
            detail = ""
        return f"{kind}:{detail}"
    return ""


async def settle(window: Window, tasks: set[asyncio.Future[Any]], timeout: float) -> None:
    """Waits until every task created in the window (and those they create) has finished."""
    deadline = time.monotonic() + timeout
    while True:
        pending = {t for t in tasks if not t.done()}
        left = deadline - time.monotonic()
        if not pending or left <= 0:
            window.unsettled_tasks = len(pending)
            return
        await asyncio.wait(pending, timeout=left)


class Trigger:
    """Wraps one callable so that its matching calls open the window of their path."""

    def __init__(self, spec: str, paths: list[RequestPath], probe: Probe, timeout: float) -> None:
        self.spec = spec
        self.paths = paths
        self.probe = probe
        self.timeout = timeout
        self.seen: dict[str, int] = {p.key: 0 for p in paths}
        self._restore: list[tuple[Any, str, Any]] = []

    def _path_for(self, args: tuple[Any, ...]) -> tuple[RequestPath, str] | None:
        description = describe_request(args)
        for path in self.paths:
            if path.key in self.probe.windows:
                continue
            if path.request is not None and not description.startswith(path.request):
                continue
            self.seen[path.key] += 1
            if self.seen[path.key] == path.occurrence:
                return path, description
        return None

    def _label(self, description: str) -> str:
        name = self.spec.rpartition(":")[2]
        return f"{name}({description})" if description else f"{name}(...)"

    def wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        if not inspect.iscoroutinefunction(original):
            raise TypeError(f"{self.spec} is not an async function")

        @functools.wraps(original)
        async def measured(*args: Any, **kwargs: Any) -> Any:
            found = None if self.probe.requests_open else self._path_for(args)
            if found is None:
                return await original(*args, **kwargs)
            path, description = found
            loop = asyncio.get_running_loop()
            previous_factory = loop.get_task_factory()
            tasks: set[asyncio.Future[Any]] = set()

            def factory(
                loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kw: Any
            ) -> asyncio.Future[Any]:
                if previous_factory is not None:
                    task = previous_factory(loop, coro, **kw)
                else:
                    task = asyncio.Task(coro, loop=loop, **kw)
                tasks.add(task)
                return task

            loop.set_task_factory(factory)  # type: ignore[arg-type]
            window = self.probe.start(path, self._label(description))
            self.probe.requests_open += 1
            try:
                result = await original(*args, **kwargs)
                await settle(window, tasks, self.timeout)
            finally:
                self.probe.requests_open -= 1
                self.probe.stop(window)
                loop.set_task_factory(previous_factory)
            return result

        return measured

    def install(self) -> None:
        module_name, _, qualname = self.spec.partition(":")
        owner: Any = importlib.import_module(module_name)
        *parents, name = qualname.split(".")
        for part in parents:
            owner = getattr(owner, part)
        original = getattr(owner, name)
        wrapped = self.wrap(original)
        if isinstance(owner, ModuleType):
            # Every module that bound the function (``from module import name``) gets the wrapper.
            for module in list(sys.modules.values()):
                namespace = getattr(module, "__dict__", None)
                if not isinstance(namespace, dict):
                    continue
                for attr, value in list(namespace.items()):
                    if value is original:
                        self._restore.append((module, attr, value))
                        setattr(module, attr, wrapped)
        else:
            self._restore.append((owner, name, inspect.getattr_static(owner, name)))
            setattr(owner, name, wrapped)

    def uninstall(self) -> None:
        for owner, attr, value in reversed(self._restore):
            setattr(owner, attr, value)
        self._restore.clear()
