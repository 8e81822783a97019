"""An OpenAI-compatible chat client over httpx (vLLM, SGLang, Ollama, llama.cpp server, hosted APIs).

Sync (``chat``, safe from many threads) and async (``achat``) share one retry policy and one usage meter.
Concurrency is bounded by a semaphore; connections are spread over several small httpx pools because one
httpx pool serving dozens of concurrent requests spends most of its time in its own bookkeeping (measured
here: 64 threads on one pool reached ~35% of the ideal request rate, 8 pools ~85%). Requests go straight to
httpx's transports: the ``Client`` layers (cookies, redirects, auth flows) are not needed and cost ~30% of
the client's CPU per request.

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
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from .base import (
    Completion, LLMError, LLMHTTPError, LLMResponseError, LLMUnavailableError, Message, Usage, UsageMeter,
)
from .retry import RetryPolicy, is_retryable_status, parse_retry_after

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


def public_url(url: str) -> str:
    """The URL without user:password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "") if "@" in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _tool_call(raw: Any, index: int) -> dict[str, Any]:
    """One tool call in the OpenAI shape, with ``arguments`` as a JSON string (Ollama sends an object)."""
    if not isinstance(raw, dict):
        raise LLMResponseError("a tool call in the response is not an object")
    fn = raw.get("function") if isinstance(raw.get("function"), dict) else {}
    arguments = fn.get("arguments", "")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    call_id = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"call_{index}"
    return {"id": call_id, "type": "function", "function": {"name": str(fn.get("name") or ""), "arguments": arguments}}


def parse_completion(data: Any) -> Completion:
    """A ``Completion`` from an OpenAI chat-completion body; ``LLMResponseError`` if it is not one."""
    if not isinstance(data, dict):
        raise LLMResponseError("the response body is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        detail = f": {str(data['error'])[:200]}" if "error" in data else ""
        raise LLMResponseError(f"the response has no choices{detail}")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    content = message.get("content")
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    if content is None:
        content = ""
    if not isinstance(content, str):
        raise LLMResponseError("the message content is not a string")
    raw_calls = message.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise LLMResponseError("tool_calls is not a list")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    reasoning = message.get("reasoning_content") or message.get("reasoning")
    return Completion(
        text=content,
        tool_calls=[_tool_call(c, i) for i, c in enumerate(raw_calls)],
        usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        finish_reason=choice.get("finish_reason"),
        model=data.get("model") if isinstance(data.get("model"), str) else None,
        reasoning=reasoning if isinstance(reasoning, str) else None,
    )


def _parse_models(data: Any) -> str:
    models = data.get("data") if isinstance(data, dict) else None
    if not isinstance(models, list) or not models or not isinstance(models[0], dict) or not models[0].get("id"):
        raise LLMResponseError("GET /models listed no model; pass model=... explicitly")
    return str(models[0]["id"])


@dataclass
class _Retry:
    reason: str
    retry_after: float | None = None


def _ssl_context() -> Any:
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


class _AsyncPools:
    """The async pools and semaphore of one event loop (asyncio objects cannot cross loops)."""

    def __init__(self, make: Callable[[], httpx.AsyncHTTPTransport], shards: int, concurrency: int):
        self.pools = [make() for _ in range(shards)]
        self.slots = asyncio.Semaphore(concurrency)
        self.rr = itertools.count()


class OpenAIClient:
    """``chat``/``achat`` against ``{base_url}/chat/completions``; ``model=None`` asks ``GET /models`` once."""

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        *,
        api_key_env: str | None = API_KEY_ENV,
        timeout: float = 120.0,
        connect_timeout: float = 10.0,
        max_concurrency: int = 64,
        max_retries: int = 4,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        sampling: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        if timeout <= 0:
            raise ValueError("timeout must be > 0")
        self.base_url = normalize_base_url(base_url)
        self.model = model
        self.api_key_env = api_key_env
        self.max_concurrency = max_concurrency
        self.sampling = dict(sampling or {})
        self.retry = RetryPolicy(max_retries, backoff, backoff_max, retry_after_max)
        self.usage = UsageMeter()
        self._key = os.environ.get(api_key_env) if api_key_env else None
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if self._key:
            self._headers["Authorization"] = f"Bearer {self._key}"
        self._timeout = httpx.Timeout(timeout, connect=min(connect_timeout, timeout)).as_dict()
        self._shards = max(1, math.ceil(max_concurrency / CONNECTIONS_PER_POOL))
        self._pools: list[httpx.HTTPTransport | None] = [None] * self._shards
        self._rr = itertools.count()
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._lock = threading.Lock()
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _AsyncPools] = weakref.WeakKeyDictionary()
        self._closed = False

    def __repr__(self) -> str:
        return (f"OpenAIClient(base_url={public_url(self.base_url)!r}, model={self.model!r}, "
                f"api_key_env={self.api_key_env!r})")

    # ---- the public protocol ----

    def chat(self, messages: list[Message], **sampling: Any) -> Completion:
        if self.model is None:
            self.model = self._send("GET", "/models", None, _parse_models)
        return self._send("POST", "/chat/completions", self._payload(messages, sampling), parse_completion)

    async def achat(self, messages: list[Message], **sampling: Any) -> Completion:
        if self.model is None:
            self.model = await self._asend("GET", "/models", None, _parse_models)
        return await self._asend("POST", "/chat/completions", self._payload(messages, sampling), parse_completion)

    def close(self) -> None:
        """Close the sync pools (idempotent). Async pools close with ``aclose`` or with their event loop."""
        self._closed = True
        with self._lock:
            pools, self._pools = self._pools, [None] * self._shards
        for pool in pools:
            if pool is not None:
                pool.close()

    async def aclose(self) -> None:
        state = self._async.pop(asyncio.get_running_loop(), None)
        if state is not None:
            await asyncio.gather(*(pool.aclose() for pool in state.pools))

    def __enter__(self) -> OpenAIClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- one request with retries (the sync and async loops differ only in how they wait and send) ----

    def _payload(self, messages: list[Message], sampling: dict[str, Any]) -> bytes:
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise TypeError("messages must be a list of message dicts")
        body: dict[str, Any] = {**self.sampling, **sampling}
        extra = body.pop("extra_body", None) or {}
        body = {k: v for k, v in body.items() if v is not None}
        body.update(model=self.model, messages=messages, stream=False, **extra)
        return json.dumps(body, ensure_ascii=False).encode()

    def _send(self, method: str, path: str, payload: bytes | None, parse: Callable[[Any], T]) -> T:
        last = ""
        for attempt in range(self.retry.attempts):
            with self._slots:
                self.usage.add(attempts=1)
                try:
                    response = self._pool().handle_request(self._request(method, path, payload))
                    try:
                        content = response.read()
                    finally:
                        response.close()
                    outcome = self._judge(method, path, response.status_code, response.headers, content, parse)
                except httpx.TransportError as err:
                    outcome = _Retry(f"{type(err).__name__}: {err}" if str(err) else type(err).__name__)
            if not isinstance(outcome, _Retry):
                return self._done(outcome)
            last = outcome.reason
            if attempt + 1 < self.retry.attempts:
                self.usage.add(retries=1)
                time.sleep(self.retry.delay(attempt, outcome.retry_after))
        raise self._gave_up(method, path, last)

    async def _asend(self, method: str, path: str, payload: bytes | None, parse: Callable[[Any], T]) -> T:
        state = self._async_pools()
        last = ""
        for attempt in range(self.retry.attempts):
            async with state.slots:
                self.usage.add(attempts=1)
                pool = state.pools[next(state.rr) % len(state.pools)]
                try:
                    response = await pool.handle_async_request(self._request(method, path, payload))
                    try:
                        content = await response.aread()
                    finally:
                        await response.aclose()
                    outcome = self._judge(method, path, response.status_code, response.headers, content, parse)
                except httpx.TransportError as err:
                    outcome = _Retry(f"{type(err).__name__}: {err}" if str(err) else type(err).__name__)
            if not isinstance(outcome, _Retry):
                return self._done(outcome)
            last = outcome.reason
            if attempt + 1 < self.retry.attempts:
                self.usage.add(retries=1)
                await asyncio.sleep(self.retry.delay(attempt, outcome.retry_after))
        raise self._gave_up(method, path, last)

    def _request(self, method: str, path: str, payload: bytes | None) -> httpx.Request:
        return httpx.Request(method, self.base_url + path, content=payload, headers=self._headers,
                             extensions={"timeout": self._timeout})

    def _judge(self, method: str, path: str, status: int, headers: httpx.Headers, content: bytes,
               parse: Callable[[Any], T]) -> T | _Retry:
        """The parsed result, a ``_Retry``, or an ``LLMHTTPError`` raised for a status retrying cannot fix."""
        if status >= 400:
            snippet = self._scrub(content[:300].decode("utf-8", "replace"))
            if is_retryable_status(status):
                return _Retry(f"HTTP {status}: {snippet}", parse_retry_after(headers.get("retry-after")))
            self.usage.add(failures=1)
            hint = f" (is ${self.api_key_env} set?)" if status in (401, 403) and self.api_key_env else ""
            raise LLMHTTPError(f"{method} {public_url(self.base_url)}{path} -> HTTP {status}{hint}: {snippet}", status)
        try:
            return parse(json.loads(content))
        except (ValueError, LLMResponseError) as err:  # json.JSONDecodeError is a ValueError
            return _Retry(f"unusable response body: {self._scrub(str(err))[:300]}")

    def _done(self, result: T) -> T:
        if isinstance(result, Completion):
            self.usage.record(result.usage)
        return result

    def _gave_up(self, method: str, path: str, reason: str) -> LLMError:
        self.usage.add(failures=1)
        reason = self._scrub(reason)
        n = self.retry.attempts
        return LLMUnavailableError(
            f"{method} {public_url(self.base_url)}{path} (model {self.model!r}) failed after {n} "
            f"attempt{'s' if n != 1 else ''}; last error: {reason}", n, reason)

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    # ---- pools ----

    def _pool(self) -> httpx.HTTPTransport:
        if self._closed:
            raise LLMError("the client is closed")
        i = next(self._rr) % self._shards
        pool = self._pools[i]
        if pool is None:
            with self._lock:
                pool = self._pools[i]
                if pool is None:
                    pool = self._pools[i] = httpx.HTTPTransport(verify=_ssl_context(), limits=self._limits())
        return pool

    def _limits(self) -> httpx.Limits:
        per_pool = max(CONNECTIONS_PER_POOL, math.ceil(self.max_concurrency / self._shards))
        return httpx.Limits(max_connections=self.max_concurrency, max_keepalive_connections=per_pool)

    def _async_pools(self) -> _AsyncPools:
        if self._closed:
            raise LLMError("the client is closed")
        loop = asyncio.get_running_loop()
        state = self._async.get(loop)
        if state is None:
            state = self._async[loop] = _AsyncPools(
                lambda: httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=self._limits()),
                self._shards, self.max_concurrency)
        return state
