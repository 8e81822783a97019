"""An OpenAI-compatible chat client over httpcore, httpx's engine (vLLM, SGLang, Ollama, llama.cpp server, hosted APIs).

Sync (``chat``, safe from many threads) and async (``achat``) share one retry policy, one server pool and one
usage meter. ``base_url`` may list several servers (a list or a comma-separated string): each request goes to
the least busy healthy one and a failing server is taken out for a cool-down (``server_pool``). Every request
is bounded: ``timeout`` per attempt and ``deadline`` in all, retries included (defaults 60 s and 120 s).

Concurrency is bounded by a semaphore; connections are spread over several small connection pools because one
pool serving dozens of concurrent requests spends most of its time in its own bookkeeping (measured here: 64
threads on one pool reached ~35% of the ideal request rate, 8 pools ~85%). A thread keeps to one pool, so its
requests reuse that pool's keep-alive connections (round-robin over pools gave every thread a connection per pool
and server). Requests go straight to httpcore's pools (``transport``): httpx's ``Client`` layers (cookies,
redirects, auth flows) and its request/response models are not needed and cost ~30-40% of the client's CPU.

The API key is read from an environment variable (``api_key_env``); it is never logged, never part of
``repr`` and is scrubbed from every exception message.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpcore
import httpx

from .base import (
    Completion,
    LLMError,
    LLMHTTPError,
    LLMOutputError,
    LLMResponseError,
    Message,
    UsageMeter,
)
from .completion_body import (
    is_output_failure,
    parse_completion,
    parse_models,
    server_message,
)
from .retry import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_DEADLINE,
    Deadline,
    Retry,
    RetryPolicy,
    awith_retries,
    is_retryable_status,
    parse_retry_after,
    with_retries,
)
from .server_pool import DEFAULT_COOLDOWN, DEFAULT_FAILURES_TO_OPEN, Server, ServerPool
from .transport import TRANSPORT_ERRORS, Endpoint, async_pool, decoded, header, request_headers, sync_pool

API_KEY_ENV = "OPENAI_API_KEY"
CONNECTIONS_PER_POOL = 8
_SSL_CONTEXT: Any = None  # one per process: building one costs ~20 ms, and every pool needs one
T = TypeVar("T")


def normalize_base_url(url: str) -> str:
    """``http://host:8000`` -> ``http://host:8000/v1``; a URL with a path (``.../v1``, ``.../api/v1``) is kept."""
    if not isinstance(url, str):
        raise TypeError(f"base_url must be a string, not {type(url).__name__}")
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {public_url(url)!r}")
    return url if parts.path else url + "/v1"


def base_urls(spec: str | list[str] | tuple[str, ...]) -> list[str]:
    """One or several base URLs: a URL, a comma-separated string of URLs, or a list of them."""
    items = spec.split(",") if isinstance(spec, str) else list(spec) if isinstance(spec, (list, tuple)) else None
    if items is None:
        raise TypeError(f"base_url must be a string or a list of strings, not {type(spec).__name__}")
    urls = [normalize_base_url(u) for u in items if not isinstance(u, str) or u.strip()]
    if not urls:
        raise ValueError("base_url lists no server")
    return urls


def public_url(url: str) -> str:
    """The URL without user:password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "") if "@" in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _ssl_context() -> Any:
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


@dataclass
class _Call:
    """One logical request and what its attempts learned: servers that failed it, model-output failures."""

    method: str
    path: str
    body: dict[str, Any] | None
    parse: Callable[[Any], Any]
    tried: set[str] = field(default_factory=set)
    output_failures: int = 0


class _AsyncPools:
    """The async pools and semaphore of one event loop (asyncio objects cannot cross loops)."""

    def __init__(self, make: Callable[[], httpcore.AsyncConnectionPool], shards: int, concurrency: int):
        self.make, self.shards = make, shards
        self.pools: dict[tuple[int, str], httpcore.AsyncConnectionPool] = {}
        self.slots = asyncio.Semaphore(concurrency)
        self.rr = itertools.count()

    def pool(self, url: str) -> httpcore.AsyncConnectionPool:
        key = (next(self.rr) % self.shards, url)
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = self.make()
        return pool


class OpenAIClient:
    """``chat``/``achat`` against ``{base_url}/chat/completions``; ``model=None`` asks ``GET /models`` once.

    ``thinking=False`` sends the servers' switch for no reasoning (``chat_template_kwargs: {"enable_thinking":
    false}``, read by vLLM, SGLang and llama.cpp for Qwen3-style templates); ``True`` asks for it; ``None``
    (the default) sends nothing. A server that rejects the field gets the request again without it.
    Reasoning is stripped from replies either way (``Completion.reasoning`` keeps it).
    """

    def __init__(
        self,
        base_url: str | list[str],
        model: str | None = None,
        *,
        api_key_env: str | None = API_KEY_ENV,
        timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        connect_timeout: float = 10.0,
        max_concurrency: int = 64,
        max_retries: int = 4,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        cooldown: float = DEFAULT_COOLDOWN,
        failures_to_open: int = DEFAULT_FAILURES_TO_OPEN,
        thinking: bool | None = None,
        sampling: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        if not (timeout > 0 and deadline > 0):
            raise ValueError("timeout and deadline must be > 0 (a request without a bound can stall an episode)")
        urls = base_urls(base_url)
        self.base_url = urls[0]
        self.servers = ServerPool(urls, cooldown, failures_to_open)
        self.model = model
        self.api_key_env = api_key_env
        self.max_concurrency = max_concurrency
        self.timeout, self.deadline, self.thinking = timeout, deadline, thinking
        self.sampling = dict(sampling or {})
        self.retry = RetryPolicy(max_retries, backoff, backoff_max, retry_after_max)
        self.usage = UsageMeter()
        self._key = os.environ.get(api_key_env) if api_key_env else None
        merged = {"Content-Type": "application/json", **(headers or {})}
        if self._key:
            merged["Authorization"] = f"Bearer {self._key}"
        self._headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in merged.items()]
        self._endpoints = {s.url: Endpoint.of(s.url) for s in self.servers.servers}
        self._connect_timeout = connect_timeout
        self._send_switch = thinking is not None
        self._shards = max(1, math.ceil(max_concurrency / CONNECTIONS_PER_POOL))
        self._pools: dict[tuple[int, str], httpcore.ConnectionPool] = {}  # (shard, server URL) -> pool
        self._rr = itertools.count()
        self._thread = threading.local()  # .shard: the pool this thread keeps to
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._lock = threading.Lock()
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _AsyncPools] = weakref.WeakKeyDictionary()
        self._closed = False

    def __repr__(self) -> str:
        urls = ",".join(public_url(s.url) for s in self.servers.servers)
        return f"OpenAIClient(base_url={urls!r}, model={self.model!r}, api_key_env={self.api_key_env!r})"

    # ---- the public protocol ----

    def chat(self, messages: list[Message], **sampling: Any) -> Completion:
        if self.model is None:
            self.model = self._send(_Call("GET", "/models", None, parse_models))
        return self._send(_Call("POST", "/chat/completions", self._body(messages, sampling), parse_completion))

    async def achat(self, messages: list[Message], **sampling: Any) -> Completion:
        if self.model is None:
            self.model = await self._asend(_Call("GET", "/models", None, parse_models))
        return await self._asend(_Call("POST", "/chat/completions", self._body(messages, sampling), parse_completion))

    def close(self) -> None:
        """Close the sync pools (idempotent). Async pools close with ``aclose`` or with their event loop."""
        self._closed = True
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            pool.close()

    async def aclose(self) -> None:
        state = self._async.pop(asyncio.get_running_loop(), None)
        if state is not None:
            await asyncio.gather(*(pool.aclose() for pool in state.pools.values()))

    def __enter__(self) -> OpenAIClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- one request: attempts over the pool, retried by the one retry helper ----

    def _body(self, messages: list[Message], sampling: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise TypeError("messages must be a list of message dicts")
        body: dict[str, Any] = {**self.sampling, **sampling}
        extra = body.pop("extra_body", None) or {}
        body = {k: v for k, v in body.items() if v is not None}
        body.update(model=self.model, messages=messages, stream=False, **extra)
        return body

    def _payload(self, call: _Call) -> bytes | None:
        if call.body is None:
            return None
        body = call.body
        if self._send_switch:
            body = {**body, "chat_template_kwargs": {"enable_thinking": self.thinking,
                                                     **(body.get("chat_template_kwargs") or {})}}
        return json.dumps(body, ensure_ascii=False).encode()

    def _describe(self, call: _Call) -> Callable[[], str]:
        def what() -> str:  # called once, when the request has failed for good
            self.usage.add(failures=1)
            urls = [public_url(s.url) for s in self.servers.servers]
            where = f"{urls[0]}{call.path}" if len(urls) == 1 else f"{call.path} on servers {', '.join(urls)}"
            return f"{call.method} {where} (model {self.model!r})"
        return what

    def _send(self, call: _Call) -> Any:
        def attempt(deadline: Deadline) -> Any:
            if not self._slots.acquire(timeout=max(0.0, deadline.left())):
                return Retry(f"no free connection slot within the deadline ({self.max_concurrency} in use)")
            try:
                self._check_open()
                server = self._start(call)
                try:
                    response = self._pool(server.url).handle_request(self._request(server, call, deadline))
                    try:
                        content = response.read()
                    finally:
                        response.close()
                except TRANSPORT_ERRORS as err:
                    return self._failed(server, call, err)
                except BaseException:  # not the server's doing (e.g. the client closed meanwhile): no verdict
                    self.servers.release(server, None)
                    raise
                return self._answered(server, call, response.status, response.headers, content)
            finally:
                self._slots.release()

        deadline = Deadline(self.deadline, self.timeout)
        return self._done(with_retries(attempt, self.retry, deadline, self._describe(call), self._count_retry))

    async def _asend(self, call: _Call) -> Any:
        state = self._async_pools()

        async def attempt(deadline: Deadline) -> Any:
            try:
                await asyncio.wait_for(state.slots.acquire(), max(0.001, deadline.left()))
            except asyncio.TimeoutError:
                return Retry(f"no free connection slot within the deadline ({self.max_concurrency} in use)")
            try:
                self._check_open()
                server = self._start(call)
                try:
                    response = await state.pool(server.url).handle_async_request(self._request(server, call, deadline))
                    try:
                        content = await response.aread()
                    finally:
                        await response.aclose()
                except TRANSPORT_ERRORS as err:
                    return self._failed(server, call, err)
                except BaseException:  # not the server's doing (e.g. the client closed meanwhile): no verdict
                    self.servers.release(server, None)
                    raise
                return self._answered(server, call, response.status, response.headers, content)
            finally:
                state.slots.release()

        deadline = Deadline(self.deadline, self.timeout)
        return self._done(await awith_retries(attempt, self.retry, deadline, self._describe(call), self._count_retry))

    def _start(self, call: _Call) -> Server:
        self.usage.add(attempts=1)
        return self.servers.acquire(frozenset(call.tried))

    def _failed(self, server: Server, call: _Call, err: Exception) -> Retry:
        """No answer (refused, reset, timed out): the server's failure."""
        self.servers.release(server, False)
        return self._retry_elsewhere(server, call, Retry(f"{type(err).__name__}: {err}" if str(err) else
                                                         type(err).__name__))

    def _answered(self, server: Server, call: _Call, status: int, headers: list[tuple[bytes, bytes]],
                  content: bytes) -> Any:
        verdict: bool | None = True  # it answered; _judge says otherwise for 429/502/503/504 and bad bodies
        try:
            outcome, verdict = self._judge(server, call, status, headers, content)
        finally:
            self.servers.release(server, verdict)
        return self._retry_elsewhere(server, call, outcome) if isinstance(outcome, Retry) else outcome

    def _request(self, server: Server, call: _Call, deadline: Deadline) -> httpcore.Request:
        wait = deadline.timeout()
        timeout = {"connect": min(self._connect_timeout, wait), "read": wait, "write": wait, "pool": wait}
        endpoint = self._endpoints[server.url]
        payload = self._payload(call)
        return httpcore.Request(call.method.encode("ascii"), endpoint.url(call.path), content=payload,
                                headers=request_headers(endpoint, self._headers, payload),
                                extensions={"timeout": timeout})

    def _judge(self, server: Server, call: _Call, status: int, headers: list[tuple[bytes, bytes]],
               content: bytes) -> tuple[Any, bool | None]:
        """(the parsed result or a ``Retry``, the server's health verdict); raises for what retrying cannot fix."""
        where = f"{call.method} {public_url(server.url)}{call.path}"
        try:
            content = decoded(headers, content)
        except ValueError as err:
            return Retry(f"unusable response body from {public_url(server.url)}: {err}"), None
        if status >= 400:
            message = self._scrub(server_message(content))
            if status == 400 and self._send_switch and "chat_template_kwargs" in message:
                self._send_switch = False  # this server does not take the thinking switch: ask without it
                return Retry(f"HTTP 400 for chat_template_kwargs: {message[:200]}", at_once=True), True
            if status >= 500 and call.body is not None and is_output_failure(status, message):
                return self._output_failure(call, where, status, message), True
            if is_retryable_status(status):
                return Retry(f"HTTP {status}: {message[:300]}", parse_retry_after(header(headers, b"retry-after"))), False
            self.usage.add(failures=1)
            hint = f" (is ${self.api_key_env} set?)" if status in (401, 403) and self.api_key_env else ""
            raise LLMHTTPError(f"{where} -> HTTP {status}{hint}: {message[:300]}", status)
        try:
            return call.parse(json.loads(content)), True
        except (ValueError, LLMResponseError) as err:  # json.JSONDecodeError is a ValueError
            return Retry(f"unusable response body from {public_url(server.url)}: {self._scrub(str(err))[:300]}"), None

    def _output_failure(self, call: _Call, where: str, status: int, message: str) -> Retry:
        """A 5xx the model's output caused: one more try when sampling can change the output, then the error."""
        call.output_failures += 1
        greedy = (call.body or {}).get("temperature") == 0
        if greedy or call.output_failures > 1 or self.retry.max_retries == 0:
            self.usage.add(failures=1)
            why = ("at temperature 0 the same output would come again" if greedy else
                   "it failed twice" if call.output_failures > 1 else "max_retries is 0")
            raise LLMOutputError(f"{where} -> HTTP {status}: the server failed on this request's output, likely "
                                 f"the model's own (e.g. a malformed <tool_call>); not retried because {why}. "
                                 f"Server said: {message[:300]}", status, message)
        return Retry(f"HTTP {status} on the model's output: {message[:300]}", at_once=True)

    def _retry_elsewhere(self, server: Server, call: _Call, outcome: Retry) -> Retry:
        """Remember the server failed this request; go at once if another healthy server can take it."""
        call.tried.add(server.url)
        outcome.at_once = outcome.at_once or self.servers.healthy_other_than(frozenset(call.tried))
        return outcome

    def _count_retry(self) -> None:
        self.usage.add(retries=1)

    def _done(self, result: T) -> T:
        if isinstance(result, Completion):
            self.usage.record(result.usage)
        return result

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    # ---- connection pools: one per (shard, server), so a request looks only at its own server's connections ----

    def _check_open(self) -> None:
        if self._closed:
            raise LLMError("the client is closed")

    def _pool(self, url: str) -> httpcore.ConnectionPool:
        shard = getattr(self._thread, "shard", None)
        if shard is None:
            shard = self._thread.shard = next(self._rr) % self._shards
        pool = self._pools.get((shard, url))
        if pool is None:
            with self._lock:
                pool = self._pools.get((shard, url))
                if pool is None:
                    pool = self._pools[(shard, url)] = sync_pool(_ssl_context(), *self._limits())
        return pool

    def _limits(self) -> tuple[int, int]:
        """``(max connections, max keep-alive connections)`` of one pool."""
        return self.max_concurrency, max(CONNECTIONS_PER_POOL, math.ceil(self.max_concurrency / self._shards))

    def _async_pools(self) -> _AsyncPools:
        self._check_open()
        loop = asyncio.get_running_loop()
        state = self._async.get(loop)
        if state is None:
            state = self._async[loop] = _AsyncPools(lambda: async_pool(_ssl_context(), *self._limits()),
                                                    self._shards, self.max_concurrency)
        return state

