"""The one small protocol every model user speaks (simulator, judge, synthesis, agents), and its result types.

A client turns an OpenAI-style message list into a ``Completion``: ``chat`` for threads, ``achat`` for asyncio.
Sampling options are plain keyword arguments with OpenAI names (``temperature``, ``top_p``, ``max_tokens``,
``stop``, ``seed``, ``tools``, ``tool_choice``, ``response_format``, ...); a backend ignores what it cannot do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

Message = dict[str, Any]


class LLMError(RuntimeError):
    """Any failure to get a completion. Messages never contain API keys."""


class LLMHTTPError(LLMError):
    """The server refused the request with a status that retrying cannot fix (400, 401, 404, ...)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class LLMResponseError(LLMError):
    """The server answered, but not with a usable chat completion (not JSON, no choices, ...)."""


class LLMUnavailableError(LLMError):
    """Every try failed with a retryable error (connection, timeout, 429, 5xx, bad body); ``reason`` is the last."""

    def __init__(self, message: str, attempts: int, reason: str):
        super().__init__(message)
        self.attempts = attempts
        self.reason = reason


class LLMTimeoutError(LLMUnavailableError):
    """The request's total deadline (``deadline`` seconds, retries included) passed without a usable answer."""

    def __init__(self, message: str, attempts: int, reason: str, deadline: float):
        super().__init__(message, attempts, reason)
        self.deadline = deadline


class LLMOutputError(LLMError):
    """The server failed on this request's output (e.g. HTTP 500 for a malformed ``<tool_call>`` the model wrote):
    the server is up, so it is not retried as if it were down. ``server_message`` is what the server said."""

    def __init__(self, message: str, status: int, server_message: str):
        super().__init__(message)
        self.status = status
        self.server_message = server_message


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Completion:
    """One model reply. ``tool_calls`` use the OpenAI shape ``{"id", "type": "function", "function": {...}}``."""

    text: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = Usage()
    finish_reason: str | None = None
    model: str | None = None
    reasoning: str | None = None  # the reasoning the server split out (vLLM, SGLang), or the raw text it was cut from

    def message(self) -> Message:
        """The reply as an OpenAI assistant message (what agents hand to ``env.step``)."""
        out: Message = {"role": "assistant", "content": self.text}
        if self.tool_calls:
            out["tool_calls"] = self.tool_calls
        return out


class UsageMeter:
    """Thread-safe running totals of what a client did: requests, HTTP attempts, retries, failures, tokens."""

    _FIELDS = ("requests", "attempts", "retries", "failures", "prompt_tokens", "completion_tokens")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals = dict.fromkeys(self._FIELDS, 0)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                self._totals[name] += n

    def record(self, usage: Usage) -> None:
        self.add(requests=1, prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            out = dict(self._totals)
        out["total_tokens"] = out["prompt_tokens"] + out["completion_tokens"]
        return out

    def __getitem__(self, name: str) -> int:
        return self.snapshot()[name]


@runtime_checkable
class LLMClient(Protocol):
    """What the rest of synthagent needs from a model. ``usage`` accumulates over the client's life."""

    usage: UsageMeter

    def chat(self, messages: list[Message], **sampling: Any) -> Completion: ...

    async def achat(self, messages: list[Message], **sampling: Any) -> Completion: ...

    def close(self) -> None: ...
