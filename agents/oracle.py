"""The oracle: plays a task's reference solution through the public env API, one step per action."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synthagent_env import load_tasks
from synthagent_env.task import AnswerStep, AskUserStep, Task, ToolCallStep

from synthagent_env.agent import Action, BaseAgent


def step_action(step: Any) -> str:
    """The assistant message that performs one reference step (Hermes text, as a model would write it)."""
    if isinstance(step, ToolCallStep):
        call = json.dumps({"name": step.tool, "arguments": step.arguments}, ensure_ascii=False)
        return f"<tool_call>{call}</tool_call>"
    if isinstance(step, AskUserStep):
        return step.message
    if isinstance(step, AnswerStep):
        return f"<answer>{step.content}</answer>"
    raise TypeError(f"unknown reference step {type(step).__name__}")


class OracleAgent(BaseAgent):
    """Knows every task's reference solution (it never reads hidden context from the env)."""

    def __init__(self, tasks: str | Path | Iterable[Task | dict] = "tooluse-v0"):
        self._tasks = {t.id: t for t in load_tasks(tasks)}
        self._plan: list[Any] = []

    def reset(self, info: dict[str, Any]) -> None:
        task = self._tasks.get(info["task_id"])
        if task is None:
            raise KeyError(f"the oracle has no reference solution for task {info['task_id']!r}")
        self._plan = list(task.reference_solution)

    def act(self, observation: str, info: dict[str, Any]) -> Action:
        if not self._plan:
            return "<answer>I have done everything I can.</answer>"
        return step_action(self._plan.pop(0))
