"""Our event log as τ²'s messages: the trajectory τ²'s evaluator scores and the history τ²'s user simulator reads.

Events of a Tau2-v0 episode (see ``env``): ``assistant`` (the agent's message), ``tool_call`` (one agent call;
``source`` is ``"tau2"`` or ``"tau2_error"`` when τ²'s environment ran it, anything else when the env refused
it before τ² saw it), ``user_tool_calls`` (one message of the user's own tool calls, telecom: ``content`` and
``calls`` with their responses) and ``user`` (the user's text ``reply``). The agent text a user turn answered is
the ``message`` of that turn's first event. Calls that never reached τ²'s environment are not part of τ²'s
trajectory, and neither is an agent message that did nothing in τ²'s world (only refused calls, no text to
the user).
"""

from __future__ import annotations

from typing import Any

from tau2.data_model.message import (
    AssistantMessage,
    Message,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from tau2.user.base import is_valid_user_history_message

from ..parsing import parse_action

GREETING = "Hi! How can I help you today?"  # τ²'s DEFAULT_FIRST_AGENT_MESSAGE: the agent's opening line
TAU2_SOURCES = {"tau2": False, "tau2_error": True}  # an event's source -> τ²'s ToolMessage.error


def said(content: str | None) -> str | None:
    """What an agent message says in words: its text without tool-call blocks and reasoning (an
    ``<answer>`` is said to the user too)."""
    parsed = parse_action(content or "")
    parts = [p for p in (parsed.text.strip(), (parsed.answer or "").strip()) if p]
    return "\n\n".join(parts) or None


def _call_pair(call: dict[str, Any], requestor: str) -> tuple[ToolCall, ToolMessage]:
    tc = ToolCall(id=call["id"], name=call["name"], arguments=call["arguments"], requestor=requestor)
    tm = ToolMessage(id=call["id"], role="tool", content=call["response"], requestor=requestor,
                     error=call["error"])
    return tc, tm


def simulation_messages(events: list[dict[str, Any]]) -> list[Message]:
    """τ²'s full trajectory of an episode, in order."""
    out: list[Message] = []
    pending: dict[str, Any] | None = None  # the agent message whose calls are being collected
    calls: list[dict[str, Any]] = []

    def flush() -> None:
        if pending is not None and calls:
            pairs = [_call_pair(c, "assistant") for c in calls]
            out.append(AssistantMessage(role="assistant", content=said(pending["content"]),
                                        tool_calls=[tc for tc, _ in pairs]))
            out.extend(tm for _, tm in pairs)

    for event in events:
        kind = event["type"]
        if kind == "assistant":
            flush()
            pending, calls = event, []
        elif kind == "tool_call" and event.get("source") in TAU2_SOURCES:
            calls.append({"id": event["id"], "name": event["name"], "arguments": event["arguments"],
                          "response": event["response"], "error": TAU2_SOURCES[event["source"]]})
        elif kind in ("user", "user_tool_calls"):
            flush()
            pending, calls = None, []
            if event.get("message") is not None:
                out.append(AssistantMessage(role="assistant", content=event["message"]))
            if kind == "user":
                out.append(UserMessage(role="user", content=event["reply"]))
            else:
                pairs = [_call_pair(c, "user") for c in event["calls"]]
                out.append(UserMessage(role="user", content=event["content"], tool_calls=[tc for tc, _ in pairs]))
                out.extend(tm for _, tm in pairs)
    flush()
    return out


def user_history(events: list[dict[str, Any]]) -> list[Message]:
    """What τ²'s user simulator holds: the agent's words to it, its own messages and its own tools' answers."""
    return [m for m in simulation_messages(events) if is_valid_user_history_message(m)]


def user_call_record(call: ToolCall, response: ToolMessage) -> dict[str, Any]:
    """One user tool call and τ²'s answer, as stored in a ``user_tool_calls`` event (plain JSON)."""
    return {"id": call.id, "name": call.name, "arguments": call.arguments, "response": response.content,
            "error": response.error}
