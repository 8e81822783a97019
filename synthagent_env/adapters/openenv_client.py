"""openenv-core's ``EnvClient`` for a ``synthagent serve`` server, and a loop that plays an agent through it.

    with SynthagentEnvClient(base_url="http://127.0.0.1:8000").sync() as env:
        result = env.reset(task_id="retail-partial-order-cancel", seed=0)
        result = env.step(SynthagentAction(content="<answer>done</answer>"))

The observation's ``info`` is the env's ``info``, so any synthagent agent (``reset(info)``, ``act(obs, info)``)
plays through the client exactly as it plays ``gym.make``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openenv.core import EnvClient
from openenv.core.client_types import StepResult

from .openenv_server import SynthagentAction, SynthagentObservation, SynthagentState


class SynthagentEnvClient(EnvClient[SynthagentAction, SynthagentObservation, SynthagentState]):
    def _step_payload(self, action: SynthagentAction | str | dict[str, Any]) -> dict[str, Any]:
        if isinstance(action, str):
            action = SynthagentAction(content=action)
        elif isinstance(action, dict):
            action = SynthagentAction(content=action.get("content") or "", tool_calls=action.get("tool_calls"))
        return action.model_dump(exclude={"metadata"})

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[SynthagentObservation]:
        fields = payload.get("observation", {})
        observation = SynthagentObservation(**fields, done=payload.get("done", False), reward=payload.get("reward"))
        return StepResult(observation=observation, reward=payload.get("reward"), done=payload.get("done", False))

    def _parse_state(self, payload: dict[str, Any]) -> SynthagentState:
        return SynthagentState(**payload)


@dataclass
class RemoteEpisode:
    task_id: str | None
    reward: float
    steps: int
    info: dict[str, Any]


def play_remote(env: Any, agent: Any, *, task_id: str | None = None, seed: int | None = None,
                max_steps: int = 1000, agent_info: dict[str, Any] | None = None) -> RemoteEpisode:
    """Play one episode of ``agent`` through a connected sync client (``SynthagentEnvClient(...).sync()``)."""
    reset: dict[str, Any] = {k: v for k, v in (("task_id", task_id), ("seed", seed)) if v is not None}
    result = env.reset(**reset)
    obs = result.observation
    agent.reset({**obs.info, **(agent_info or {})})
    steps = 0
    while not result.done and steps < max_steps:
        result = env.step(agent.act(obs.text, obs.info))
        obs, steps = result.observation, steps + 1
    return RemoteEpisode(obs.info.get("task_id"), float(result.reward or 0.0), steps, obs.info)
