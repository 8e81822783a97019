"""An OpenAI-compatible chat server on 127.0.0.1 for tests and benchmarks: scripted replies, latency, faults.

    with LLMTestServer(reply=lambda request: "hello", latency=0.05, faults={"http_503": 0.1}) as server:
        client = OpenAIClient(server.url, model="test-model")

It runs an asyncio loop in a background thread (no thread per connection, so 64 concurrent requests with
50 ms latency cost almost no CPU) and speaks plain HTTP/1.1 with keep-alive. Each chat request gets, in
order: the next entry of ``fault_plan`` if any, else a fault drawn with the ``faults`` probabilities, else a
reply from ``script`` (consumed in order) or ``reply(request_body)``. A reply is a string (the content) or a
message dict ``{"content", "tool_calls"}`` (tool calls may be given as ``{"name", "arguments"}``).

Fault kinds: ``http_NNN`` (that status; 429 carries ``Retry-After: retry_after``), ``timeout`` (no answer for
``hang`` seconds, then the connection closes), ``drop`` (the connection closes without an answer),
``garbage`` (200 with unusable content), ``bad_json`` (200 with a body that is not JSON).
``python -m synthagent_env.llm.test_server --help`` runs one in its own process (prints its URL first).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import json
import random
import re
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Reply = Callable[[dict[str, Any]], "str | dict[str, Any]"]
FAULT_KINDS = ("timeout", "drop", "garbage", "bad_json")
GARBAGE = ("", "  \n ", "<think>I need to work out what the", "<think>")
_STATUS = re.compile(r"^http_(\d{3})$")
_REASONS = {200: "OK", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def _check_fault(kind: str) -> str:
    if kind in FAULT_KINDS or _STATUS.match(kind):
        return kind
    raise ValueError(f"unknown fault {kind!r}: use http_NNN or one of {', '.join(FAULT_KINDS)}")


def _tokens(text: str) -> int:
    return len(text) // 4 + 1


@dataclass
class Received:
    """One chat request as the server saw it (``fault`` is what it did instead of replying, if anything)."""

    body: dict[str, Any]
    headers: dict[str, str]
    fault: str | None = None


@dataclass
class _Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


class LLMTestServer:
    def __init__(
        self,
        reply: Reply | None = None,
        *,
        script: Iterable[str | dict[str, Any]] | None = None,
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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task] = set()

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

    def start(self) -> LLMTestServer:
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._connection, self.host, self.port, backlog=1024, limit=1 << 20))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as err:  # noqa: BLE001  (reported to the starting thread)
                failure.append(err)
                ready.set()
                return
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="llm-test-server", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            self._thread = None
            raise RuntimeError(f"the test server could not start on {self.host}:{self.port}: {failure[0]}")
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        if loop.is_running():
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        self._loop = self._thread = self._server = None

    def __enter__(self) -> LLMTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- HTTP/1.1 ----

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                request_line, *lines = head.split("\r\n")
                method, target = request_line.split(" ")[:2]
                headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines if ":" in ln)}
                length = int(headers.get("content-length") or 0)
                body = await reader.readexactly(length) if length else b""
                response = await self._route(method, target.split("?")[0], headers, body)
                if response.drop:
                    writer.transport.abort()
                    return
                keep = headers.get("connection", "").lower() != "close"
                head_lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Status')}",
                              f"Content-Length: {len(response.body)}", "Content-Type: application/json",
                              *(f"{k}: {v}" for k, v in response.headers.items())]
                if not keep:
                    head_lines.append("Connection: close")
                writer.write(("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1") + response.body)
                await writer.drain()
                if not keep:
                    return
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError,
                asyncio.CancelledError):  # the client went away, sent junk, or the server is stopping
            return
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> _Response:
        path = path.rstrip("/")
        if method == "GET" and path in ("/v1/models", "/models"):
            models = {"object": "list", "data": [{"id": self.model, "object": "model"}]}
            return _Response(body=json.dumps(models).encode())
        if method == "GET" and path in ("/health", "/v1/health"):
            return _Response(body=b'{"status":"ok"}')
        if method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
            with self._lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await self._chat(headers, body)
            finally:
                with self._lock:
                    self.in_flight -= 1
        return _Response(404, json.dumps({"error": {"message": f"no route {method} {path}"}}).encode())

    # ---- chat completions ----

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

    async def _chat(self, headers: dict[str, str], raw: bytes) -> _Response:
        try:
            body = json.loads(raw)
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                raise ValueError("the body needs a 'messages' list")
        except ValueError as err:
            return _Response(400, json.dumps({"error": {"message": f"bad request: {err}"}}).encode())
        fault = self._next_fault()
        with self._lock:
            self.stats["requests"] += 1
            self.stats[fault or "replies"] += 1
            if self.record:
                self.requests.append(Received(body, headers, fault))
        if fault == "drop":
            return _Response(drop=True)
        if fault == "timeout":
            await asyncio.sleep(self.hang)
            return _Response(drop=True)
        if self.latency:
            await asyncio.sleep(self.latency)
        status = _STATUS.match(fault or "")
        if status:
            code = int(status.group(1))
            extra = {"Retry-After": f"{self.retry_after:g}"} if code == 429 else {}
            return _Response(code, json.dumps({"error": {"message": f"injected HTTP {code}"}}).encode(), extra)
        if fault == "bad_json":
            return _Response(body=b'{"id": "chatcmpl-broken", "choices": [{"mess')
        if fault == "garbage":
            return self._completion(body, {"content": self._rng.choice(GARBAGE)})
        try:
            message = self._reply(body)
        except Exception as err:  # a broken reply function is the test's bug: say so, do not hang
            with self._lock:
                self.stats["reply_errors"] += 1
                self.errors.append(f"{type(err).__name__}: {err}")
            return _Response(500, json.dumps({"error": {"message": f"reply failed: {err}"}}).encode())
        return self._completion(body, message)

    def _reply(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            scripted = self.script.popleft() if self.script else None
        out = scripted if scripted is not None else (self.reply(body) if self.reply is not None else "OK")
        if isinstance(out, str):
            return {"content": out}
        if not isinstance(out, dict):
            raise TypeError(f"a reply must be a string or a message dict, not {type(out).__name__}")
        return out

    def _completion(self, body: dict[str, Any], message: dict[str, Any]) -> _Response:
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
        data = {
            "id": f"chatcmpl-{next(self._ids)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "message": out_message, "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }
        return _Response(body=json.dumps(data, ensure_ascii=False).encode())


def _load_reply(spec: str) -> Reply:
    module, _, attr = spec.partition(":")
    target = getattr(importlib.import_module(module), attr)
    return target() if isinstance(target, type) else target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m synthagent_env.llm.test_server", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency", type=float, default=0.0, help="seconds before each reply")
    p.add_argument("--fault", action="append", default=[], metavar="KIND=P", help="e.g. http_503=0.05 (repeatable)")
    p.add_argument("--retry-after", type=float, default=1.0)
    p.add_argument("--hang", type=float, default=30.0)
    p.add_argument("--model", default="test-model")
    p.add_argument("--reply", default=None, metavar="MODULE:ATTR", help="reply function (a class is instantiated)")
    args = p.parse_args(argv)
    faults = {k: float(v) for k, _, v in (f.partition("=") for f in args.fault)}
    server = LLMTestServer(_load_reply(args.reply) if args.reply else None, latency=args.latency, faults=faults,
                           retry_after=args.retry_after, hang=args.hang, model=args.model, host=args.host,
                           port=args.port, record=False)
    with server:
        print(server.url, flush=True)
        try:
            sys.stdin.read()  # serve until stdin closes (the parent died or closed the pipe)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
