"""Gold replay: a task's gold actions played through the env, and a scripted user that does the user's part.

``gold_plan(task)`` is the agent's script: each gold action of the agent as one tool-call message, each run of
the user's gold actions (telecom: things done on the phone) as one message asking the user to do them, then one
closing message that says the task's ``communicate_info``. ``GoldUser`` is a reply function for a loopback
OpenAI-compatible server (``LLMTestServer(reply=GoldUser())``) standing in for the user's model: it does the
actions a message asks for with its own tools, and stops (``###STOP###``) at the closing message. Plans are
plain data, so a fidelity check can edit them (drop a write, change an argument) and play the same plan through
the env and through τ²'s own orchestrator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from tau2.data_model.tasks import Task

from ..agent import BaseAgent
from .backend import load_tasks

USER_ACTIONS_MARK = "Please do this on your side: "
CLOSING = "Thank you, that is all done. Anything else?"
OPENING_REQUEST = "Hi, I need some help, please."
DID_IT = "Done, I did that."


@dataclass(frozen=True)
class Step:
    """One agent message: a tool call (``name``, ``arguments``) or words to the user (``text``)."""

    kind: Literal["call", "say"]
    name: str = ""
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str = ""


def ask_user(actions: list[tuple[str, dict[str, Any]]]) -> Step:
    return Step("say", text=USER_ACTIONS_MARK + json.dumps([{"name": n, "arguments": a} for n, a in actions]))


def closing(task: Task) -> Step:
    criteria = task.evaluation_criteria
    infos = list(criteria.communicate_info or []) if criteria is not None else []
    return Step("say", text="\n".join([*infos, CLOSING]))


def gold_plan(task: Task) -> list[Step]:
    steps: list[Step] = []
    pending: list[tuple[str, dict[str, Any]]] = []
    criteria = task.evaluation_criteria
    for action in (criteria.actions or []) if criteria is not None else []:
        if action.requestor == "user":
            pending.append((action.name, dict(action.arguments)))
            continue
        if pending:
            steps.append(ask_user(pending))
            pending = []
        steps.append(Step("call", name=action.name, arguments=dict(action.arguments)))
    if pending:
        steps.append(ask_user(pending))
    return [*steps, closing(task)]


def step_message(step: Step, index: int) -> dict[str, Any]:
    """A step as an OpenAI-style assistant message (what an agent hands to ``env.step``)."""
    if step.kind == "say":
        return {"content": step.text}
    return {"content": None, "tool_calls": [{"id": f"gold_{index}", "type": "function",
                                             "function": {"name": step.name, "arguments": json.dumps(step.arguments)}}]}


class PlanAgent(BaseAgent):
    """Plays a fixed plan, one step per ``act``; when it runs out it repeats its last words."""

    def __init__(self, plan: list[Step]):
        self.plan = list(plan)
        self._next = 0

    def reset(self, info: dict[str, Any]) -> None:
        self._next = 0

    def act(self, observation: str, info: dict[str, Any]) -> dict[str, Any]:
        if self._next >= len(self.plan):
            return {"content": CLOSING}
        step, self._next = self.plan[self._next], self._next + 1
        return step_message(step, self._next - 1)


class GoldReplayAgent(PlanAgent):
    """``gold_plan`` of the episode's task (``info["domain"]``, ``info["task_id"]``), for ``synthagent/Tau2-v0``."""

    def __init__(self) -> None:
        super().__init__([])

    def reset(self, info: dict[str, Any]) -> None:
        [task] = load_tasks(info["domain"], None, [info["task_id"]])
        self.plan = gold_plan(task)
        self._next = 0


class GoldUser:
    """Loopback reply function playing τ²'s user: asks for help, does what the agent's message lists under
    ``USER_ACTIONS_MARK`` with its tools, says it did, and stops at ``CLOSING``."""

    def __call__(self, request: dict[str, Any]) -> str | dict[str, Any]:
        messages = request.get("messages") or []
        last = messages[-1] if messages else {}
        if last.get("role") == "tool":
            return DID_IT
        said = last.get("content") or ""
        if CLOSING in said:
            return "###STOP###"
        if USER_ACTIONS_MARK in said:
            actions = json.loads(said.split(USER_ACTIONS_MARK, 1)[1].splitlines()[0])
            return {"content": "", "tool_calls": [{"name": a["name"], "arguments": a["arguments"]} for a in actions]}
        return OPENING_REQUEST
