"""The simulator interface: a mock tool answers calls the mapping does not know; a mock user answers messages.

Backends (offline rules, an LLM over HTTP, a local model) implement the two small protocols below and are
selected by one value: a backend name, a ``{"backend": name, **options}`` dict, or a ready ``Simulator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..task import Task, ToolSpec


class SimulatorError(RuntimeError):
    """The simulator could not produce an answer (dead server, garbage output after retries, ...)."""


@dataclass(frozen=True)
class UserReply:
    text: str
    stop: bool = False  # the user ends the conversation


class TaskMappingView(Protocol):
    """Read access to a task's mapping so far, for simulators that reuse equivalent entries."""

    def entries(self) -> list[tuple[str, str]]: ...


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


def make_simulator(spec: str | dict[str, Any] | Simulator | None = None) -> Simulator:
    if isinstance(spec, Simulator):
        return spec
    if spec is None:
        spec = "offline"
    options: dict[str, Any] = {}
    if isinstance(spec, dict):
        options = dict(spec)
        spec = options.pop("backend", "offline")
    if not isinstance(spec, str):
        raise TypeError(f"simulator must be a backend name, an options dict or a Simulator, not {type(spec).__name__}")
    if spec not in _BACKENDS:
        from . import offline  # noqa: F401  (registers the embedded default)
    if spec not in _BACKENDS:
        raise ValueError(f"unknown simulator backend {spec!r}; known: {', '.join(sorted(_BACKENDS))}")
    return _BACKENDS[spec](**options)
