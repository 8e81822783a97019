"""Agents by name, for the CLI and for loops that take an agent spec: ``oracle``, ``random``, ``noop``,
``openai``, ``hf``, or ``package.module:attr`` for any third-party class or factory.

``agent_factory`` returns a zero-argument callable that makes one agent per concurrent episode; expensive parts
(a loaded model, an HTTP client, a task pack) are built once here and shared by every agent it makes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthagent_env.agent import Agent

AgentFactory = Callable[[], Agent]
NAMES = ("oracle", "random", "noop", "openai", "hf")


def _oracle(tasks: Any = "tooluse-v0") -> AgentFactory:
    from synthagent_env import load_tasks

    from .oracle import OracleAgent

    loaded = load_tasks(tasks)
    return lambda: OracleAgent(loaded)


def _random(seed: int | None = 0, **options: Any) -> AgentFactory:
    from .random_agent import RandomAgent

    return lambda: RandomAgent(seed=seed, **options)


def _noop(**options: Any) -> AgentFactory:
    from .trivial import DoNothingAgent

    return lambda: DoNothingAgent(**options)


def _hf(model_path: str | Path, agent_options: dict[str, Any] | None = None, **model_options: Any) -> AgentFactory:
    from .hf_agent import HFAgent, HFChatModel

    model = HFChatModel.load(model_path, **model_options)
    return lambda: HFAgent(model, **(agent_options or {}))


def _openai(**options: Any) -> AgentFactory:
    from .openai_agent import openai_factory

    return openai_factory(**options)


_BUILDERS: dict[str, Callable[..., AgentFactory]] = {
    "oracle": _oracle, "random": _random, "noop": _noop, "do-nothing": _noop, "hf": _hf, "openai": _openai,
}


def load_object(spec: str) -> Any:
    """``package.module:attr`` → the object."""
    module, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def agent_factory(spec: str, **options: Any) -> AgentFactory:
    """A factory for the named agent. Options go to the builder (``tasks`` for the oracle, ``seed`` for random,
    ``model_path`` for hf, ``model``/``base_url``/... for openai) or to a third party's class/factory."""
    if spec in _BUILDERS:
        return _BUILDERS[spec](**options)
    if ":" not in spec:
        raise ValueError(f"unknown agent {spec!r}: use one of {', '.join(NAMES)} or package.module:ClassOrFactory")
    target = load_object(spec)
    return lambda: target(**options)
