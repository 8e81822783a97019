"""``synthagent/Tau2-v0``: one τ²-bench task per episode, on τ²'s own domain tools, user simulator and evaluator.

The loop is ``text_env.TextToolEnv``'s; this module says what τ²'s harness does at each hook
(``tau2.orchestrator.Orchestrator`` with its ``LLMAgent`` and ``UserSimulator``):

- the agent sees τ²'s agent system prompt (instructions and the domain policy), the domain's tools as τ²'s
  OpenAI schemas in τ²'s order, τ²'s greeting ("Hi! How can I help you today?") as its own first message, and
  the user's messages; never the user's own tool calls;
- every call of the agent runs on this episode's τ² environment (a fresh copy of the domain's databases, set to
  the task's initial state) and is answered as τ² answers it, errors included (``Error: ...``); a call to an
  unknown tool is τ²'s error too. Calls the env refuses before τ² sees them (malformed, oversized, over the
  per-turn limit, and exponentiation in ``calculate``, which can hang τ²'s ``eval``) are not in τ²'s trajectory;
- text (and an ``<answer>``, which τ² does not have: it is said to the user) goes to τ²'s user simulator, which
  may use its own tools first (telecom) and ends the episode with ``###STOP###``, ``###TRANSFER###`` or
  ``###OUT-OF-SCOPE###``;
- ``max_steps`` and ``max_errors`` count τ²'s steps (messages and tool-response batches) and tool errors and end
  the episode where τ²'s orchestrator does; a user model that fails ends it as ``simulator_failure``;
- the reward is τ²'s evaluator on the τ² trajectory rebuilt from the event log (``reward``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tau2.agent.llm_agent import AGENT_INSTRUCTION, SYSTEM_PROMPT
from tau2.config import DEFAULT_MAX_ERRORS, DEFAULT_MAX_STEPS
from tau2.data_model.message import AssistantMessage, ToolCall
from tau2.data_model.simulation import TerminationReason
from tau2.user.user_simulator import UserSimulator

from ..llm import LLMClient, make_client
from ..parsing import ParsedAction
from ..task import ToolSpec
from ..text_env import TextToolEnv
from . import reward
from .backend import DEFAULT_SPLIT, load_tasks, new_environment, registry
from .messages import GREETING, simulation_messages, user_call_record, user_history
from .user import Tau2User

NO_LIMIT = 10**12  # τ² truncates nothing and has no context limit; its evaluator replays the full responses
REFUSED_POWER = "Error: exponentiation (**) is not supported by this environment"
TERMINATIONS = {"user_stop": TerminationReason.USER_STOP, "max_steps": TerminationReason.MAX_STEPS,
                "too_many_errors": TerminationReason.TOO_MANY_ERRORS,
                "simulator_failure": TerminationReason.USER_ERROR}


class UserFailure(RuntimeError):
    end_reason = "simulator_failure"


class UserStoppedAtOnce(RuntimeError):
    end_reason = "user_stop"


@cache
def domain_face(domain: str) -> tuple[str, tuple[ToolSpec, ...]]:
    """What τ²'s ``LLMAgent`` is given for a domain: its system prompt and its tools (τ²'s order and schemas)."""
    environment = registry.get_env_constructor(domain)()
    system = SYSTEM_PROMPT.format(domain_policy=environment.get_policy(), agent_instruction=AGENT_INSTRUCTION)
    tools = tuple(ToolSpec(name=s["function"]["name"], description=s["function"].get("description") or s["function"]["name"],
                           parameters=s["function"]["parameters"], output_description="τ²'s tool result")
                  for s in (t.openai_schema for t in environment.get_tools()))
    return system, tools


class Tau2Env(TextToolEnv):
    def __init__(self, domain: str = "airline", task_split: str | None = DEFAULT_SPLIT,
                 task_ids: list[str] | None = None, user: Any = None, user_sampling: dict[str, Any] | None = None,
                 judge: Any = None, max_steps: int = DEFAULT_MAX_STEPS, max_errors: int = DEFAULT_MAX_ERRORS,
                 max_turns: int | None = None, render_mode: str | None = None, **limits: Any):
        """``user``: the user simulator's model, anything ``make_client`` takes (a URL, a model folder, a dict,
        a client); ``judge``: the same, for natural-language assertions (optional). ``limits``:
        ``max_action_chars``, ``max_call_chars`` (see ``TextToolEnv``). ``max_turns`` (agent messages) defaults
        to ``max_steps``: every agent message is at least one τ² step."""
        if user is None:
            raise ValueError("Tau2-v0 needs a model for τ²'s user simulator: user='http://127.0.0.1:8000/v1' "
                             "(an OpenAI-compatible server), a model folder, a dict or an LLMClient")
        if max_steps <= 0 or max_errors <= 0:
            raise ValueError("max_steps and max_errors must be positive (as in τ²)")
        self.domain = domain
        self.task_split = task_split
        super().__init__(load_tasks(domain, task_split, task_ids), max_turns=max_turns or max_steps,  # type: ignore[arg-type]
                         max_context_chars=NO_LIMIT, max_tool_output_chars=NO_LIMIT, shuffle_tools=False,
                         observation_chars=50_000_000, render_mode=render_mode, **limits)
        self.max_steps, self.max_errors = max_steps, max_errors
        self.user_sampling = user_sampling
        self._user_spec, self._owns_user = user, not isinstance(user, LLMClient)
        self._judge_spec, self._owns_judge = judge, judge is not None and not isinstance(judge, LLMClient)
        self._clients()
        self._environment: Any = None
        self._user: Tau2User | None = None

    def _clients(self) -> None:
        self.user_client = make_client(self._user_spec, role="simulator")
        self.judge_client = make_client(self._judge_spec, role="judge") if self._judge_spec is not None else None

    @property
    def task_ids(self) -> list[str]:
        return [t.id for t in self.tasks]

    # ---- the episode's opening ----

    def _system_prompt(self, task: Any) -> str:
        return domain_face(self.domain)[0]

    def _opening(self, task: Any, system: str) -> list[dict[str, Any]]:
        self._steps = self._errors = 0
        return [{"role": "system", "content": system}, {"role": "assistant", "content": GREETING}]

    def _tools(self, task: Any) -> list[ToolSpec]:
        return list(domain_face(self.domain)[1])

    def _prepare(self, task: Any) -> None:
        self._environment = new_environment(self.domain, task)
        self._user = Tau2User(self.user_client, task, self._environment, self.user_sampling)
        self._user_turn(GREETING)  # τ²: the user speaks first, answering the greeting
        if self._done:
            assert self.episode is not None
            self._done = False  # the base loop ends it at the first step, with this reason
            raise (UserStoppedAtOnce if self.episode.end_reason == "user_stop" else UserFailure)(
                self.episode.failure or f"the episode ended before the agent spoke: {self.episode.end_reason}")

    def _info(self) -> dict[str, Any]:
        info = super()._info()
        info.update(domain=self.domain, tau2_steps=getattr(self, "_steps", 0), tau2_errors=getattr(self, "_errors", 0))
        return info

    # ---- the agent's calls ----

    def _lookup(self, name: str) -> ToolSpec | None:
        """Any name reaches τ², which answers an unknown one with its own error; shown tools keep their schema."""
        return self._tool_specs.get(name) or _any_tool(name)

    def _validator(self, tool: ToolSpec) -> Any:  # τ² checks no schema: its tools report what is wrong
        return _PERMISSIVE

    def _execute(self, tool: ToolSpec, arguments: dict[str, Any]) -> tuple[str, str]:
        assert self._environment is not None and self.episode is not None
        if tool.name == "calculate" and "**" in str(arguments.get("expression", "")):
            return REFUSED_POWER, "refused"
        response = self._environment.get_response(
            ToolCall(id="call", name=tool.name, arguments=arguments, requestor="assistant"))
        if response.error:
            self._errors += 1
            self.episode.stats["tool_errors"] += 1
        return response.content or "", "tau2_error" if response.error else "tau2"

    def _run_calls(self, parsed: ParsedAction) -> None:
        assert self.episode is not None
        start = len(self.episode.events)
        super()._run_calls(parsed)
        self._steps += 1  # the agent's message
        ran = any(e["type"] == "tool_call" and e.get("source") in ("tau2", "tau2_error")
                  for e in self.episode.events[start:])
        if ran and not self._done:
            self._steps += 1  # τ²'s answer to the calls, back to the agent
            self._environment.sync_tools()
            self._limit_reached()

    # ---- the user ----

    def _talk(self, text: str) -> None:
        assert self.episode is not None
        self.episode.stats["user_turns"] += 1
        if not self._limit_reached():
            self._user_turn(text)

    def _on_answer(self, answer: str) -> None:
        self._talk(answer)  # τ² has no final answer: the agent's last words are said to the user

    def _user_turn(self, said: str) -> None:
        """τ²'s user answers ``said``: its own tool calls first (each batch answered by τ²), then text."""
        assert self.episode is not None and self._user is not None
        history = [*user_history(self._events), AssistantMessage(role="assistant", content=said)]
        message: str | None = said
        while True:
            try:
                reply = self._user.next_message(history)
            except Exception as err:  # noqa: BLE001  (a dead server or an unusable reply must not crash a run)
                self._simulator_failed("user simulator failed", err)
                self._notice("The user is unavailable right now.")
                return self._end("simulator_failure", terminated=False)
            self._steps += 1
            if not reply.is_tool_call():
                stop = UserSimulator.is_stop(reply)
                self.episode.add("user", message=message, reply=reply.content, stop=stop, asked_facts=[])
                self._environment.sync_tools()
                if not self._limit_reached() and stop:
                    self._end("user_stop", terminated=True)
                return
            responses = [self._environment.get_response(call) for call in reply.tool_calls]
            self._errors += sum(r.error for r in responses)
            self.episode.add("user_tool_calls", message=message, content=reply.content,
                             calls=[user_call_record(c, r) for c, r in zip(reply.tool_calls, responses)])
            message = None
            self._steps += 1
            self._environment.sync_tools()
            history += [reply, *responses]
            if self._limit_reached():
                return

    def _limit_reached(self) -> bool:
        """τ²'s checks after a step whose message is not for the environment (the later one wins, as there)."""
        reason = None
        if self._steps >= self.max_steps:
            reason = "max_steps"
        if self._errors >= self.max_errors:
            reason = "too_many_errors"
        if reason is not None:
            self._end(reason, terminated=reason == "too_many_errors")
        return reason is not None

    # ---- score ----

    def tau2_messages(self) -> list[Any]:
        """This episode as τ²'s trajectory (``tau2.data_model.message`` objects), greeting first."""
        return simulation_messages(self._events)

    def _score(self) -> tuple[float, dict[str, Any]]:
        assert self.task is not None and self.episode is not None
        termination = TERMINATIONS.get(self.episode.end_reason or "", TerminationReason.AGENT_ERROR)
        return reward.score(self.domain, self.task, self.tau2_messages(), termination, self.judge_client)

    # ---- lifetime ----

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["_environment"] = state["_user"] = None  # an episode in flight does not travel
        if self._owns_user:
            state["user_client"] = None
        if self._owns_judge:
            state["judge_client"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self._owns_user:
            self.user_client = make_client(self._user_spec, role="simulator")
        if self._owns_judge:
            self.judge_client = make_client(self._judge_spec, role="judge")

    def close(self) -> None:
        for owned, client in ((self._owns_user, self.user_client), (self._owns_judge, self.judge_client)):
            if owned and client is not None:
                client.close()
        self._environment = self._user = None
        super().close()


class _Permissive:
    """A validator that finds nothing wrong: τ²'s tools are called with whatever arguments the agent sent."""

    def iter_errors(self, instance: Any) -> list[Any]:
        return []


_PERMISSIVE = _Permissive()


def _any_tool(name: str) -> ToolSpec:
    """A name the agent was not shown, passed on unvalidated: τ² answers it (``Error: Tool '...' not found.``)."""
    return ToolSpec.model_construct(name=name, description=name, parameters={"type": "object"},
                                    output_description="τ²'s tool result", output_schema=None, distractor=False)
