"""A seedable random agent: random tools with schema-valid arguments, random messages, random answers.

A baseline that can stumble on credit (a question with a fact's keyword, a call with the right arguments, an
answer that echoes a tool output) but rarely earns all of it. With a ``seed``, every episode is a function of
``(seed, task id, episode seed)`` only, so concurrent and resumed runs replay the same choices.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

from synthagent_env.agent import Action, BaseAgent
from synthagent_env.parsing import hermes_block
from synthagent_env.schema_sampling import random_arguments

_QUESTIONS = ("Could you tell me the {w}?", "What is your {w}?", "Which {w} do you mean?", "Can you confirm the {w}?")
_REMARKS = ("Let me look into that.", "One moment please.", "I am working on it.")
_WORD = re.compile(r"[A-Za-z][A-Za-z]{3,}")


class RandomAgent(BaseAgent):
    def __init__(self, seed: int | None = None, p_tool: float = 0.5, p_message: float = 0.35,
                 p_answer: float = 0.15, max_calls_per_turn: int = 2):
        self.seed = seed
        self.weights = (p_tool, p_message, p_answer)
        self.max_calls_per_turn = max_calls_per_turn
        self.rng = random.Random(seed)

    def reset(self, info: dict[str, Any]) -> None:
        if self.seed is not None:
            key = f"{self.seed}\x1e{info.get('task_id')}\x1e{info.get('episode_seed')}".encode()
            self.rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        tools = info.get("tools") or []
        kind = self.rng.choices(("tool", "message", "answer"), weights=self.weights)[0]
        if kind == "tool" and tools:
            picks = [self.rng.choice(tools) for _ in range(self.rng.randint(1, self.max_calls_per_turn))]
            return "\n".join(self._call(t["function"]) for t in picks)
        if kind == "answer":
            return f"<answer>{self._answer(info)}</answer>"
        return self._message(info)

    def _call(self, function: dict[str, Any]) -> str:
        arguments = random_arguments(function.get("parameters") or {"type": "object"}, self.rng, function["name"])
        return hermes_block(function["name"], arguments)

    def _words(self, info: dict[str, Any]) -> list[str]:
        """Words of the tool schemas and the conversation: what a random question can be about."""
        text = json.dumps(info.get("tools") or []) + " ".join(
            m.get("content") or "" for m in info.get("messages", []) if m["role"] != "system")
        return sorted(set(_WORD.findall(text.replace("_", " ")))) or ["detail"]

    def _message(self, info: dict[str, Any]) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(_REMARKS)
        words = self._words(info)
        phrase = " ".join(self.rng.choice(words).lower() for _ in range(self.rng.randint(1, 2)))
        return self.rng.choice(_QUESTIONS).format(w=phrase)

    def _answer(self, info: dict[str, Any]) -> str:
        """Some random text, sometimes echoing a value a tool returned."""
        seen = [m["content"] for m in info.get("messages", []) if m["role"] == "tool"]
        tokens = [t for text in seen for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-]{3,}", text)]
        echo = " ".join(self.rng.sample(tokens, min(len(tokens), 3))) if tokens else ""
        return f"All done. {echo}".strip()
