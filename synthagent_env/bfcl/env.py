"""``synthagent/BFCL-v0``: one BFCL-v4 multi-turn entry per episode, on BFCL's own API classes, scored by its checker.

The episode loop is ``text_env.TextToolEnv``'s; this module only says what BFCL does at each hook, following
BFCL's function-calling harness (``BaseHandler.inference_multi_turn_FC`` with the OpenAI handler) step for step:

- a message whose calls all decode runs every call in order on the episode's instances and the turn goes on;
  a call to a function that does not exist (or with unusable arguments) is refused here, yet stays part of the
  step, as BFCL's executor keeps it (it answers ``Error during execution``): see ``safe_call.refused_call``;
- a message with a call that cannot be decoded (bad JSON, arguments not an object) runs nothing and ends the
  turn, as BFCL's ``decode_execute`` failure does; so do a message with no call, an empty one and an unusable one;
- more than ``max_steps_per_turn`` (BFCL's 20) executed steps in one turn force-quit the episode;
- a held-out turn (``miss_func``) adds its functions and posts BFCL's own user line;
- after the last turn the reward is BFCL's multi-turn checker verdict on the recorded steps, 1.0 or 0.0.

Like BFCL, any public method of the entry's API classes may be called, offered or not, unless
``only_offered_functions=True``. Agent text never reaches BFCL's ``eval`` (see ``safe_call``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bfcl_eval.constants.default_prompts import (
    DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC,
    MAXIMUM_STEP_LIMIT,
)

from ..parsing import ParsedAction, ParsedCall
from ..prompts import tools_block
from ..task import ToolSpec
from ..text_env import TextToolEnv
from .checker import check
from .data import BFCLEntry, load_category, normalize_category
from .prompt import DEFAULT_SYSTEM_PROMPT
from .safe_call import UnsafeCall, build_call, refused_call
from .schemas import tool_of
from .world import World

MAX_TEXT = 50_000_000  # long_context tool outputs are large; the space must hold any of them
NO_LIMIT = 10**12  # BFCL has no context or output limit; the model's own context is the limit
CHECKER_ITEM = "bfcl_multi_turn_checker"
UNDECODABLE = ("A tool call in your message could not be decoded, so none of its calls ran and your turn is over "
               "(as in BFCL).")


@lru_cache(maxsize=None)
def _method_spec(name: str) -> ToolSpec:
    """What the env validates before a BFCL method runs: BFCL checks no argument schema (its executor reports
    what goes wrong), so only "the arguments are an object"."""
    return ToolSpec(name=name, description=name, parameters={"type": "object"}, output_description="result")


class BFCLEnv(TextToolEnv):
    def __init__(self, category: str = "base", task_ids: list[str] | None = None,
                 max_steps_per_turn: int = MAXIMUM_STEP_LIMIT, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
                 only_offered_functions: bool = False, max_action_chars: int = 1_000_000,
                 render_mode: str | None = None):
        self.category = normalize_category(category)
        entries = load_category(self.category)
        if task_ids is not None:
            known = {e.id for e in entries}
            missing = [t for t in task_ids if t not in known]
            if missing:
                raise KeyError(f"no BFCL entries {missing} in category {self.category!r}")
            entries = tuple(e for e in entries if e.id in set(task_ids))
        super().__init__(entries, max_turns=NO_LIMIT, max_context_chars=NO_LIMIT,  # type: ignore[arg-type]
                         max_tool_output_chars=NO_LIMIT, max_action_chars=max_action_chars,
                         max_call_chars=max_action_chars, shuffle_tools=False,  # BFCL's order, as BFCL shows it
                         observation_chars=MAX_TEXT, render_mode=render_mode)
        self.max_steps_per_turn = max_steps_per_turn
        self.system_prompt = system_prompt
        # BFCL's executor runs any public method of the entry's API classes, offered or not (one ground truth,
        # miss_func_49, calls a held-out function); True refuses functions the agent has not been shown.
        self.only_offered_functions = only_offered_functions
        self._world: World | None = None

    @property
    def task_ids(self) -> list[str]:
        return [e.id for e in self.tasks]

    @property
    def entry(self) -> BFCLEntry | None:
        return self.task  # type: ignore[return-value]

    # ---- the episode's opening ----

    def _system_prompt(self, task: Any) -> str:
        return self.system_prompt or ""

    def _opening(self, task: Any, system: str) -> list[dict[str, Any]]:
        entry: BFCLEntry = task
        self._user_turn, self._turn_steps, self._ran_calls = 0, 0, False
        self._record: list[list[list[str]]] = [[]]  # per turn, per step: the call strings BFCL's harness records
        return [*([{"role": "system", "content": system}] if system else []), *(dict(m) for m in entry.turns[0])]

    def _tools(self, task: Any) -> list[ToolSpec]:
        return [tool_of(doc) for doc in task.functions]

    def _prepare(self, task: Any) -> None:
        self._close_world()
        self._world = World(task)

    def _info(self) -> dict[str, Any]:
        info = super()._info()
        entry = self.entry
        assert entry is not None
        info.update(category=entry.category, user_turn=self._user_turn, num_user_turns=len(entry.turns),
                    step_in_turn=self._turn_steps)
        return info

    # ---- calls ----

    def _allowed(self) -> dict[str, str]:
        """Method name -> the executor global it runs on, for the names the agent may call."""
        assert self._world is not None
        instances = self._world.instance_names()
        if not self.only_offered_functions:
            return instances
        return {n: g for n, g in instances.items() if n in self._tool_specs}

    def _lookup(self, name: str) -> ToolSpec | None:
        return _method_spec(name) if name in self._allowed() else None

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        assert self._world is not None
        [response] = self._world.execute([build_call(tool.name, arguments, self._allowed())])
        return response, "bfcl"

    def _run_calls(self, parsed: ParsedAction) -> None:
        assert self.episode is not None
        self._ran_calls = bool(parsed.tool_calls)
        if not parsed.tool_calls:
            return
        if any(c.error is not None for c in parsed.tool_calls):  # BFCL's decode_execute fails: nothing runs
            for c in parsed.tool_calls:
                self.episode.stats["tool_calls"] += 1
                self._tool_error(c, "malformed" if c.error else "not_run",
                                 c.error or "not run: another call in this message could not be decoded")
            self._notice(UNDECODABLE)
            return self._close_turn(None)
        step = [self._run_one(call) for call in parsed.tool_calls if not self._done]
        if self._done:
            return
        self._record[self._user_turn].append(step)
        self.episode.add("bfcl_step", user_turn=self._user_turn, step=self._turn_steps, calls=list(step))
        self._turn_steps += 1
        if self._turn_steps > self.max_steps_per_turn:
            self._notice(f"Forced to quit after {self.max_steps_per_turn} steps in one turn.")
            self._end("step_limit", terminated=True)

    def _run_one(self, call: ParsedCall) -> str:
        """Run one decoded call; the string the checker will replay for it (a stand-in when refused)."""
        assert self.episode is not None
        source = None
        if self._lookup(call.name or "") is not None:
            try:
                source = build_call(call.name, call.arguments, self._allowed())
            except UnsafeCall as err:
                self.episode.stats["tool_calls"] += 1
                self._tool_error(call, "invalid_arguments", str(err))
                return refused_call(call.name, "invalid arguments")
        self._run_call(call)
        event = self.episode.last("tool_call")
        assert event is not None
        if event["source"] == "bfcl" and source is not None:
            return source
        return refused_call(call.name, event["error_kind"] or "refused")

    # ---- turns ----

    def _talk(self, text: str) -> None:
        self._close_turn(text)

    def _on_answer(self, answer: str) -> None:
        if not self._ran_calls:  # BFCL has no answer: a message without calls ends the turn
            self._close_turn(answer)

    def _format_error(self, error: str) -> None:
        super()._format_error(error)
        self._close_turn(None)  # an undecodable message ends the turn in BFCL: never free

    def _close_turn(self, message: str | None) -> None:
        """The agent's turn is over: post the next user turn (adding held-out functions first), or finish."""
        assert self.episode is not None and self.entry is not None
        self.episode.stats["user_turns"] += 1
        nxt = self._user_turn + 1
        if nxt >= len(self.entry.turns):
            self._notice("The conversation is over.")
            return self._end("conversation_end", terminated=True)
        self._user_turn, self._turn_steps = nxt, 0
        self._record.append([])
        messages = [dict(m) for m in self.entry.turns[nxt]]
        added = [tool_of(doc) for doc in self.entry.holdouts.get(nxt, [])]
        if added:
            self._tool_specs = {**self._tool_specs, **{t.name: t for t in added}}
            self._tool_schemas = self._tool_schemas + [t.openai_schema() for t in added]
            self.episode.add("functions_added", user_turn=nxt, names=[t.name for t in added])
            self._notice(tools_block([t.openai_schema() for t in added]).replace("# Tools", "# New tools", 1))
            messages = [{"role": "user", "content": DEFAULT_USER_PROMPT_FOR_ADDITIONAL_FUNCTION_FC}]
        for i, m in enumerate(messages):
            self.episode.add("user", message=message if i == 0 else None, reply=m.get("content", ""), stop=False,
                             asked_facts=[], user_turn=nxt)

    # ---- score ----

    def _score(self) -> tuple[float, dict[str, Any]]:
        entry = self.entry
        assert entry is not None
        verdict = check(entry, self._record)
        self._close_world()
        reward = 1.0 if verdict["valid"] else 0.0
        reason = verdict["error_message"] or "state and execution results match the ground truth after every turn"
        return reward, {
            "reward": reward, "benchmark": "bfcl_v4_multi_turn", "category": entry.category, "task_id": entry.id,
            **verdict, "calls": [[list(step) for step in turn] for turn in self._record],
            "items": [{"id": CHECKER_ITEM, "section": "sub_goal", "passed": verdict["valid"], "reason": reason,
                       "description": "BFCL multi-turn checker: state and responses match the ground truth",
                       "decided_by": "bfcl_eval"}],
        }

    # ---- plumbing ----

    def _close_world(self) -> None:
        if self._world is not None:
            self._world.close()
            self._world = None

    def close(self) -> None:
        self._close_world()
        super().close()


__all__ = ["BFCLEnv", "load_category"]
