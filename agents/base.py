"""The agent protocol: anything with ``reset(info)`` and ``act(observation, info) -> action`` is an agent.

``info`` is the env's info dict (task id, OpenAI tool schemas, the full message list, the trajectory), so chat
agents read ``info["messages"]`` and text agents can read the observation. An action is a string or an
OpenAI-style assistant message dict. Async agents implement ``aact`` instead; ``Agent.aact`` wraps ``act``.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

Action = str | dict[str, Any]


@runtime_checkable
class Agent(Protocol):
    def reset(self, info: dict[str, Any]) -> None: ...

    def act(self, observation: str, info: dict[str, Any]) -> Action: ...


class BaseAgent:
    """Convenience base: a no-op ``reset`` and an ``aact`` that runs the sync ``act``."""

    def reset(self, info: dict[str, Any]) -> None:
        return None

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        raise NotImplementedError

    async def aact(self, observation: str, info: dict[str, Any]) -> Action:
        return self.act(observation, info)
