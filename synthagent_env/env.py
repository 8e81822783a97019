"""``synthagent/ToolUse-v0``: one synthetic tool-use task per episode, played against a mock world.

``step(action)`` takes an assistant message (text with Hermes ``<tool_call>`` blocks, or an OpenAI-style
``{"content", "tool_calls"}`` dict). Tool calls are validated against their JSON schema and answered from the
task-level mapping (the simulator only on a miss); plain text goes to the simulated user; ``<answer>`` ends
the episode, which is then scored by the rubric. Bad actions get an error observation, never an exception.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium as gym
from jsonschema import Draft202012Validator

from . import store_pool
from .mock_tools import MockTools
from .pack import DEFAULT_PACK, load_tasks
from .parsing import ParsedCall, parse_action
from .prompts import render_message, system_prompt, tools_block
from .rubric import Judge, RewardConfig, make_judge, score_episode
from .selection import pick
from .simulators import Simulator, make_simulator
from .spaces import UnicodeText
from .task import Task

MAX_TOOL_OUTPUT_CHARS = 4096
MAX_CALLS_PER_TURN = 16
TRUNCATION_MARK = "\n...[truncated]"
STAT_KEYS = (
    "tool_calls", "tool_errors", "user_turns", "format_errors", "simulator_failures",
    "mapping_hits", "simulator_calls",
)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def _schema_errors(validator: Draft202012Validator, arguments: dict[str, Any]) -> str | None:
    try:
        errors = list(validator.iter_errors(arguments))
    except RecursionError:
        return "arguments are nested too deeply"
    if not errors:
        return None
    parts = [f"{'/'.join(map(str, e.absolute_path)) or '(arguments)'}: {e.message}" for e in errors[:3]]
    return "; ".join(parts)


class ToolUseEnv(gym.Env[str, Any]):
    metadata = {"render_modes": ["ansi"], "render_fps": 1}

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
        self.tasks = load_tasks(tasks)
        if not self.tasks:
            raise ValueError("the task pack is empty")
        self.simulator = make_simulator(simulator)
        # resolved now, so worker processes started after this env (async vector envs) share the default store
        self.mapping_path = Path(mapping_path) if mapping_path is not None else store_pool.default_mapping_path()
        self.max_turns = max_turns
        self.max_context_chars = max_context_chars
        self.max_tool_output_chars = max_tool_output_chars
        self.reward_config = RewardConfig(**reward_config) if isinstance(reward_config, dict) else (reward_config or RewardConfig())
        self.judge = make_judge(judge)  # natural-language rubric items; offline: left undecided
        self.render_mode = render_mode
        self.observation_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self.action_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self._tools: MockTools | None = None  # opened on first reset, in the process that steps the env
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}
        self.task: Task | None = None
        self._done = True

    # ---- episode state ----

    def _mock_tools(self) -> MockTools:
        if self._tools is None:
            self._tools = MockTools(store_pool.acquire(self.mapping_path), self.simulator.tool)
        return self._tools

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        task = self.task = pick(self.tasks, options, self.np_random)
        self._mock_tools().prepare(task)
        self._tool_schemas = task.openai_tools()
        self._messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt(task)},
            {"role": "user", "content": task.instruction},
        ]
        self._conversation = [{"role": "user", "content": task.instruction}]
        self._events: list[dict[str, Any]] = []
        self._stats = dict.fromkeys(STAT_KEYS, 0)
        self._turn = 0
        self._context_chars = sum(len(m["content"]) for m in self._messages)
        self._done = self._terminated = self._truncated = False
        self._end_reason: str | None = None
        self._failure: str | None = None
        obs = f"{self._messages[0]['content']}\n\n{tools_block(self._tool_schemas)}\n\nUser: {task.instruction}"
        return obs, self._info()

    def _info(self) -> dict[str, Any]:
        assert self.task is not None
        return {
            "task_id": self.task.id,
            "turn": self._turn,
            "tools": self._tool_schemas,
            "messages": list(self._messages),
            "trajectory": list(self._events),
            "stats": dict(self._stats),
            "end_reason": self._end_reason,
            "failure": self._failure,
        }

    # ---- step ----

    def step(self, action: Any) -> tuple[str, SupportsFloat, bool, bool, dict[str, Any]]:
        if self.task is None:
            raise RuntimeError("call reset() before step()")
        if self._done:
            info = self._info()
            info["error"] = "the episode has ended; call reset()"
            return "The episode has ended; call reset().", 0.0, True, False, info
        self._turn += 1
        parsed = parse_action(action, id_prefix=f"call_{self._turn}")
        self._append({"role": "assistant", "content": parsed.content,
                      **({"tool_calls": [self._openai_call(c) for c in parsed.tool_calls]} if parsed.tool_calls else {})})
        start = len(self._messages)
        if parsed.error is not None or (not parsed.tool_calls and parsed.answer is None and not parsed.text):
            self._format_error(parsed.error or "empty message: write a tool call, a message to the user, or an <answer>")
        else:
            for i, call in enumerate(parsed.tool_calls):
                if self._done:
                    break
                self._run_call(call, over_limit=i >= MAX_CALLS_PER_TURN)
            if not self._done:
                if parsed.answer is not None:
                    self._events.append({"type": "answer", "turn": self._turn, "content": parsed.answer})
                    self._end("answer", terminated=True)
                elif not parsed.tool_calls:
                    self._talk_to_user(parsed.text)
        if not self._done and self._turn >= self.max_turns:
            self._end("max_turns", terminated=False)
        if not self._done and self._context_chars > self.max_context_chars:
            self._end("context_limit", terminated=False)
        obs = "\n\n".join(render_message(m) for m in self._messages[start:])
        info = self._info()
        reward = 0.0
        if self._done:
            result = score_episode(self.task, self._events, self.reward_config, self.judge)
            reward = result.reward
            info["reward_details"] = result.as_info()
        return obs, reward, self._terminated, self._truncated, info

    def _append(self, message: dict[str, Any]) -> None:
        self._messages.append(message)
        self._context_chars += len(message.get("content") or "")

    def _end(self, reason: str, *, terminated: bool) -> None:
        self._done, self._end_reason = True, reason
        self._terminated, self._truncated = terminated, not terminated

    @staticmethod
    def _openai_call(call: ParsedCall) -> dict[str, Any]:
        arguments = json.dumps(call.arguments, ensure_ascii=False) if call.arguments is not None else ""
        return {"id": call.id, "type": "function", "function": {"name": call.name or "", "arguments": arguments}}

    def _format_error(self, error: str) -> None:
        self._stats["format_errors"] += 1
        self._events.append({"type": "format_error", "turn": self._turn, "error": error})
        self._append({"role": "user", "content": f"[environment] Error: {error}"})

    def _tool_error(self, call: ParsedCall, kind: str, error: str) -> None:
        self._stats["tool_errors"] += 1
        self._events.append({
            "type": "tool_call", "turn": self._turn, "id": call.id, "name": call.name, "arguments": call.arguments,
            "status": "error", "error_kind": kind, "error": error, "response": None, "source": None,
        })
        self._append({"role": "tool", "tool_call_id": call.id, "name": call.name or "", "content": f"Error: {error}"})

    def _run_call(self, call: ParsedCall, over_limit: bool) -> None:
        assert self.task is not None
        self._stats["tool_calls"] += 1
        if over_limit:
            return self._tool_error(call, "too_many_calls", f"at most {MAX_CALLS_PER_TURN} tool calls per turn")
        if call.error is not None:
            return self._tool_error(call, "malformed", call.error)
        tool = self.task.tool(call.name or "")
        if tool is None:
            names = ", ".join(t.name for t in self.task.tools)
            return self._tool_error(call, "unknown_tool", f"unknown tool {call.name!r}; available tools: {names}")
        validator = self._validators.get((self.task.id, tool.name))
        if validator is None:
            validator = self._validators[(self.task.id, tool.name)] = Draft202012Validator(tool.parameters)
        problem = _schema_errors(validator, call.arguments or {})
        if problem is not None:
            return self._tool_error(call, "invalid_arguments", f"invalid arguments for {tool.name}: {problem}")
        try:
            response, source = self._mock_tools().call(self.task, tool, call.arguments or {})
        except Exception as err:  # a dead server or garbage output must not crash a training run
            self._stats["simulator_failures"] += 1
            self._failure = f"tool simulator failed on {tool.name}: {type(err).__name__}: {err}"
            self._tool_error(call, "simulator_failure", "the tool is unavailable right now")
            return self._end("simulator_failure", terminated=False)
        self._stats["mapping_hits" if source == "mapping" else "simulator_calls"] += 1
        response = _truncate(response, self.max_tool_output_chars)
        self._events.append({
            "type": "tool_call", "turn": self._turn, "id": call.id, "name": tool.name, "arguments": call.arguments,
            "status": "ok", "error_kind": None, "error": None, "response": response, "source": source,
        })
        self._append({"role": "tool", "tool_call_id": call.id, "name": tool.name, "content": response})

    def _talk_to_user(self, text: str) -> None:
        assert self.task is not None
        self._stats["user_turns"] += 1
        self._conversation.append({"role": "assistant", "content": text})
        try:
            reply = self.simulator.user.reply(self.task, list(self._conversation))
        except Exception as err:
            self._stats["simulator_failures"] += 1
            self._failure = f"user simulator failed: {type(err).__name__}: {err}"
            self._append({"role": "user", "content": "[environment] The user is unavailable right now."})
            return self._end("simulator_failure", terminated=False)
        self._conversation.append({"role": "user", "content": reply.text})
        self._events.append({"type": "user", "turn": self._turn, "message": text, "reply": reply.text, "stop": reply.stop})
        self._append({"role": "user", "content": reply.text})
        if reply.stop:
            self._end("user_stop", terminated=True)

    # ---- gymnasium plumbing ----

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.task is None:
            return None
        return "\n\n".join(f"[{m['role']}] {render_message(m)}" for m in self._messages)

    def close(self) -> None:
        if self._tools is not None:
            store_pool.release(self._tools.store)
            self._tools = None
        self.simulator.close()
        if callable(getattr(self.judge, "close", None)):
            self.judge.close()
        super().close()
