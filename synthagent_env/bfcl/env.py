"""``synthagent/BFCL-v0``: one BFCL-v4 multi-turn entry per episode, on BFCL's own API classes, scored by its checker.

``reset`` gives the entry's first user turn and its function docs as OpenAI tools (held-out functions left
out). ``step`` takes the same actions as ``ToolUse-v0`` (Hermes ``<tool_call>`` text or an OpenAI message
dict). Tool calls run on BFCL's classes (see ``safe_call`` for why agent text never reaches its ``eval``);
like BFCL, any method of the entry's API classes may be called, offered or not, unless
``only_offered_functions=True``. A message with no tool call ends the turn and the next user turn arrives (a
held-out turn adds its functions with BFCL's own message). More than BFCL's step limit in one turn
force-quits the episode, as in BFCL. After the last turn the reward is BFCL's multi-turn checker verdict,
1.0 or 0.0, with the verdict in ``info["reward_details"]``. Bad actions get an error observation, never an
exception.
"""

from __future__ import annotations

import json
from typing import Any, SupportsFloat

import gymnasium as gym
from bfcl_eval.constants.default_prompts import DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC, MAXIMUM_STEP_LIMIT

from ..parsing import ParsedCall, parse_action
from ..prompts import render_message, tools_block
from ..selection import pick
from ..spaces import UnicodeText
from .checker import check
from .data import BFCLEntry, load_category, normalize_category
from .prompt import DEFAULT_SYSTEM_PROMPT
from .safe_call import UnsafeCall, build_call
from .schemas import to_openai_tools
from .world import World

MAX_TEXT = 50_000_000  # long_context tool outputs are large; the space must hold any of them
STAT_KEYS = ("steps", "tool_calls", "tool_errors", "execution_errors", "format_errors", "user_turns")
CHECKER_ITEM = "bfcl_multi_turn_checker"


def _arguments_json(arguments: Any) -> str:
    try:
        return json.dumps(arguments, ensure_ascii=False) if arguments is not None else ""
    except (TypeError, ValueError):
        return repr(arguments)


class BFCLEnv(gym.Env[str, Any]):
    metadata = {"render_modes": ["ansi"]}

    def __init__(
        self,
        category: str = "base",
        task_ids: list[str] | None = None,
        max_steps_per_turn: int = MAXIMUM_STEP_LIMIT,
        system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
        only_offered_functions: bool = False,
        render_mode: str | None = None,
    ):
        self.category = normalize_category(category)
        entries = load_category(self.category)
        if task_ids is not None:
            known = {e.id for e in entries}
            missing = [t for t in task_ids if t not in known]
            if missing:
                raise KeyError(f"no BFCL entries {missing} in category {self.category!r}")
            entries = tuple(e for e in entries if e.id in set(task_ids))
        self.tasks: list[BFCLEntry] = list(entries)
        self.max_steps_per_turn = max_steps_per_turn
        self.system_prompt = system_prompt
        # BFCL's executor runs any public method of the entry's API classes, offered or not (one ground truth,
        # miss_func_49, calls a held-out function); True refuses functions the agent has not been shown.
        self.only_offered_functions = only_offered_functions
        self.render_mode = render_mode
        self.observation_space = UnicodeText(max_length=MAX_TEXT)
        self.action_space = UnicodeText(max_length=MAX_TEXT)
        self.entry: BFCLEntry | None = None
        self._world: World | None = None
        self._done = True

    @property
    def task_ids(self) -> list[str]:
        return [e.id for e in self.tasks]

    # ---- episode state ----

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        entry = self.entry = pick(self.tasks, options, self.np_random, f"BFCL entry in category {self.category!r}")
        self._close_world()
        self._world = World(entry)
        self._instances = self._world.instance_names()
        self._docs = list(entry.functions)
        self._tools = to_openai_tools(self._docs)
        self._messages: list[dict[str, Any]] = []
        if self.system_prompt is not None:
            self._messages.append({"role": "system", "content": self.system_prompt})
        self._events: list[dict[str, Any]] = []
        self._stats = dict.fromkeys(STAT_KEYS, 0)
        self._turn, self._turn_steps = 0, 0
        self._record: list[list[list[str]]] = [[]]  # per turn, per step: the call strings executed
        self._done, self._end_reason, self._verdict = False, None, None
        head = [self.system_prompt] if self.system_prompt is not None else []
        obs = "\n\n".join([*head, tools_block(self._tools), self._open_turn(0)])
        return obs, self._info()

    def _info(self) -> dict[str, Any]:
        assert self.entry is not None
        return {
            "task_id": self.entry.id,
            "category": self.entry.category,
            "turn": self._stats["steps"],  # agent messages so far, as in ToolUse-v0
            "user_turn": self._turn,  # BFCL's turn index: which user message is being served
            "num_user_turns": len(self.entry.turns),
            "step_in_turn": self._turn_steps,
            "tools": list(self._tools),
            "messages": list(self._messages),
            "trajectory": list(self._events),
            "stats": dict(self._stats),
            "end_reason": self._end_reason,
            "failure": None,
        }

    def _open_turn(self, turn: int) -> str:
        """Post turn ``turn``'s user message(s), adding its held-out functions first; returns their text."""
        assert self.entry is not None
        messages = [dict(m) for m in self.entry.turns[turn]]
        parts = []
        added = self.entry.holdouts.get(turn, [])
        if added:
            self._docs = self._docs + added
            self._tools = to_openai_tools(self._docs)
            self._event("functions_added", names=[d["name"] for d in added])
            parts.append(tools_block(to_openai_tools(added)).replace("# Tools", "# New tools", 1))
            messages = [{"role": "user", "content": DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC}]
        for message in messages:
            self._messages.append(message)
            self._event("user", content=message.get("content", ""))
            parts.append(render_message(message))
        return "\n\n".join(parts)

    # ---- step ----

    def step(self, action: Any) -> tuple[str, SupportsFloat, bool, bool, dict[str, Any]]:
        if self.entry is None:
            raise RuntimeError("call reset() before step()")
        if self._done:
            info = self._info()
            info["error"] = "the episode has ended; call reset()"
            return "The episode has ended; call reset().", 0.0, True, False, info
        self._stats["steps"] += 1
        parsed = parse_action(action, id_prefix=f"call_{self._stats['steps']}")
        self._messages.append({"role": "assistant", "content": parsed.content, **(
            {"tool_calls": [self._openai_call(c) for c in parsed.tool_calls]} if parsed.tool_calls else {})})
        start, next_turn = len(self._messages), ""
        if parsed.error is not None:
            self._format_error(parsed.error)
            self._continue_turn()
        elif parsed.tool_calls:
            executed = [source for call in parsed.tool_calls if (source := self._run_call(call)) is not None]
            if executed:
                self._record[self._turn].append(executed)
            self._continue_turn()
        else:
            next_turn = self._end_turn(parsed.answer if parsed.answer is not None else parsed.text)
            start = len(self._messages)  # the next turn's messages are already in ``next_turn``
        obs = "\n\n".join(part for part in [*map(render_message, self._messages[start:]), next_turn] if part)
        info = self._info()
        reward = 0.0
        if self._done:
            assert self._verdict is not None
            reward = 1.0 if self._verdict["valid"] else 0.0
            info["reward_details"] = self._reward_details(reward)
            obs = (obs + "\n\n" if obs else "") + "[environment] The conversation is over."
        return obs, reward, self._done, False, info

    @staticmethod
    def _openai_call(call: ParsedCall) -> dict[str, Any]:
        return {"id": call.id, "type": "function",
                "function": {"name": call.name or "", "arguments": _arguments_json(call.arguments)}}

    def _event(self, kind: str, **fields: Any) -> None:
        """A trajectory event; ``turn`` counts agent messages (as in ToolUse-v0), ``user_turn`` is BFCL's turn."""
        self._events.append({"type": kind, "turn": self._stats["steps"], "user_turn": self._turn, **fields})

    def _format_error(self, error: str) -> None:
        self._stats["format_errors"] += 1
        self._event("format_error", error=error)
        self._messages.append({"role": "user", "content": f"[environment] Error: {error}"})

    def _tool_event(self, parsed: ParsedCall, **fields: Any) -> None:
        self._event("tool_call", step=self._turn_steps, id=parsed.id, name=parsed.name, arguments=parsed.arguments,
                    **{"status": "ok", "error_kind": None, "error": None, "call": None, "response": None, **fields})

    def _run_call(self, call: ParsedCall) -> str | None:
        """Execute one call on this episode's instances; returns the call string, or None if refused."""
        assert self._world is not None
        self._stats["tool_calls"] += 1
        offered = [d["name"] for d in self._docs]
        allowed = {n: g for n, g in self._instances.items() if not self.only_offered_functions or n in offered}
        try:
            if call.error is not None:
                raise UnsafeCall(call.error)
            source = build_call(call.name, call.arguments, allowed)
        except UnsafeCall as err:
            kind = ("malformed" if call.error else
                    "unknown_function" if call.name not in allowed else "invalid_arguments")
            if kind == "unknown_function":
                err = UnsafeCall(f"{err}; available functions: {', '.join(sorted(offered))}")
            self._stats["tool_errors"] += 1
            self._tool_event(call, status="error", error_kind=kind, error=str(err))
            self._messages.append({"role": "tool", "tool_call_id": call.id, "name": call.name or "",
                                   "content": f"Error: {err}"})
            return None
        [response] = self._world.execute([source])
        if response.startswith("Error during execution"):
            self._stats["execution_errors"] += 1
        self._tool_event(call, call=source, response=response)
        self._messages.append({"role": "tool", "tool_call_id": call.id, "name": call.name, "content": response})
        return source

    def _continue_turn(self) -> None:
        """A step that did not end the turn; BFCL force-quits after ``MAXIMUM_STEP_LIMIT`` of them."""
        self._turn_steps += 1
        if self._turn_steps > self.max_steps_per_turn:
            self._event("force_quit", steps=self._turn_steps)
            self._messages.append({"role": "user", "content":
                                   f"[environment] Forced to quit after {self.max_steps_per_turn} steps in one turn."})
            self._finish("step_limit")

    def _end_turn(self, text: str) -> str:
        assert self.entry is not None
        self._event("turn_end", message=text)
        self._stats["user_turns"] += 1
        self._turn, self._turn_steps = self._turn + 1, 0
        if self._turn >= len(self.entry.turns):
            self._turn -= 1  # stay on the last turn's index: info["user_turn"] always names a real turn
            self._finish("conversation_end")
            return ""
        self._record.append([])
        return self._open_turn(self._turn)

    def _finish(self, reason: str) -> None:
        assert self.entry is not None
        self._verdict = check(self.entry, self._record)
        self._close_world()
        self._done, self._end_reason = True, reason

    def _reward_details(self, reward: float) -> dict[str, Any]:
        assert self.entry is not None and self._verdict is not None
        verdict = self._verdict
        reason = verdict["error_message"] or "state and execution results match the ground truth after every turn"
        return {
            "reward": reward, "benchmark": "bfcl_v4_multi_turn", "category": self.entry.category,
            "task_id": self.entry.id, **verdict, "calls": [list(map(list, turn)) for turn in self._record],
            "items": [{"id": CHECKER_ITEM, "section": "sub_goal", "passed": verdict["valid"], "reason": reason,
                       "description": "BFCL multi-turn checker: state and responses match the ground truth",
                       "decided_by": "bfcl_eval"}],
        }

    # ---- gymnasium plumbing ----

    def _close_world(self) -> None:
        if self._world is not None:
            self._world.close()
            self._world = None

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self.entry is None:
            return None
        return "\n\n".join(f"[{m['role']}] {render_message(m)}" for m in self._messages)

    def close(self) -> None:
        self._close_world()
        super().close()
