"""A fixed, non-trivial agent for the trainer-adapter tests: the oracle's plan with seeded random detours.

Each turn it plays the next reference step, or (with probability ``p_random``) what ``RandomAgent`` would do, and
sometimes answers early; its choices are a function of ``(seed, task id)`` only, so the same episode through an
adapter and through ``gym.make`` must earn the same reward. Its rewards spread over [0, 1].
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from synthagent_agents import OracleAgent, RandomAgent


class DetourAgent:
    def __init__(self, seed: int, p_random: float = 0.3, p_stop: float = 0.1):
        self.seed, self.p_random, self.p_stop = seed, p_random, p_stop
        self.oracle, self.random = OracleAgent(), RandomAgent(seed=seed)
        self.rng = random.Random(seed)

    def reset(self, info: dict[str, Any]) -> None:
        key = f"{self.seed}\x1e{info['task_id']}".encode()
        self.rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
        self.oracle.reset(info)
        self.random.reset(info)

    def act(self, observation: str, info: dict[str, Any]) -> Any:
        draw = self.rng.random()
        if draw < self.p_stop:
            return "<answer>That is all I can do.</answer>"
        if draw < self.p_stop + self.p_random:
            action = self.random.act(observation, info)
            return action if "<answer>" not in str(action) else "Could you tell me more?"
        return self.oracle.act(observation, info)
