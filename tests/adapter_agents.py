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


FIXED_DETOURS = ("Could you tell me more about that?", "Let me check.",
                 '<tool_call>{"name": "no_such_tool", "arguments": {}}</tool_call>')


class DetourAgent:
    def __init__(self, seed: int, p_random: float = 0.3, p_stop: float = 0.1, random_detours: bool = True):
        """``random_detours=False``: detours drawn from fixed messages, so actions depend on the turn only (an agent
        that sees nothing but chat text, behind a model endpoint, can replay them)."""
        self.seed, self.p_random, self.p_stop, self.random_detours = seed, p_random, p_stop, random_detours
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
        if draw < self.p_stop + self.p_random and not self.random_detours:
            return self.rng.choice(FIXED_DETOURS)
        if draw < self.p_stop + self.p_random:
            action = self.random.act(observation, info)
            return action if "<answer>" not in str(action) else "Could you tell me more?"
        return self.oracle.act(observation, info)
