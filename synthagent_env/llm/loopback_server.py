"""A loopback OpenAI-compatible chat server: try synthesis, eval and the LLM simulator without a model.

    python -m synthagent_env.llm.loopback_server --port 8000 --latency 0.05 &    # serves until SIGTERM / Ctrl-C

    with LoopbackServer(reply=lambda request: "hello", latency=0.05, faults={"http_503": 0.1}) as server:
        client = OpenAIClient(server.url, model="test-model")

It runs on starlette + uvicorn (in a background thread for ``LoopbackServer``, also known by its older name
``LLMTestServer``; in the main thread from the command line). Each chat request gets, in order: the next entry
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

try:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from uvicorn.protocols.http.h11_impl import H11Protocol
except ImportError as err:  # pragma: no cover  (both come with the base install)
    raise ImportError(f"the loopback server needs starlette and uvicorn: pip install starlette uvicorn ({err})") \
        from err

Reply = Callable[[dict[str, Any]], "str | dict[str, Any] | HTTPReply"]
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
class HTTPReply:
    """A reply sent verbatim: a status, a body (str, bytes or a JSON-able value) and headers."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        if isinstance(self.body, (str, bytes)):
            return Response(self.body, self.status, self.headers, media_type="text/plain")
        return JSONResponse(self.body, self.status, self.headers)


@dataclass
class Received:
    """One chat request as the server saw it (``fault`` is what it did instead of replying, if anything)."""

    body: dict[str, Any]
    headers: dict[str, str]
    fault: str | None = None


class _Drop(Exception):
    """Close the connection without an answer."""


def _protocol() -> type:
    """uvicorn's HTTP/1.1 protocol (httptools' C parser when installed, else h11), with the connection's transport
    in ``scope["state"]`` so that a fault can drop the connection."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:
        base = H11Protocol

    class Protocol(base):  # type: ignore[misc,valid-type]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
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
        self.app = Starlette(routes=[
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]), Route("/models", self._models, methods=["GET"]),
            Route("/health", self._health, methods=["GET"]), Route("/v1/health", self._health, methods=["GET"]),
            Route("/stats", self._stats, methods=["GET"]),
        ])

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
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as err:
            sock.close()
            raise RuntimeError(f"the loopback server could not bind {self.host}:{self.port}: {err}") from err
        sock.listen(2048)
        self.port = sock.getsockname()[1]
        return sock

    def _uvicorn(self) -> uvicorn.Server:
        config = uvicorn.Config(self.app, http=_protocol(), log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=1, timeout_keep_alive=30)
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

    async def _models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": self.model, "object": "model"}]})

    async def _health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def _stats(self, request: Request) -> Response:
        with self._lock:
            return JSONResponse({**self.stats, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight})

    async def _chat(self, request: Request) -> Response:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        except _Drop:
            _abort(request)
            return Response(status_code=500)  # never reaches the client: the connection is gone
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

    async def _answer(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                raise ValueError("the body needs a 'messages' list")  # noqa: TRY004  (answered as HTTP 400)
        except ValueError as err:
            return JSONResponse({"error": {"message": f"bad request: {err}"}}, 400)
        fault = self._next_fault()
        with self._lock:
            self.stats["requests"] += 1
            self.stats[fault or "replies"] += 1
            if self.record:
                self.requests.append(Received(body, dict(request.headers), fault))
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
            return JSONResponse({"error": {"message": f"injected HTTP {code}"}}, code, extra)
        if fault == "bad_json":
            return Response(b'{"id": "chatcmpl-broken", "choices": [{"mess', media_type="application/json")
        if fault == "error_body":
            return JSONResponse({"error": {"message": "injected error body", "type": "server_error", "code": 500}})
        if fault == "garbage":
            return JSONResponse(self._completion(body, {"content": self._rng.choice(GARBAGE)}))
        try:
            message = self._reply(body)
        except Exception as err:  # noqa: BLE001  (a broken reply function is the caller's bug: say so, do not hang)
            with self._lock:
                self.stats["reply_errors"] += 1
                self.errors.append(f"{type(err).__name__}: {err}")
            return JSONResponse({"error": {"message": f"reply failed: {err}"}}, 500)
        if isinstance(message, HTTPReply):
            return message.response()
        return JSONResponse(self._completion(body, message))

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


def _abort(request: Request) -> None:
    """Close the request's connection without an answer."""
    request.scope["state"]["transport"].abort()


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
