"""The episode loop our text envs share: an assistant message in; tool responses and replies out.

``step(action)`` parses the message (``synthagent_env.parsing``), runs each tool call after checking it
against the tool's JSON schema, routes plain text to ``_talk``, ends on ``<answer>``, the turn limit or the
context limit, and scores the episode at its end. Bad actions get an error observation, never an exception.
Subclasses say what the tools do (``_execute``), who listens to plain text (``_talk``) and how an episode is
scored (``_score``). ``info`` has the same keys in every such env, so agents, the eval loop and the trainer
work with all of them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, SupportsFloat

import gymnasium as gym
from jsonschema import Draft202012Validator

from .parsing import ParsedCall, parse_action
from .prompts import render_message, tools_block
from .selection import pick
from .spaces import UnicodeText
from .task import Task, ToolSpec

MAX_TOOL_OUTPUT_CHARS = 4096
MAX_CALLS_PER_TURN = 16
TRUNCATION_MARK = "\n...[truncated]"
STAT_KEYS = (
    "tool_calls", "tool_errors", "user_turns", "format_errors", "simulator_failures",
    "mapping_hits", "simulator_calls",
)
_SOURCE_STATS = {"mapping": "mapping_hits", "simulator": "simulator_calls"}


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def schema_errors(validator: Draft202012Validator, arguments: dict[str, Any]) -> str | None:
    try:
        errors = list(validator.iter_errors(arguments))
    except RecursionError:
        return "arguments are nested too deeply"
    if not errors:
        return None
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(arguments)'}: {e.message}" for e in errors[:3])


def openai_call(call: ParsedCall) -> dict[str, Any]:
    """A parsed call in the OpenAI ``tool_calls`` shape, for the transcript."""
    arguments = json.dumps(call.arguments, ensure_ascii=False) if call.arguments is not None else ""
    return {"id": call.id, "type": "function", "function": {"name": call.name or "", "arguments": arguments}}


class TextToolEnv(gym.Env[str, Any]):
    metadata = {"render_modes": ["ansi"], "render_fps": 1}
    empty_message_hint = "write a tool call, a message to the user, or an <answer>"

    def __init__(self, tasks: Sequence[Task], *, max_turns: int, max_context_chars: int,
                 max_tool_output_chars: int = MAX_TOOL_OUTPUT_CHARS, render_mode: str | None = None):
        if not tasks:
            raise ValueError("the task pack is empty")
        self.tasks = list(tasks)
        self.max_turns = max_turns
        self.max_context_chars = max_context_chars
        self.max_tool_output_chars = max_tool_output_chars
        self.render_mode = render_mode
        self.observation_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self.action_space = UnicodeText(max_length=max(10 * max_context_chars, 1_000_000))
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}
        self.task: Task | None = None
        self._done = True

    # ---- what subclasses decide ----

    def _system_prompt(self, task: Task) -> str:
        raise NotImplementedError

    def _tools(self, task: Task) -> list[ToolSpec]:
        return task.tools

    def _prepare(self, task: Task) -> None:
        """Per-episode set-up before the first step (e.g. seeding the mapping)."""

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        """``(response, source)`` for a valid call; an exception here ends the episode as a simulator failure."""
        raise NotImplementedError

    def _talk(self, text: str) -> None:
        """Plain text from the agent; the default: nobody is listening."""
        self._format_error("there is no user here: call a tool or give your final answer as <answer>...</answer>")

    def _score(self) -> tuple[float, dict[str, Any]]:
        """The episode's reward and its ``info["reward_details"]``."""
        raise NotImplementedError

    # ---- episode state ----

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        task = self.task = pick(self.tasks, options, self.np_random)
        self._prepare(task)
        self._tool_specs = {t.name: t for t in self._tools(task)}
        self._tool_schemas = [t.openai_schema() for t in self._tool_specs.values()]
        system = self._system_prompt(task)
        self._messages: list[dict[str, Any]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": task.instruction},
        ]
        self._events: list[dict[str, Any]] = []
        self._stats = dict.fromkeys(STAT_KEYS, 0)
        self._turn = 0
        self._context_chars = len(system) + len(task.instruction)
        self._done = self._terminated = self._truncated = False
        self._end_reason: str | None = None
        self._failure: str | None = None
        tools = f"\n\n{tools_block(self._tool_schemas)}" if self._tool_schemas else ""
        return f"{system}{tools}\n\nUser: {task.instruction}", self._info()

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
                      **({"tool_calls": [openai_call(c) for c in parsed.tool_calls]} if parsed.tool_calls else {})})
        start = len(self._messages)
        if parsed.error is not None or (not parsed.tool_calls and parsed.answer is None and not parsed.text):
            self._format_error(parsed.error or f"empty message: {self.empty_message_hint}")
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
                    self._talk(parsed.text)
        if not self._done and self._turn >= self.max_turns:
            self._end("max_turns", terminated=False)
        if not self._done and self._context_chars > self.max_context_chars:
            self._end("context_limit", terminated=False)
        obs = "\n\n".join(render_message(m) for m in self._messages[start:])
        info = self._info()
        reward = 0.0
        if self._done:
            reward, info["reward_details"] = self._score()
        return obs, reward, self._terminated, self._truncated, info

    def _append(self, message: dict[str, Any]) -> None:
        self._messages.append(message)
        self._context_chars += len(message.get("content") or "")

    def _end(self, reason: str, *, terminated: bool) -> None:
        self._done, self._end_reason = True, reason
        self._terminated, self._truncated = terminated, not terminated

    def _format_error(self, error: str) -> None:
        self._stats["format_errors"] += 1
        self._events.append({"type": "format_error", "turn": self._turn, "error": error})
        self._append({"role": "user", "content": f"[environment] Error: {error}"})

    def _simulator_failed(self, what: str, err: BaseException) -> None:
        self._stats["simulator_failures"] += 1
        self._failure = f"{what}: {type(err).__name__}: {err}"

    def _tool_error(self, call: ParsedCall, kind: str, error: str) -> None:
        self._stats["tool_errors"] += 1
        self._events.append({
            "type": "tool_call", "turn": self._turn, "id": call.id, "name": call.name, "arguments": call.arguments,
            "status": "error", "error_kind": kind, "error": error, "response": None, "source": None,
        })
        self._append({"role": "tool", "tool_call_id": call.id, "name": call.name or "", "content": f"Error: {error}"})

    def _validator(self, tool: ToolSpec) -> Draft202012Validator:
        assert self.task is not None
        key = (self.task.id, tool.name)
        validator = self._validators.get(key)
        if validator is None:
            validator = self._validators[key] = Draft202012Validator(tool.parameters)
        return validator

    def _run_call(self, call: ParsedCall, over_limit: bool) -> None:
        self._stats["tool_calls"] += 1
        if over_limit:
            return self._tool_error(call, "too_many_calls", f"at most {MAX_CALLS_PER_TURN} tool calls per turn")
        if call.error is not None:
            return self._tool_error(call, "malformed", call.error)
        tool = self._tool_specs.get(call.name or "")
        if tool is None:
            names = ", ".join(self._tool_specs) or "none"
            return self._tool_error(call, "unknown_tool", f"unknown tool {call.name!r}; available tools: {names}")
        arguments = call.arguments or {}
        problem = schema_errors(self._validator(tool), arguments)
        if problem is not None:
            return self._tool_error(call, "invalid_arguments", f"invalid arguments for {tool.name}: {problem}")
        try:
            response, source = self._execute(tool, arguments)
        except Exception as err:  # a dead server or garbage output must not crash a training run
            self._simulator_failed(f"tool simulator failed on {tool.name}", err)
            self._tool_error(call, "simulator_failure", "the tool is unavailable right now")
            return self._end("simulator_failure", terminated=False)
        if source in _SOURCE_STATS:
            self._stats[_SOURCE_STATS[source]] += 1
        response = truncate(response, self.max_tool_output_chars)
        self._events.append({
            "type": "tool_call", "turn": self._turn, "id": call.id, "name": tool.name, "arguments": arguments,
            "status": "ok", "error_kind": None, "error": None, "response": response, "source": source,
        })
        self._append({"role": "tool", "tool_call_id": call.id, "name": tool.name, "content": response})

    # ---- gymnasium plumbing ----

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.task is None:
            return None
        return "\n\n".join(f"[{m['role']}] {render_message(m)}" for m in self._messages)
