"""``synthagent/ToolUse-v0``: one synthetic tool-use task per episode, played against a mock world.

``step(action)`` takes an assistant message (text with Hermes ``<tool_call>`` blocks, or an OpenAI-style
``{"content", "tool_calls"}`` dict). Tool calls are validated against their JSON schema and answered from the
task-level mapping (the simulator only on a miss); plain text goes to the simulated user; ``<answer>`` ends
the episode, which is then scored by the rubric. Bad actions get an error observation, never an exception.
The loop itself is ``text_env.TextToolEnv``; this module adds the mock world and the rubric.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import store_pool
from .mock_tools import MockTools
from .pack import DEFAULT_PACK, load_tasks
from .prompts import system_prompt
from .rubric import Judge, RewardConfig, make_judge, score_episode
from .simulators import Simulator, make_simulator
from .task import Task, ToolSpec
from .text_env import MAX_CALLS_PER_TURN, MAX_TOOL_OUTPUT_CHARS, STAT_KEYS, TextToolEnv

__all__ = ["MAX_CALLS_PER_TURN", "MAX_TOOL_OUTPUT_CHARS", "STAT_KEYS", "ToolUseEnv"]


class ToolUseEnv(TextToolEnv):
    def __init__(
        self,
        tasks: str | Path | list[Task] | list[dict] = DEFAULT_PACK,
        simulator: str | dict[str, Any] | Simulator | None = None,
        mapping_path: str | Path | None = None,
        max_turns: int = 16,
        max_context_chars: int = 200_000,
        max_tool_output_chars: int = MAX_TOOL_OUTPUT_CHARS,
        reward_config: RewardConfig | dict[str, Any] | None = None,
        judge: Judge | str | dict[str, Any] | None = None,
        render_mode: str | None = None,
    ):
        super().__init__(load_tasks(tasks), max_turns=max_turns, max_context_chars=max_context_chars,
                         max_tool_output_chars=max_tool_output_chars, render_mode=render_mode)
        self.simulator = make_simulator(simulator)
        # resolved now, so worker processes started after this env (async vector envs) share the default store
        self.mapping_path = Path(mapping_path) if mapping_path is not None else store_pool.default_mapping_path()
        self.reward_config = RewardConfig(**reward_config) if isinstance(reward_config, dict) else (reward_config or RewardConfig())
        self.judge = make_judge(judge)  # natural-language rubric items; offline: left undecided
        self._mock: MockTools | None = None  # opened on first reset, in the process that steps the env

    def _mock_tools(self) -> MockTools:
        if self._mock is None:
            self._mock = MockTools(store_pool.acquire(self.mapping_path), self.simulator.tool)
        return self._mock

    # ---- the TextToolEnv hooks ----

    def _system_prompt(self, task: Task) -> str:
        return system_prompt(task)

    def _prepare(self, task: Task) -> None:
        self._mock_tools().prepare(task)
        self._conversation = [{"role": "user", "content": task.instruction}]

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        assert self.task is not None
        return self._mock_tools().call(self.task, tool, arguments)

    def _talk(self, text: str) -> None:
        assert self.task is not None
        self._stats["user_turns"] += 1
        self._conversation.append({"role": "assistant", "content": text})
        try:
            reply = self.simulator.user.reply(self.task, list(self._conversation))
        except Exception as err:  # a dead server must not crash a training run
            self._simulator_failed("user simulator failed", err)
            self._append({"role": "user", "content": "[environment] The user is unavailable right now."})
            return self._end("simulator_failure", terminated=False)
        self._conversation.append({"role": "user", "content": reply.text})
        self._events.append({"type": "user", "turn": self._turn, "message": text, "reply": reply.text, "stop": reply.stop})
        self._append({"role": "user", "content": reply.text})
        if reply.stop:
            self._end("user_stop", terminated=True)

    def _score(self) -> tuple[float, dict[str, Any]]:
        assert self.task is not None
        result = score_episode(self.task, self._events, self.reward_config, self.judge)
        return result.reward, result.as_info()

    def close(self) -> None:
        if self._mock is not None:
            store_pool.release(self._mock.store)
            self._mock = None
        self.simulator.close()
        if callable(getattr(self.judge, "close", None)):
            self.judge.close()
        super().close()
