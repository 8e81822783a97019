"""A loopback OpenAI-compatible chat server: try synthesis, eval and the LLM simulator without a model.

    python -m synthagent_env.llm.loopback_server --port 8000 --latency 0.05 &    # serves until SIGTERM / Ctrl-C

    with LoopbackServer(reply=lambda request: "hello", latency=0.05, faults={"http_503": 0.1}) as server:
        client = OpenAIClient(server.url, model="test-model")

It is a plain ASGI app on uvicorn (in a background thread for ``LoopbackServer``, also known by its older name
``LLMTestServer``; in the main thread from the command line), with httptools' C parser when it is installed.
It stands in for a remote model server in benchmarks, so what it spends per request is kept small: no framework
routing or response classes, and a response's head and body leave in one write (``_Corked``). Each chat request gets, in order: the next entry
of ``fault_plan`` if any, else a fault drawn with the ``faults`` probabilities, else the next entry of ``script``,
else ``reply(request_body)`` (default ``"OK"``).
A reply is a string (the content), a message dict ``{"content", "tool_calls"}`` (tool calls may be given as
``{"name", "arguments"}``), or an ``HTTPReply`` (that status and body, verbatim: to imitate an odd server).

Fault kinds (latency and faults are for benchmarks and robustness tests): ``http_NNN`` (that status; 429 carries
``Retry-After: retry_after``), ``timeout`` (no answer for ``hang`` seconds, then the connection closes),
``drop`` (the connection closes without an answer), ``garbage`` (200 with empty or reasoning-only content),
``bad_json`` (200 with a body that is not JSON), ``error_body`` (200 with a top-level ``error`` and no choices).
``GET /stats`` answers the counters as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import json
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

try:
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol
except ImportError as err:  # pragma: no cover  (it comes with the base install)
    raise ImportError(f"the loopback server needs uvicorn: pip install uvicorn ({err})") from err

Reply = Callable[[dict[str, Any]], "str | dict[str, Any] | HTTPReply"]
Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]
FAULT_KINDS = ("timeout", "drop", "garbage", "bad_json", "error_body")
GARBAGE = ("", "  \n ", "<think>I need to work out what the", "<think>")
_STATUS = re.compile(r"^http_(\d{3})$")


def _check_fault(kind: str) -> str:
    if kind in FAULT_KINDS or _STATUS.match(kind):
        return kind
    raise ValueError(f"unknown fault {kind!r}: use http_NNN or one of {', '.join(FAULT_KINDS)}")


def _tokens(text: str) -> int:
    return len(text) // 4 + 1


@dataclass(frozen=True)
class Response:
    """What the server sends: a status, the body bytes, a media type and extra headers."""

    status: int
    body: bytes = b""
    media_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    async def send(self, send: Send) -> None:
        head = [(b"content-length", str(len(self.body)).encode("ascii"))]
        if self.media_type is not None:
            head.append((b"content-type", self.media_type.encode("latin-1")))
        head += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": head})
        await send({"type": "http.response.body", "body": self.body})


def json_response(content: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json", headers or {})


def text_response(content: str | bytes, status: int, headers: dict[str, str] | None = None) -> Response:
    body = content.encode("utf-8") if isinstance(content, str) else content
    return Response(status, body, "text/plain; charset=utf-8", headers or {})


@dataclass(frozen=True)
class HTTPReply:
    """A reply sent verbatim: a status, a body (str, bytes or a JSON-able value) and headers."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        if isinstance(self.body, (str, bytes)):
            return text_response(self.body, self.status, self.headers)
        return json_response(self.body, self.status, self.headers)


@dataclass
class Received:
    """One chat request as the server saw it (``fault`` is what it did instead of replying, if anything)."""

    body: dict[str, Any]
    headers: dict[str, str]
    fault: str | None = None


class _Drop(Exception):
    """Close the connection without an answer."""


class _Corked:
    """A transport whose writes in one event-loop pass leave in one ``write`` (uvicorn writes a response's head
    and body separately: two sends, and two wake-ups of the client, per response). Everything else is the
    transport's own; ``close`` sends what is pending first, ``abort`` drops it."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport, self._loop, self._pending = transport, loop, []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _protocol() -> type:
    """uvicorn's HTTP/1.1 protocol (httptools' C parser when installed, else h11), writing through ``_Corked``,
    with the connection's transport in ``scope["state"]`` so that a fault can drop the connection."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:
        base = H11Protocol

    class Protocol(base):  # type: ignore[misc,valid-type]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.transport = _Corked(transport, asyncio.get_running_loop())
            self.app_state = {**self.app_state, "transport": transport}

    return Protocol


class LoopbackServer:
    """The loopback server as an object: start/stop (or ``with``), ``url``, and what it saw."""

    def __init__(
        self,
        reply: Reply | None = None,
        *,
        script: Iterable[str | dict[str, Any] | HTTPReply] | None = None,
        latency: float = 0.0,
        faults: dict[str, float] | None = None,
        fault_plan: Iterable[str | None] | None = None,
        retry_after: float = 1.0,
        hang: float = 30.0,
        model: str = "test-model",
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        record: bool = True,
    ):
        self.reply = reply
        self.script = deque(script or ())
        self.latency = latency
        self.faults = {_check_fault(k): float(p) for k, p in (faults or {}).items()}
        if sum(self.faults.values()) > 1:
            raise ValueError("fault probabilities add up to more than 1")
        self.fault_plan = deque(_check_fault(k) if k else None for k in (fault_plan or ()))
        self.retry_after, self.hang, self.model, self.record = retry_after, hang, model, record
        self.host, self.port = host, port
        self.requests: list[Received] = []
        self.stats: Counter[str] = Counter()  # "requests", "replies", one key per fault kind, "reply_errors"
        self.errors: list[str] = []  # exceptions raised by ``reply`` (served as HTTP 500)
        self.in_flight = self.max_in_flight = 0
        self._rng = random.Random(seed)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping = asyncio.Event()  # wakes requests held by a 'timeout' fault when the server stops
        self._routes: dict[str, tuple[str, Callable[[Scope, Receive], Awaitable[Response]]]] = {
            "/v1/chat/completions": ("POST", self._chat), "/chat/completions": ("POST", self._chat),
            "/v1/models": ("GET", self._models), "/models": ("GET", self._models),
            "/health": ("GET", self._health), "/v1/health": ("GET", self._health), "/stats": ("GET", self._stats),
        }

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app: one dict lookup routes a request (404 unknown path, 405 wrong method)."""
        if scope["type"] != "http":
            return
        route = self._routes.get(scope["path"])
        if route is None:
            response = text_response("Not Found", 404)
        elif scope["method"] != route[0] and not (route[0] == "GET" and scope["method"] == "HEAD"):
            response = text_response("Method Not Allowed", 405, {"Allow": route[0]})
        else:
            response = await route[1](scope, receive)
        await response.send(send)

    @property
    def url(self) -> str:
        """The base URL to give a client (``http://127.0.0.1:PORT/v1``)."""
        if self._server is None:
            raise RuntimeError("the server is not running; call start() or use it as a context manager")
        return f"http://{self.host}:{self.port}/v1"

    def plan(self, *kinds: str | None) -> None:
        """Queue faults (None = a normal reply) for the next requests, before any random ones."""
        with self._lock:
            self.fault_plan.extend(_check_fault(k) if k else None for k in kinds)

    # ---- lifecycle ----

    def bind(self) -> socket.socket:
        """The listening socket (``port=0`` picks a free port; ``self.port`` is set)."""
        # proto=IPPROTO_TCP, not the default 0: asyncio turns Nagle off (TCP_NODELAY) only on accepted sockets whose
        # proto says TCP; with it on, a reply written in two parts waited ~40 ms for the client's delayed ACK
        # (measured: 12% of loopback requests stalled 40 ms). Set on the listener too: accepted sockets inherit it.
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM,
                             socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as err:
            sock.close()
            raise RuntimeError(f"the loopback server could not bind {self.host}:{self.port}: {err}") from err
        sock.listen(2048)
        self.port = sock.getsockname()[1]
        return sock

    def _uvicorn(self) -> uvicorn.Server:
        config = uvicorn.Config(self.app, http=_protocol(), interface="asgi3", log_level="warning", access_log=False,
                                lifespan="off", proxy_headers=False, timeout_graceful_shutdown=1, timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        return self._server

    def start(self) -> LoopbackServer:
        if self._thread is not None:
            return self
        sock = self.bind()
        server = self._uvicorn()
        loop = self._loop = asyncio.new_event_loop()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(server.serve(sockets=[sock]))
            except BaseException as err:  # noqa: BLE001  (reported to the starting thread)
                failure.append(err)
            finally:
                sock.close()

        self._thread = threading.Thread(target=run, name="llm-loopback-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started and not failure and time.monotonic() < deadline:
            time.sleep(0.005)
        if not server.started:
            self.stop()
            raise RuntimeError(f"the loopback server did not start on {self.host}:{self.port}: {failure[:1]}")
        return self

    def stop(self) -> None:
        """Stop serving at once: requests in flight get their connection closed, as when a server dies."""
        server, loop, thread = self._server, self._loop, self._thread
        if server is None or thread is None or loop is None:
            return
        server.should_exit = server.force_exit = True
        if not loop.is_closed():
            loop.call_soon_threadsafe(self._stopping.set)
            loop.call_soon_threadsafe(_abort_connections, server)
        thread.join(10)
        loop.close()
        self._server = self._loop = self._thread = None
        self._stopping = asyncio.Event()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- routes ----

    async def _models(self, scope: Scope, receive: Receive) -> Response:
        return json_response({"object": "list", "data": [{"id": self.model, "object": "model"}]})

    async def _health(self, scope: Scope, receive: Receive) -> Response:
        return json_response({"status": "ok"})

    async def _stats(self, scope: Scope, receive: Receive) -> Response:
        with self._lock:
            return json_response({**self.stats, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight})

    async def _chat(self, scope: Scope, receive: Receive) -> Response:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(scope, receive)
        except _Drop:
            _abort(scope)
            return Response(500)  # never reaches the client: the connection is gone
        finally:
            with self._lock:
                self.in_flight -= 1

    def _next_fault(self) -> str | None:
        with self._lock:
            if self.fault_plan:
                return self.fault_plan.popleft()
            draw, acc = self._rng.random(), 0.0
            for kind, p in self.faults.items():
                acc += p
                if draw < acc:
                    return kind
            return None

    async def _answer(self, scope: Scope, receive: Receive) -> Response:
        try:
            body = json.loads(await _body(receive))
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                raise ValueError("the body needs a 'messages' list")  # noqa: TRY004  (answered as HTTP 400)
        except ValueError as err:
            return json_response({"error": {"message": f"bad request: {err}"}}, 400)
        fault = self._next_fault()
        with self._lock:
            self.stats["requests"] += 1
            self.stats[fault or "replies"] += 1
            if self.record:
                self.requests.append(Received(body, _headers(scope), fault))
        if fault == "drop":
            raise _Drop
        if fault == "timeout":
            try:
                await asyncio.wait_for(self._stopping.wait(), self.hang)
            except asyncio.TimeoutError:
                pass
            raise _Drop
        if self.latency:
            await asyncio.sleep(self.latency)
        status = _STATUS.match(fault or "")
        if status:
            code = int(status.group(1))
            extra = {"Retry-After": f"{self.retry_after:g}"} if code == 429 else {}
            return json_response({"error": {"message": f"injected HTTP {code}"}}, code, extra)
        if fault == "bad_json":
            return Response(200, b'{"id": "chatcmpl-broken", "choices": [{"mess', "application/json")
        if fault == "error_body":
            return json_response({"error": {"message": "injected error body", "type": "server_error", "code": 500}})
        if fault == "garbage":
            return json_response(self._completion(body, {"content": self._rng.choice(GARBAGE)}))
        try:
            message = self._reply(body)
        except Exception as err:  # noqa: BLE001  (a broken reply function is the caller's bug: say so, do not hang)
            with self._lock:
                self.stats["reply_errors"] += 1
                self.errors.append(f"{type(err).__name__}: {err}")
            return json_response({"error": {"message": f"reply failed: {err}"}}, 500)
        if isinstance(message, HTTPReply):
            return message.response()
        return json_response(self._completion(body, message))

    def _reply(self, body: dict[str, Any]) -> dict[str, Any] | HTTPReply:
        with self._lock:
            scripted = self.script.popleft() if self.script else None
        out = scripted if scripted is not None else (self.reply(body) if self.reply is not None else "OK")
        if isinstance(out, str):
            return {"content": out}
        if not isinstance(out, (dict, HTTPReply)):
            raise TypeError(f"a reply must be a string, a message dict or an HTTPReply, not {type(out).__name__}")
        return out

    def _completion(self, body: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
        content = message.get("content")
        calls = []
        for i, call in enumerate(message.get("tool_calls") or []):
            fn = call.get("function", call)
            arguments = fn.get("arguments", {})
            calls.append({"id": call.get("id", f"call_{i}"), "type": "function", "function": {
                "name": fn["name"], "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments)}})
        prompt = sum(_tokens(str(m.get("content") or "")) for m in body["messages"] if isinstance(m, dict))
        completion = _tokens(content or "")
        out_message: dict[str, Any] = {"role": "assistant", "content": content}
        if calls:
            out_message["tool_calls"] = calls
        finish = message.get("finish_reason") or ("tool_calls" if calls else "stop")
        return {
            "id": f"chatcmpl-{next(self._ids)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "message": out_message, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }


LLMTestServer = LoopbackServer  # the name tests and benchmarks have always used


async def _body(receive: Receive) -> bytes:
    """The request body (every ``http.request`` message until ``more_body`` is false)."""
    parts = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Drop
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


def _headers(scope: Scope) -> dict[str, str]:
    """The request headers, names lower-cased (the first value of a repeated header)."""
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        out.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return out


def _abort(scope: Scope) -> None:
    """Close the request's connection without an answer."""
    scope["state"]["transport"].abort()


def _abort_connections(server: uvicorn.Server) -> None:
    for connection in list(server.server_state.connections):
        transport = getattr(connection, "transport", None)
        if transport is not None:
            transport.abort()


def _load_reply(spec: str) -> Reply:
    module, _, attr = spec.partition(":")
    target = getattr(importlib.import_module(module), attr)
    return target() if isinstance(target, type) else target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m synthagent_env.llm.loopback_server",
                                description=__doc__.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    p.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    p.add_argument("--fault", action="append", default=[], metavar="KIND=P", help="e.g. http_503=0.05 (repeatable)")
    p.add_argument("--retry-after", type=float, default=1.0)
    p.add_argument("--hang", type=float, default=30.0, help="seconds a 'timeout' fault holds the request")
    p.add_argument("--model", default="test-model")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--reply", default=None, metavar="MODULE:ATTR", help="reply function (a class is instantiated)")
    args = p.parse_args(argv)
    faults = {k: float(v) for k, _, v in (f.partition("=") for f in args.fault)}
    server = LoopbackServer(_load_reply(args.reply) if args.reply else None, latency=args.latency, faults=faults,
                           retry_after=args.retry_after, hang=args.hang, model=args.model, seed=args.seed,
                           host=args.host, port=args.port, record=False)
    sock = server.bind()
    print(f"http://{args.host}:{server.port}/v1", flush=True)
    server._uvicorn().run(sockets=[sock])  # main thread: uvicorn handles SIGINT/SIGTERM; stdin is not read
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
