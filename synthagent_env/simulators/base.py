"""The simulator interface: a mock tool answers calls the mapping does not know; a mock user answers messages.

Backends (offline rules, an LLM over HTTP, a local model) implement the two small protocols below and are
selected by one value (the ``simulator=`` of ``gym.make`` and the CLI's ``--simulator``):

- a backend name: ``"offline"`` (the default);
- an OpenAI-compatible server URL: ``"http://127.0.0.1:8000/v1"`` (the model is asked from ``/models``);
- a local model folder: ``"/models/qwen3-30b"`` (transformers);
- a dict ``{"backend": "openai", "base_url": ..., "model": ...}`` or ``{"backend": "transformers",
  "model_path": ...}`` (``base_url``/``model_path`` alone imply the backend), or the same dict as JSON text;
- ``{"backend": "llm", "client": <any LLMClient>}``, or a ready ``Simulator``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..mapping_key import MappingEntry
from ..task import Task, ToolSpec


class SimulatorError(RuntimeError):
    """The simulator could not produce an answer (dead server, garbage output after retries, ...)."""


@dataclass(frozen=True)
class UserReply:
    text: str
    stop: bool = False  # the user ends the conversation
    signal: str | None = None  # why it ends: "stop" (done), "transfer", "out_of_scope" (τ²-bench's markers)


class TaskMappingView(Protocol):
    """What a tool simulator may read of the world: the task's stored calls and this episode's own calls.

    ``entries()``: every entry stored for the task (all rollouts, seeds included), in insertion order.
    ``episode``: the calls this episode made before the current one, in order (its own history).
    A view may also offer ``entries_since(n) -> list[MappingEntry]`` (the entries after the first ``n``): the LLM
    tool then reads only new entries per miss instead of a copy of the whole listing.
    """

    def entries(self) -> list[MappingEntry]: ...

    @property
    def episode(self) -> list[MappingEntry]: ...


@runtime_checkable
class ToolSimulator(Protocol):
    def respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        """A response for a call the mapping has no entry for (it will be stored and reused)."""
        ...


@runtime_checkable
class UserSimulator(Protocol):
    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        """The user's next message; ``conversation`` holds only user/assistant turns (the user sees no tools)."""
        ...


@dataclass
class Simulator:
    tool: ToolSimulator
    user: UserSimulator
    name: str = "custom"

    def close(self) -> None:
        for part in (self.tool, self.user):
            close = getattr(part, "close", None)
            if callable(close):
                close()


_BACKENDS: dict[str, Callable[..., Simulator]] = {}


def register_backend(name: str, factory: Callable[..., Simulator]) -> None:
    """Make ``make_simulator(name)`` / ``gym.make(..., simulator=name)`` build a backend."""
    _BACKENDS[name] = factory


def _spec_from_string(spec: str) -> str | dict[str, Any]:
    text = spec.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as err:
            raise ValueError(f"simulator JSON is not valid: {err}") from None
        if not isinstance(parsed, dict):
            raise ValueError("simulator JSON must be an object")
        return parsed
    if text.startswith(("http://", "https://")):
        return {"backend": "openai", "base_url": text}
    if text not in _BACKENDS and os.path.isdir(text):
        return {"backend": "transformers", "model_path": text}
    return text


def make_simulator(spec: str | dict[str, Any] | Simulator | None = None) -> Simulator:
    if isinstance(spec, Simulator):
        return spec
    if spec is None:
        spec = "offline"
    if isinstance(spec, str):
        spec = _spec_from_string(spec)
    options: dict[str, Any] = {}
    if isinstance(spec, dict):
        options = dict(spec)
        implied = "openai" if "base_url" in options else "transformers" if "model_path" in options else "offline"
        spec = options.pop("backend", implied)
    if not isinstance(spec, str):
        raise TypeError(f"simulator must be a backend name, an options dict or a Simulator, not {type(spec).__name__}")
    if spec not in _BACKENDS:
        from . import llm, offline  # noqa: F401  (register the built-in backends)
    if spec not in _BACKENDS:
        raise ValueError(f"unknown simulator backend {spec!r}; known: {', '.join(sorted(_BACKENDS))}")
    return _BACKENDS[spec](**options)
