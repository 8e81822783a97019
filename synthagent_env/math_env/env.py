"""``synthagent/Math-v0``: reasoning tasks with a verifiable final answer, checked by math-verify.

Actions and ``info`` follow ``ToolUse-v0`` exactly (the same loop, ``text_env.TextToolEnv``): the agent may
call a ``python`` tool and finishes with ``<answer>...</answer>``; the reward is 1 if math-verify finds the
answer equal to the reference, else 0. There is no user: plain text gets a reminder.

The python tool runs each program in an OS sandbox (``sandbox="bwrap"``, the default; threat model in
``sandbox``); where that cannot work, construction fails and says why, unless the caller names the unsafe mode
(``sandbox="unsafe-subprocess"``, no isolation). Without math-verify, construction fails naming the extra.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..task import Task, ToolSpec
from ..text_env import MAX_TOOL_OUTPUT_CHARS, TextToolEnv
from .answers import AnswerChecker, require_math_verify
from .python_tool import describe, python_tool_spec
from .sandbox import BWRAP, Limits, Sandbox, make_sandbox
from .tasks import load_math_tasks

SYSTEM_PROMPT = """You solve math problems. Reason step by step.{tool}
When you are done, give only the final result (a number, an expression or LaTeX) as <answer>...</answer>;
that ends the episode."""
TOOL_LINE = """
You can run Python to calculate: <tool_call>{"name": "python", "arguments": {"code": "print(2**10)"}}</tool_call>
Its output is what the program prints."""


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
                 sandbox: str | Sandbox = BWRAP, python_memory_mb: int = 1024, render_mode: str | None = None):
        require_math_verify()
        super().__init__(load_math_tasks(tasks), max_turns=max_turns, max_context_chars=max_context_chars,
                         max_tool_output_chars=max_tool_output_chars, render_mode=render_mode)
        self.python_tool = python_tool
        self.sandbox: Sandbox | None = None
        self.tools: list[ToolSpec] = []
        if python_tool:  # raises SandboxUnavailable (why, and the fix) where isolation cannot be had
            self.sandbox = make_sandbox(sandbox, Limits(timeout=python_timeout, memory_mb=python_memory_mb))
            self.tools = [python_tool_spec(self.sandbox.modules())]
        self.checker = AnswerChecker(answer_timeout)
        self.system_prompt = SYSTEM_PROMPT.format(tool=TOOL_LINE if python_tool else "")

    def _system_prompt(self, task: Task) -> str:
        return self.system_prompt

    def _tools(self, task: Task) -> list[ToolSpec]:
        return list(self.tools)

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        assert self.sandbox is not None  # only listed tools are executed
        result = self.sandbox.run(arguments["code"])
        return describe(result, self.sandbox.limits.timeout, self.max_tool_output_chars), "python"

    def _score(self) -> tuple[float, dict[str, Any]]:
        assert self.task is not None
        events = self.episode.events if self.episode is not None else []
        answer = next((e["content"] for e in reversed(events) if e["type"] == "answer"), None)
        correct, reason = (False, "the agent gave no final answer") if answer is None else \
            self.checker.check(self.task.answer or "", answer)
        return float(correct), reward_details(correct, reason)

    def close(self) -> None:
        self.checker.close()
        super().close()
