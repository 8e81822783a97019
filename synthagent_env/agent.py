"""The agent protocol: anything with ``reset(info)`` and ``act(observation, info) -> action`` is an agent.

``info`` is the env's info dict (task id, OpenAI tool schemas, the full message list, the trajectory), so chat
agents read ``info["messages"]`` and text agents can read the observation. An action is a string or an
OpenAI-style assistant message dict. Async agents implement ``aact`` too; ``BaseAgent.aact`` runs ``act`` in a
worker thread so that a slow sync agent (a local model) never blocks an event loop that drives other episodes.

The benchmark loop adds two keys to the ``info`` it passes to ``reset``: ``episode_seed`` (an int, stable per
task and sample, so seeded agents replay identically on resume) and ``sample`` (the sample index).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Protocol, runtime_checkable

Action = str | dict[str, Any]


@runtime_checkable
class Agent(Protocol):
    def reset(self, info: dict[str, Any]) -> None: ...

    def act(self, observation: str, info: dict[str, Any]) -> Action: ...


class BaseAgent:
    """Convenience base: a no-op ``reset`` and an ``aact`` that runs the sync ``act`` in a thread."""

    def reset(self, info: dict[str, Any]) -> None:
        return None

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        raise NotImplementedError

    async def aact(self, observation: str, info: dict[str, Any]) -> Action:
        return await asyncio.to_thread(self.act, observation, info)


async def act_async(agent: Any, observation: str, info: dict[str, Any]) -> Action:
    """One action from any agent: its coroutine ``aact`` if it has one, else its ``act`` in a thread."""
    aact = getattr(agent, "aact", None)
    if aact is not None and inspect.iscoroutinefunction(aact):
        return await aact(observation, info)
    return await asyncio.to_thread(agent.act, observation, info)
