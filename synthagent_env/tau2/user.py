"""τ²'s user simulator with any of our LLM backends as its model.

The prompt (τ²'s simulation guidelines and the task's user scenario), the role flipping and the message format
are τ²'s own (``UserSimulator.get_init_state``, ``UserState.flip_roles``, ``to_litellm_messages``); only the
model call goes through our ``LLMClient`` instead of litellm, so retries, deadlines and errors are ours. For
telecom the user has its own tools (the phone); τ² offers them to the model as OpenAI tools with
``tool_choice="auto"``, and so does this.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from tau2.config import DEFAULT_LLM_ARGS_USER
from tau2.data_model.message import Message, ToolCall, UserMessage
from tau2.data_model.tasks import Task
from tau2.environment.environment import Environment
from tau2.user.user_simulator import UserSimulator
from tau2.utils.llm_utils import to_litellm_messages

from ..llm import LLMClient
from .backend import user_tools

DEFAULT_SAMPLING: dict[str, Any] = dict(DEFAULT_LLM_ARGS_USER)  # τ²'s: temperature 0.0


class UserReplyError(RuntimeError):
    """The user model's reply is unusable (empty, or a tool call whose arguments are not a JSON object)."""


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    """A litellm-style message as a plain OpenAI message: no null ``tool_calls``, no litellm-only keys."""
    out = {k: v for k, v in message.items() if not (k == "tool_calls" and v is None)}
    if out.get("tool_calls"):
        out["tool_calls"] = [{k: v for k, v in c.items() if k != "name"} for c in out["tool_calls"]]
    return out


def _user_call(raw: dict[str, Any]) -> ToolCall:
    fn = raw.get("function", raw) if isinstance(raw, dict) else {}
    arguments = fn.get("arguments") if isinstance(fn, dict) else None
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError as err:
            raise UserReplyError(f"the user model's tool call arguments are not JSON: {err}") from None
    name = fn.get("name") if isinstance(fn, dict) else None
    if not isinstance(name, str) or not isinstance(arguments, dict):
        raise UserReplyError("the user model's tool call has no name or its arguments are not an object")
    call_id = raw.get("id") or f"user_call_{uuid.uuid4().hex[:12]}"
    return ToolCall(id=call_id, name=name, arguments=arguments, requestor="user")


class Tau2User:
    """One episode's user: τ²'s ``UserSimulator`` for the prompt, our client for the model."""

    def __init__(self, client: LLMClient, task: Task, environment: Environment,
                 sampling: dict[str, Any] | None = None):
        self.client = client
        self.tools = user_tools(environment)
        self.simulator = UserSimulator(tools=self.tools, instructions=str(task.user_scenario), llm="synthagent")
        self.sampling = dict(DEFAULT_SAMPLING if sampling is None else sampling)
        self.tool_schemas = [t.openai_schema for t in self.tools] if self.tools else None

    def request(self, history: list[Message]) -> list[dict[str, Any]]:
        """The chat messages τ²'s user simulator would send for this history (its view, roles flipped)."""
        state = self.simulator.get_init_state(message_history=list(history))
        return [_clean(m) for m in to_litellm_messages(state.system_messages + state.flip_roles())]

    def next_message(self, history: list[Message]) -> UserMessage:
        """The user's next message: text, or a message of tool calls (requestor ``user``)."""
        tools = {"tools": self.tool_schemas, "tool_choice": "auto"} if self.tool_schemas else {}
        completion = self.client.chat(self.request(history), **tools, **self.sampling)
        calls = [_user_call(c) for c in completion.tool_calls]
        text = completion.text
        if not calls and not (text or "").strip():
            raise UserReplyError("the user model answered with neither text nor a tool call")
        return UserMessage(role="user", content=text if text else None, tool_calls=calls or None)
