"""A local stand-in for Slack's Web API and ``response_url``s, served over real HTTP.

    with SlackApiStandIn() as slack:            # or the ``slack_api`` fixture
        settings.slack_api_url = slack.api_url  # http://127.0.0.1:<port>/api/
        slack.fail_next("chat.postMessage", times=1, status=429, retry_after=1)
        slack.delay_next("usergroups.users.list", seconds=8)  # a slow answer
        ...
        slack.wait_for(lambda: len(slack.ok_calls("chat.postMessage")) == 1)

Routes: ``GET|POST /api/<method>`` (bearer token checked, form, JSON or query arguments),
``POST /upload/<file id>`` (the upload URL of files_upload_v2), ``POST /response/<id>`` (a
slash command's or button's ``response_url``) and ``/socket-mode``, the WebSocket that
``apps.connections.open`` hands out: ``socket_send(envelope)`` pushes a Socket Mode envelope to
the bot and ``socket_acks()`` lists its answers. Every request is recorded, failed ones too.

A trigger_id handed out by ``new_trigger_id`` (the ``slack_requests`` fixture's clicks carry one)
expires like Slack's, 3 s after it was issued: ``views.open`` then answers ``expired_trigger_id``.

The server runs on its own event loop in a daemon thread, so sync and async tests use it alike;
async tests wait with ``await slack.async_wait_for(...)`` (the sync one would block their loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.slack_blocks import MESSAGE_BLOCK_LIMIT, block_errors
from tests.fakes.slack_workspace import SlackWorkspace

DEFAULT_TOKEN = "xoxb-liqbot-test-token"
DEFAULT_APP_TOKEN = "xapp-liqbot-test-token"
# Form-encoded Web API arguments that carry JSON (slack_sdk serialises them to strings).
_JSON_ARGS = ("blocks", "attachments", "view", "files", "metadata")
# Slack accepts five posts to one response_url.
RESPONSE_URL_USES = 5
# Seconds a trigger_id (a click, a slash command) can open a modal.
TRIGGER_LIFETIME_S = 3.0


@dataclass(frozen=True)
class ApiCall:
    """One Web API request as the stand-in saw it, and what it answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    status: int
    answer: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.answer.get("ok") is True


@dataclass(frozen=True)
class ResponseUrlPost:
    """One message posted to a ``response_url``; ``status`` is what the stand-in answered."""

    response_id: str
    payload: dict[str, Any]
    headers: dict[str, str]
    status: int
    at: float


@dataclass
class _Failure:
    times: int
    status: int
    retry_after: int
    after_doing: bool = False  # carry the call out, then fail: a 5xx after Slack did post


class SlackApiStandIn:
    """Slack's Web API on 127.0.0.1 with a random port; see the module docstring."""

    def __init__(self, token: str = DEFAULT_TOKEN, app_token: str = DEFAULT_APP_TOKEN) -> None:
        self.token = token
        self.app_token = app_token
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_acks: list[dict[str, Any]] = []
        self.workspace = SlackWorkspace()
        self._calls: list[ApiCall] = []
        self._responses: list[ResponseUrlPost] = []
        self._failures: dict[str, _Failure] = {}
        self._delays: dict[str, tuple[int, float]] = {}
        self._triggers: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SlackApiStandIn:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.workspace.upload_base_url = f"{self.base_url}upload/"
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._serve(sock))
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="slack-api-stand-in", daemon=True)
        self._thread.start()
        if not ready.wait(5):
            raise RuntimeError("the Slack API stand-in did not start")
        return self

    async def _serve(self, sock: socket.socket) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{response_id}", self._response_url)
        app.router.add_get("/socket-mode", self._socket_mode)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    def stop(self) -> None:
        if self._loop is None or self._thread is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._close_sockets(), self._loop).result(5)
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
        self._loop = self._thread = self._runner = None

    def __enter__(self) -> SlackApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- what tests configure ----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        """The value for ``SLACK_API_URL``."""
        return f"{self.base_url}api/"

    def new_response_url(self) -> str:
        """A fresh ``response_url`` served by the stand-in (one per slash command or click)."""
        return f"{self.base_url}response/{next(self._ids)}"

    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int = 429,
        retry_after: int = 1,
        after_doing: bool = False,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with ``status``; 429 has Retry-After.
        ``after_doing``: the call takes effect (a message is posted) before the failure answer,
        as when Slack posts and then a gateway answers 502 or the connection drops."""
        with self._changed:
            self._failures[method] = _Failure(times, status, retry_after, after_doing)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` only after ``seconds`` (a slow Slack);
        each is recorded when it is answered."""
        with self._changed:
            self._delays[method] = (times, seconds)

    def new_trigger_id(self) -> str:
        """A trigger_id for a request to the bot, valid ``TRIGGER_LIFETIME_S`` from now."""
        n = next(self._ids)
        trigger_id = f"{7_000_000_000 + n}.{4_242_424_242}.{n:032x}"
        with self._changed:
            self._triggers[trigger_id] = time.monotonic()
        return trigger_id

    # ---- what tests read ---------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every Web API request so far (oldest first), optionally of one method."""
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def ok_calls(self, method: str | None = None) -> list[ApiCall]:
        """The requests Slack would have carried out (HTTP 200 and ``ok: true``)."""
        return [c for c in self.calls(method) if c.ok]

    def responses(self, response_url: str | None = None) -> list[ResponseUrlPost]:
        """Messages posted to response URLs, optionally to one of them."""
        wanted = response_url.rstrip("/").rsplit("/", 1)[-1] if response_url else None
        with self._changed:
            return [r for r in self._responses if wanted is None or r.response_id == wanted]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Blocks until ``condition()`` holds (re-checked on every request); for sync tests."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; Slack stand-in saw: {self.summary()}")
                self._changed.wait(remaining)

    async def async_wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Awaits until ``condition()`` holds, letting the test's event loop run the bot."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; Slack stand-in saw: {self.summary()}")
            await asyncio.sleep(0.01)

    def socket_send(self, envelope: dict[str, Any]) -> None:
        """Pushes a Socket Mode envelope to every connected bot (see ``socket_envelope``)."""
        if self._loop is None:
            raise RuntimeError("the Slack API stand-in is not running")
        future = asyncio.run_coroutine_threadsafe(self._broadcast(envelope), self._loop)
        future.result(5)

    def socket_connections(self) -> int:
        """How many Socket Mode connections are open now."""
        with self._changed:
            return sum(1 for ws in self._sockets if not ws.closed)

    def socket_acks(self) -> list[dict[str, Any]]:
        """What the bot sent back over Socket Mode (``{"envelope_id": …, "payload": …}``)."""
        with self._changed:
            return list(self._socket_acks)

    def summary(self) -> str:
        """A one-line account of the traffic, for assertion messages."""
        calls = [f"{c.method}->{c.status}/{c.answer.get('error') or 'ok'}" for c in self.calls()]
        posts = [f"response/{r.response_id}->{r.status}" for r in self.responses()]
        return ", ".join(calls + posts) or "no requests"

    # ---- HTTP handlers -----------------------------------------------------------------------
    def _record(self, item: ApiCall | ResponseUrlPost) -> None:
        with self._changed:
            if isinstance(item, ApiCall):
                self._calls.append(item)
            else:
                self._responses.append(item)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        headers = dict(request.headers)
        await self._delay(method)
        status, answer, extra_headers = self._answer(method, args, headers)
        self._record(ApiCall(method, args, headers, status, answer, time.monotonic()))
        return web.json_response(answer, status=status, headers=extra_headers)

    async def _delay(self, method: str) -> None:
        with self._changed:
            times, seconds = self._delays.get(method, (0, 0.0))
            if times > 0:
                self._delays[method] = (times - 1, seconds)
        if times > 0:
            await asyncio.sleep(seconds)

    def _expired(self, method: str, args: dict[str, Any]) -> bool:
        issued = self._triggers.get(str(args.get("trigger_id") or ""))
        return (
            method in ("views.open", "views.push")
            and issued is not None
            and time.monotonic() - issued > TRIGGER_LIFETIME_S
        )

    def _answer(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(HTTP status, JSON answer, extra headers) for one Web API call."""
        with self._changed:
            failure = self._failures.get(method)
            if failure is not None and failure.times > 0:
                failure.times -= 1
                handler = self.workspace.handler(method)
                if failure.after_doing and handler is not None:
                    handler(args)
                if failure.status == 429:
                    retry = {"Retry-After": str(failure.retry_after)}
                    return 429, {"ok": False, "error": "ratelimited"}, retry
                return failure.status, {"ok": False, "error": "fatal_error"}, {}
            bearer = headers.get("Authorization", "").removeprefix("Bearer ").strip()
            token = bearer or str(args.get("token") or "")
            if not token:
                return 200, {"ok": False, "error": "not_authed"}, {}
            if method == "apps.connections.open":  # the one method of the xapp- token
                if token != self.app_token:
                    return 200, {"ok": False, "error": "invalid_auth"}, {}
                url = f"ws://127.0.0.1:{self.port}/socket-mode"
                return 200, {"ok": True, "url": url}, {}
            if token != self.token:
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if self._expired(method, args):
                return 200, {"ok": False, "error": "expired_trigger_id"}, {}
            handler = self.workspace.handler(method)
            if handler is None:
                return 200, {"ok": False, "error": "unknown_method"}, {}
            return 200, handler(args), {}

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        with self._changed:
            known = self.workspace.receive_upload(request.match_info["file_id"], data)
            self._changed.notify_all()
        return web.Response(text=f"OK - {len(data)}") if known else web.Response(status=404)

    async def _response_url(self, request: web.Request) -> web.Response:
        response_id = request.match_info["response_id"]
        try:
            payload = json.loads(await request.text())
        except json.JSONDecodeError:
            payload = None
        status, text = 200, "ok"
        if not isinstance(payload, dict):
            status, text, payload = 400, "invalid_payload", {}
        elif len(self.responses(response_id)) >= RESPONSE_URL_USES:
            status, text = 404, "used_url"
        elif (
            not payload.get("text")
            and not payload.get("blocks")
            and not payload.get("delete_original")
        ):
            status, text = 400, "no_text"
        elif block_errors(payload.get("blocks", []), MESSAGE_BLOCK_LIMIT):
            status, text = 400, "invalid_blocks"
        headers = dict(request.headers)
        self._record(ResponseUrlPost(response_id, payload, headers, status, time.monotonic()))
        return web.Response(status=status, text=text)

    # ---- Socket Mode -------------------------------------------------------------------------
    async def _socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        with self._changed:
            self._sockets.append(ws)
            self._changed.notify_all()
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0LIQBOT"}}
        await ws.send_json(hello)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                with self._changed:
                    self._socket_acks.append(json.loads(message.data))
                    self._changed.notify_all()
        return ws

    async def _broadcast(self, envelope: dict[str, Any]) -> None:
        for ws in list(self._sockets):
            if not ws.closed:
                await ws.send_json(envelope)

    async def _close_sockets(self) -> None:
        for ws in list(self._sockets):
            await ws.close()


async def _arguments(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    elif request.method == "POST" and request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_ARGS:
        if isinstance(args.get(key), str):
            # A string that is not JSON stays as it came; the method refuses it like Slack.
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args
