"""The do-nothing agent: answers at once. The floor of every report, and a smoke test of the loop."""

from __future__ import annotations

from typing import Any

from synthagent_env.agent import Action, BaseAgent


class DoNothingAgent(BaseAgent):
    def __init__(self, answer: str = "Sorry, I cannot help with that."):
        self.answer = answer

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        return f"<answer>{self.answer}</answer>"
