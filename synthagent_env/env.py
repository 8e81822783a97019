"""``synthagent/ToolUse-v0``: one synthetic tool-use task per episode, played against a mock world.

``step(action)`` takes an assistant message (text with Hermes ``<tool_call>`` blocks, or an OpenAI-style
``{"content", "tool_calls"}`` dict). Tool calls are validated against their JSON schema and answered from the
task-level mapping (the simulator only on a miss); plain text goes to the simulated user; ``<answer>`` ends
the episode, which is then scored by the rubric. Bad actions get an error observation, never an exception.
The loop itself is ``text_env.TextToolEnv``; this module adds the mock world and the rubric.

An env closes only what it built: a simulator or judge passed in as an object may be shared by other envs
and stays open. Envs pickle at any point (vector workers, distributed runners): the mapping store is
reopened in the new process and a simulator built from a spec is built again from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import store_pool
from .mapping_key import MappingEntry
from .mock_tools import MockTools
from .pack import DEFAULT_PACK, load_tasks
from .prompts import system_prompt
from .rubric import Judge, RewardConfig, make_judge, score_episode
from .simulators import Simulator, make_simulator
from .simulators.offline import asks_about
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
        debug_prompts: bool = False,
        **limits: Any,
    ):
        """``limits``: ``max_action_chars``, ``max_call_chars``, ``shuffle_tools`` (see ``TextToolEnv``).
        ``debug_prompts``: put the filled-in prompts of LLM simulators and the judge in the trajectory events
        and ``reward_details`` (large; for looking at what a model was told)."""
        super().__init__(load_tasks(tasks), max_turns=max_turns, max_context_chars=max_context_chars,
                         max_tool_output_chars=max_tool_output_chars, render_mode=render_mode, **limits)
        self._owns_simulator = not isinstance(simulator, Simulator)  # built here from a spec: ours to close
        self._simulator_spec = simulator if self._owns_simulator else None
        self.simulator = make_simulator(simulator)
        # resolved now, so worker processes started after this env (async vector envs) share the default store
        self.mapping_path = str(mapping_path if mapping_path is not None else store_pool.default_mapping_path())
        store_pool.check(self.mapping_path)  # a bad path or a damaged file is an error here, not at reset()
        self.reward_config = RewardConfig(**reward_config) if isinstance(reward_config, dict) else (reward_config or RewardConfig())
        self._owns_judge = judge is None or isinstance(judge, (str, dict))
        self._judge_spec = judge if self._owns_judge else None
        self.judge = make_judge(judge)  # natural-language rubric items; offline: left undecided
        self._mock: MockTools | None = None  # opened on first reset, in the process that steps the env
        self.debug_prompts = debug_prompts

    def _mock_tools(self) -> MockTools:
        if self._mock is None:
            self._mock = MockTools(store_pool.acquire(self.mapping_path), self.simulator.tool)
        return self._mock

    # ---- the TextToolEnv hooks ----

    def _system_prompt(self, task: Task) -> str:
        return system_prompt(task)

    def _prepare(self, task: Task) -> None:
        self._mock_tools().prepare(task)

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        assert self.task is not None
        history = [MappingEntry(e["name"], e["arguments"], e["response"])
                   for e in self._events if e["type"] == "tool_call" and e["response"] is not None]
        return self._mock_tools().call(self.task, tool, arguments, history)

    def _talk(self, text: str) -> None:
        assert self.task is not None and self.episode is not None
        self.episode.stats["user_turns"] += 1
        conversation = [*self.episode.user_view(), {"role": "assistant", "content": text}]
        try:
            reply = self.simulator.user.reply(self.task, conversation)
        except Exception as err:  # a dead server must not crash a training run
            self._simulator_failed("user simulator failed", err)
            self._notice("The user is unavailable right now.")
            return self._end("simulator_failure", terminated=False)
        asked = [f.key for f in self.task.hidden_facts if asks_about(text, f.keywords)]
        extras = {"simulator_prompt": self._prompt_of(self.simulator.user)} if self.debug_prompts else {}
        self.episode.add("user", message=text, reply=reply.text, stop=reply.stop, asked_facts=asked, **extras)
        if reply.stop:  # τ²-bench's markers: done, transfer to a human, out of scope
            signal = getattr(reply, "signal", None)
            self._end("user_stop" if signal in (None, "stop") else f"user_{signal}", terminated=True)

    @staticmethod
    def _prompt_of(part: Any) -> Any:
        return getattr(part, "last_prompt", None)

    def _call_extras(self, source: str) -> dict[str, Any]:
        if not self.debug_prompts or source != "simulator":
            return {}
        return {"simulator_prompt": self._prompt_of(self.simulator.tool)}

    def _score(self) -> tuple[float, dict[str, Any]]:
        assert self.task is not None
        result = score_episode(self.task, self._events, self.reward_config, self.judge)
        details = result.as_info()
        if self.debug_prompts:
            details["judge_prompt"] = self._prompt_of(self.judge)
        return result.reward, details

    # ---- lifetime ----

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["_mock"] = None  # the store reopens in the process that unpickles
        if self._owns_simulator:
            state["simulator"] = None
        if self._owns_judge:
            state["judge"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self._owns_simulator:
            self.simulator = make_simulator(self._simulator_spec)
        if self._owns_judge:
            self.judge = make_judge(self._judge_spec)

    def close(self) -> None:
        if self._mock is not None:
            store_pool.release(self._mock.store)
            self._mock = None
        if self._owns_simulator:
            self.simulator.close()
        if self._owns_judge and callable(getattr(self.judge, "close", None)):
            self.judge.close()
        super().close()
