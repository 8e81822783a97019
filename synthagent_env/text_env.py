"""The one episode loop every synthagent env runs: an assistant message in; tool responses and replies out.

``step(action)`` bounds and parses the message (``synthagent_env.parsing``), runs each tool call after
checking its size and its tool's JSON schema, routes plain text to ``_talk``, ends on ``<answer>``, the turn
limit (``max_turns``) or the context limit, and scores the episode when it ends (a ``TimeLimit`` wrapper
hides its limit from the env: a loop that sees its truncation scores the episode with ``end_episode``). Bad actions of any type get an error observation, never an exception.
The episode is one event log (``episode_record.EpisodeRecord``); ``info`` is built from it the same way in
every env, so agents, the eval loop and the trainer work with all of them.

Subclasses say what the tools do (``_execute``), who listens to plain text (``_talk``), what an answer does
(``_on_answer``), and how an episode is scored (``_score``, returning the reward and its details: at least
``reward`` and ``items``, each ``{id, section, description, passed, reason, decided_by}``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, SupportsFloat

import gymnasium as gym
from jsonschema import Draft202012Validator

from .episode_record import STAT_KEYS, EpisodeRecord
from .parsing import ParsedAction, ParsedCall, parse_action
from .prompts import render_message, tools_block
from .selection import pick
from .spaces import UnicodeText
from .task import Task, ToolSpec

MAX_TOOL_OUTPUT_CHARS = 4096
MAX_CALLS_PER_TURN = 16
MAX_ACTION_CHARS = 100_000  # one assistant message; far above any real turn, far below what stalls a step
MAX_CALL_CHARS = 16_000  # one call's arguments as JSON; larger calls are neither stored nor simulated
TRUNCATION_MARK = "\n...[truncated]"
ENDED = "The episode has ended; call reset()."
_SOURCE_STATS = {"mapping": "mapping_hits", "simulator": "simulator_calls"}

__all__ = ["MAX_CALLS_PER_TURN", "MAX_TOOL_OUTPUT_CHARS", "STAT_KEYS", "TextToolEnv", "truncate"]


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
    arguments = call.arguments_json if call.arguments_json is not None else (
        json.dumps(call.arguments, ensure_ascii=False) if call.arguments is not None else "")
    return {"id": call.id, "type": "function", "function": {"name": call.name or "", "arguments": arguments}}


def is_error_response(response: str) -> bool:
    """A tool response that reports failure: a JSON object with a top-level, non-empty ``error``."""
    text = response.lstrip()
    if not text.startswith("{"):
        return False
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(body, dict) and bool(body.get("error"))


def action_chars(action: Any) -> int:
    """A cheap upper estimate of an action's size, before any parsing (huge actions are refused unparsed)."""
    if isinstance(action, str):
        return len(action)
    if not isinstance(action, dict):
        return 0
    size = len(action["content"]) if isinstance(action.get("content"), str) else 0
    calls = action.get("tool_calls")
    for raw in calls if isinstance(calls, list) else []:
        fn = raw.get("function", raw) if isinstance(raw, dict) else None
        args = fn.get("arguments") if isinstance(fn, dict) else None
        if isinstance(args, str):
            size += len(args)
        elif args is not None:
            try:
                size += len(json.dumps(args, default=str))
            except (TypeError, ValueError, RecursionError):
                size += 0  # the parser rejects it with a precise message
    return size


class TextToolEnv(gym.Env[str, Any]):
    metadata = {"render_modes": ["ansi"], "render_fps": 1}
    empty_message_hint = "write a tool call, a message to the user, or an <answer>"

    def __init__(self, tasks: Sequence[Task], *, max_turns: int, max_context_chars: int,
                 max_tool_output_chars: int = MAX_TOOL_OUTPUT_CHARS, max_action_chars: int = MAX_ACTION_CHARS,
                 max_call_chars: int = MAX_CALL_CHARS, shuffle_tools: bool = True,
                 observation_chars: int | None = None, render_mode: str | None = None):
        if not tasks:
            raise ValueError("the task pack is empty")
        self.tasks = list(tasks)
        self.max_turns = max_turns
        self.max_context_chars = max_context_chars
        self.max_tool_output_chars = max_tool_output_chars
        self.max_action_chars = max_action_chars
        self.max_call_chars = max_call_chars
        self.shuffle_tools = shuffle_tools  # seeded per episode: a tool's position says nothing about it
        self.render_mode = render_mode
        limit = observation_chars or max(2 * max_context_chars, 1_000_000)
        self.observation_space = UnicodeText(max_length=limit)
        self.action_space = UnicodeText(max_length=max(max_action_chars, 1))
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}
        self._verdicts: dict[tuple[str, str, str], str | None] = {}  # (task, tool, arguments JSON) -> problem
        self.task: Task | None = None
        self.episode: EpisodeRecord | None = None
        self._done = True

    # ---- what subclasses decide ----

    def _system_prompt(self, task: Task) -> str:
        raise NotImplementedError

    def _opening(self, task: Task, system: str) -> list[dict[str, Any]]:
        """The messages an episode starts with (no system message when the system prompt is empty)."""
        head = [{"role": "system", "content": system}] if system else []
        return [*head, {"role": "user", "content": task.instruction}]

    def _tools(self, task: Task) -> list[ToolSpec]:
        return task.tools

    def _prepare(self, task: Task) -> None:
        """Per-episode set-up before the first step (e.g. seeding the mapping); an exception ends the episode."""

    def _lookup(self, name: str) -> ToolSpec | None:
        return self._tool_specs.get(name)

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        """``(response, source)`` for a valid call; an exception here ends the episode as a simulator failure."""
        raise NotImplementedError

    def _talk(self, text: str) -> None:
        """Plain text from the agent; the default: nobody is listening."""
        self._format_error("there is no user here: call a tool or give your final answer as <answer>...</answer>")

    def _call_extras(self, source: str) -> dict[str, Any]:
        """Extra fields for the event of a call that ran (e.g. the simulator's prompt, for debugging)."""
        return {}

    def _on_answer(self, answer: str) -> None:
        self._end("answer", terminated=True)

    def _score(self) -> tuple[float, dict[str, Any]]:
        """The episode's reward and its ``info["reward_details"]``."""
        raise NotImplementedError

    # ---- episode state ----

    @property
    def _events(self) -> list[dict[str, Any]]:
        """The event log of the current episode (``info["trajectory"]``)."""
        return self.episode.events if self.episode is not None else []

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        task = self.task = pick(self.tasks, options, self.np_random)
        self._done = self._terminated = self._truncated = False
        self._reward_details: dict[str, Any] | None = None
        tools = list(self._tools(task))
        if self.shuffle_tools and len(tools) > 1:
            tools = [tools[i] for i in self.np_random.permutation(len(tools))]
        self._tool_specs = {t.name: t for t in tools}
        self._tool_schemas = [t.openai_schema() for t in tools]
        system = self._system_prompt(task)
        self.episode = EpisodeRecord(task.id, self._opening(task, system))
        self._prepare_failure: str | None = None  # the end reason of an episode whose set-up failed
        try:
            self._prepare(task)
        except Exception as err:  # a locked or damaged store, a dead server: the first step ends the episode
            self._prepare_failure = getattr(err, "end_reason", "setup_failure")
            self.episode.failure = f"episode set-up failed: {type(err).__name__}: {err}"
        opening = [render_message(m) for m in self.episode.messages if m["role"] != "system"]  # incl. set-up's
        tools_text = [tools_block(self._tool_schemas)] if self._tool_schemas else []
        return "\n\n".join([*([system] if system else []), *tools_text, *opening]), self._info()

    def _info(self) -> dict[str, Any]:
        assert self.episode is not None
        info = self.episode.info(self._tool_schemas)
        if self._reward_details is not None:
            info["reward_details"] = self._reward_details
        return info

    # ---- step ----

    def step(self, action: Any) -> tuple[str, SupportsFloat, bool, bool, dict[str, Any]]:
        if self.task is None or self.episode is None:
            raise RuntimeError("call reset() before step()")
        if self._done:
            return self._already_ended()
        start = len(self.episode.messages)
        self.episode.turn += 1
        try:
            self._step(action)
        except Exception as err:  # our own bug must not crash a training run: end the episode and say why
            self.episode.failure = f"env error: {type(err).__name__}: {err}"
            self._end("env_error", terminated=False)
        if not self._done and self.episode.turn >= self.max_turns:
            self._end("max_turns", terminated=False)
        if not self._done and self.episode.context_chars > self.max_context_chars:
            self._end("context_limit", terminated=False)
        return self._outcome(start)

    def _step(self, action: Any) -> None:
        assert self.episode is not None
        if self._prepare_failure is not None:
            self.episode.add("notice", content="The environment is unavailable right now.")
            return self._end(self._prepare_failure, terminated=False)
        size = action_chars(action)
        if size > self.max_action_chars:
            self.episode.add("assistant", content=f"[{size:,} characters, not shown]", tool_calls=[])
            return self._format_error(f"the message is {size:,} characters; at most {self.max_action_chars:,}")
        parsed = parse_action(action, id_prefix=f"call_{self.episode.turn}")
        self.episode.add("assistant", content=parsed.content, tool_calls=[openai_call(c) for c in parsed.tool_calls])
        if parsed.error is not None or (not parsed.tool_calls and parsed.answer is None and not parsed.text):
            return self._format_error(parsed.error or f"empty message: {self.empty_message_hint}")
        self._run_calls(parsed)
        if self._done:
            return
        if parsed.answer is not None:
            self.episode.add("answer", content=parsed.answer)
            self._on_answer(parsed.answer)
        elif not parsed.tool_calls:
            self._talk(parsed.text)

    def _run_calls(self, parsed: ParsedAction) -> None:
        for i, call in enumerate(parsed.tool_calls):
            if self._done:
                break
            self._run_call(call, over_limit=i >= MAX_CALLS_PER_TURN)

    def _outcome(self, start: int) -> tuple[str, float, bool, bool, dict[str, Any]]:
        assert self.episode is not None
        obs = "\n\n".join(render_message(m) for m in self.episode.messages[start:] if m["role"] != "assistant")
        reward = 0.0
        if self._done:
            reward = self._final_score()
        return obs, reward, self._terminated, self._truncated, self._info()

    def _final_score(self) -> float:
        try:
            reward, details = self._score()
        except Exception as err:  # a scoring bug or a dead judge: the episode still ends, with reward 0
            reward, details = 0.0, {"reward": 0.0, "items": [], "error": f"scoring failed: {type(err).__name__}: {err}"}
        self._reward_details = details
        return float(reward)

    def _already_ended(self) -> tuple[str, float, bool, bool, dict[str, Any]]:
        info = self._info()
        info["error"] = "the episode has ended; call reset()"
        return ENDED, 0.0, True, False, info

    def end_episode(self, reason: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """End the current episode now (e.g. a trainer's token budget ran out), truncated, and score it."""
        if self.episode is None:
            raise RuntimeError("call reset() before end_episode()")
        if self._done:
            return self._already_ended()
        start = len(self.episode.messages)
        self._end(reason, terminated=False)
        return self._outcome(start)

    def _end(self, reason: str, *, terminated: bool) -> None:
        assert self.episode is not None
        self._done, self.episode.end_reason = True, reason
        self._terminated, self._truncated = terminated, not terminated

    def _format_error(self, error: str) -> None:
        assert self.episode is not None
        self.episode.stats["format_errors"] += 1
        self.episode.add("format_error", error=error)

    def _notice(self, text: str) -> None:
        assert self.episode is not None
        self.episode.add("notice", content=text)

    def _simulator_failed(self, what: str, err: BaseException) -> None:
        assert self.episode is not None
        self.episode.stats["simulator_failures"] += 1
        self.episode.failure = f"{what}: {type(err).__name__}: {err}"

    def _tool_error(self, call: ParsedCall, kind: str, error: str) -> None:
        assert self.episode is not None
        self.episode.stats["tool_errors"] += 1
        self.episode.add("tool_call", id=call.id, name=call.name, arguments=call.arguments, status="error",
                         error_kind=kind, error=error, response=None, source=None)

    def _validator(self, tool: ToolSpec) -> Draft202012Validator:
        assert self.task is not None
        key = (self.task.id, tool.name)
        validator = self._validators.get(key)
        if validator is None:
            validator = self._validators[key] = Draft202012Validator(tool.parameters)
        return validator

    def _schema_problem(self, tool: ToolSpec, arguments: dict[str, Any], text: str | None) -> str | None:
        """``schema_errors``, remembered per identical call (validation is a third of a mapping-hit step)."""
        assert self.task is not None
        if text is None:
            return schema_errors(self._validator(tool), arguments)
        key = (self.task.id, tool.name, text)
        if key not in self._verdicts:
            if len(self._verdicts) >= 4096:
                self._verdicts.clear()
            self._verdicts[key] = schema_errors(self._validator(tool), arguments)
        return self._verdicts[key]

    def _run_call(self, call: ParsedCall, over_limit: bool = False) -> None:
        assert self.episode is not None
        self.episode.stats["tool_calls"] += 1
        if over_limit:
            return self._tool_error(call, "too_many_calls", f"at most {MAX_CALLS_PER_TURN} tool calls per turn")
        if call.error is not None:
            return self._tool_error(call, "malformed", call.error)
        tool = self._lookup(call.name or "")
        if tool is None:
            names = ", ".join(sorted(self._tool_specs)) or "none"
            return self._tool_error(call, "unknown_tool", f"unknown tool {call.name!r}; available tools: {names}")
        arguments = call.arguments or {}
        size = len(call.arguments_json) if call.arguments_json is not None else len(json.dumps(arguments))
        if size > self.max_call_chars:
            return self._tool_error(call, "arguments_too_large",
                                    f"the arguments of {tool.name} are {size:,} characters; at most {self.max_call_chars:,}")
        problem = self._schema_problem(tool, arguments, call.arguments_json)
        if problem is not None:
            return self._tool_error(call, "invalid_arguments", f"invalid arguments for {tool.name}: {problem}")
        try:
            response, source = self._execute(tool, arguments)
        except Exception as err:  # a dead server, a lost store, garbage output: never crash a training run
            reason = getattr(err, "end_reason", "simulator_failure")  # e.g. MappingStoreError: "store_failure"
            self._simulator_failed(f"tool {tool.name} failed", err)
            self._tool_error(call, reason, "the tool is unavailable right now")
            return self._end(reason, terminated=False)
        if source in _SOURCE_STATS:
            self.episode.stats[_SOURCE_STATS[source]] += 1
        failed = is_error_response(response)  # before the cut: a cut error object no longer parses as one
        response = truncate(response, self.max_tool_output_chars)
        if failed:
            self.episode.stats["tool_errors"] += 1
        self.episode.add("tool_call", id=call.id, name=tool.name, arguments=arguments,
                         status="error" if failed else "ok", error_kind="tool_error" if failed else None,
                         error=None, response=response, source=source, **self._call_extras(source))

    # ---- gymnasium plumbing ----

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.episode is None:
            return None
        return "\n\n".join(f"[{m['role']}] {render_message(m)}" for m in self.episode.messages)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_validators"], state["_verdicts"] = {}, {}  # rebuilt on use
        return state
