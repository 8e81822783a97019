"""A task's reference solution played through the public env API: one step per action, and the oracle agent.

The one home of "play the reference": the pack check, the synthesis replay and ``synthagent demo`` use it, and
``synthagent_agents.OracleAgent`` is this class (the library core never imports the agents package).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .agent import Action, BaseAgent
from .pack import load_tasks
from .parsing import hermes_block
from .task import AnswerStep, AskUserStep, Task, ToolCallStep

if TYPE_CHECKING:
    from .episode import EpisodeResult
    from .simulators import Simulator


def step_action(step: Any) -> str:
    """The assistant message that performs one reference step (Hermes text, as a model would write it)."""
    if isinstance(step, ToolCallStep):
        return hermes_block(step.tool, step.arguments)
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


def play_reference(task: Task, pack: list[Task] | None = None, *, simulator: Simulator | None = None,
                   max_turns: int | None = None) -> EpisodeResult:
    """``task``'s reference solution played by ``OracleAgent`` in a throwaway ``ToolUse-v0`` env (its own
    temporary mapping store; the offline simulator unless ``simulator`` is given)."""
    from .env import ToolUseEnv
    from .episode import play_episode

    tasks = pack or [task]
    options: dict[str, Any] = {} if max_turns is None else {"max_turns": max_turns}
    with tempfile.TemporaryDirectory(prefix="synthagent-reference-") as tmp:
        env = ToolUseEnv(tasks=tasks, simulator=simulator, mapping_path=Path(tmp) / "mapping.sqlite", **options)
        try:
            return play_episode(env, OracleAgent(tasks), task_id=task.id)
        finally:
            env.close()
