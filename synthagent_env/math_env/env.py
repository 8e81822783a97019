"""``synthagent/Math-v0``: reasoning tasks with a verifiable final answer, checked by math-verify.

Actions and ``info`` follow ``ToolUse-v0`` exactly (the same loop, ``text_env.TextToolEnv``): the agent may
call a ``python`` tool (see ``sandbox``) and finishes with ``<answer>...</answer>``; the reward is 1 if
math-verify finds the answer equal to the reference, else 0. There is no user: plain text gets a reminder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..task import Task, ToolSpec
from ..text_env import MAX_TOOL_OUTPUT_CHARS, TextToolEnv
from .answers import AnswerChecker
from .sandbox import PYTHON_TOOL, run_python
from .tasks import load_math_tasks

SYSTEM_PROMPT = """You solve math problems. Reason step by step.{tool}
When you are done, give only the final result (a number, an expression or LaTeX) as <answer>...</answer>;
that ends the episode."""
TOOL_LINE = """
You can run Python to calculate: <tool_call>{"name": "python", "arguments": {"code": "print(2**10)"}}</tool_call>
Its output is what the program prints."""
NO_USER = "There is no user here: call the python tool or give your final answer as <answer>...</answer>."


def reward_details(correct: bool, reason: str) -> dict[str, Any]:
    """The rubric-reward shape of ``ToolUse-v0``, with one item: the answer."""
    item = {"id": "correct_answer", "section": "sub_goal", "description": "The final answer equals the reference.",
            "passed": correct, "reason": reason, "decided_by": "math_verify"}
    return {"reward": float(correct), "sub_goal_fraction": float(correct), "interaction_fraction": None,
            "compliance": None, "violated": False, "items": [item]}


class MathEnv(TextToolEnv):
    empty_message_hint = "call the python tool or give an <answer>"

    def __init__(self, tasks: str | Path | Iterable[Task | dict] | None = None, python_tool: bool = True,
                 max_turns: int = 8, python_timeout: float = 10.0, answer_timeout: int = 5,
                 max_tool_output_chars: int = MAX_TOOL_OUTPUT_CHARS, max_context_chars: int = 200_000,
                 render_mode: str | None = None):
        super().__init__(load_math_tasks(tasks), max_turns=max_turns, max_context_chars=max_context_chars,
                         max_tool_output_chars=max_tool_output_chars, render_mode=render_mode)
        self.python_tool, self.python_timeout = python_tool, python_timeout
        self.checker = AnswerChecker(answer_timeout)
        self.system_prompt = SYSTEM_PROMPT.format(tool=TOOL_LINE if python_tool else "")

    def _system_prompt(self, task: Task) -> str:
        return self.system_prompt

    def _tools(self, task: Task) -> list[ToolSpec]:
        return [PYTHON_TOOL] if self.python_tool else []

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        return run_python(arguments["code"], timeout=self.python_timeout, max_chars=self.max_tool_output_chars), "python"

    def _talk(self, text: str) -> None:
        self._format_error(NO_USER)

    def _score(self) -> tuple[float, dict[str, Any]]:
        assert self.task is not None
        answer = next((e["content"] for e in reversed(self._events) if e["type"] == "answer"), None)
        correct, reason = (False, "the agent gave no final answer") if answer is None else \
            self.checker.check(self.task.answer or "", answer)
        return float(correct), reward_details(correct, reason)

    def close(self) -> None:
        self.checker.close()
        super().close()
