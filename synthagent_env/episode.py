"""Play one episode of an agent in an env: the small loop the demo, the pack build and tests share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym


@dataclass
class EpisodeResult:
    task_id: str
    reward: float
    terminated: bool
    truncated: bool
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        details = self.info.get("reward_details") or {}
        return [f"{i['id']}: {i['reason']}" for i in details.get("items", [])
                if (i["section"] == "forbidden") == bool(i["passed"])]


def play_episode(env: gym.Env, agent: Any, task_id: str | None = None, seed: int | None = None) -> EpisodeResult:
    options = {"task_id": task_id} if task_id is not None else None
    obs, info = env.reset(seed=seed, options=options)
    agent.reset(info)
    reward, terminated, truncated = 0.0, False, False
    while not (terminated or truncated):
        obs, reward, terminated, truncated, info = env.step(agent.act(obs, info))
    return EpisodeResult(info["task_id"], float(reward), terminated, truncated, info)
