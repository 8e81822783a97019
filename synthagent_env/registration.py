"""Gym ids of this package; registered when ``synthagent_env`` is imported."""

from __future__ import annotations

import gymnasium as gym

ENVS = {
    "synthagent/ToolUse-v0": "synthagent_env.env:ToolUseEnv",
    "synthagent/BFCL-v0": "synthagent_env.bfcl.env:BFCLEnv",
    "synthagent/Math-v0": "synthagent_env.math_env:MathEnv",
    "synthagent/Tau2-v0": "synthagent_env.tau2.env:Tau2Env",
}


def register_envs() -> None:
    for env_id, entry_point in ENVS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=entry_point)
