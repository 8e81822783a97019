"""One episode as one event log; every other view of the conversation is a function of it.

Events (plain dicts, so ``info`` stays JSON) in the order they happened:

- ``assistant``: ``content`` (what the agent wrote) and ``tool_calls`` (the parsed calls, OpenAI shape);
- ``tool_call``: ``id, name, arguments, status ("ok" | "error"), error_kind, error, response, source``;
- ``user``: ``message`` (the agent's text the user answered), ``reply``, ``stop``, ``asked_facts``;
- ``answer``: ``content``; ``format_error``: ``error``; ``notice``: ``content`` (what the env tells the agent).

``info["trajectory"]`` is the log, ``info["messages"]`` (what chat agents read) is derived event by event, and
the simulated user's view (``user_view``) is derived from the same events: there is no second transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STAT_KEYS = (
    "tool_calls", "tool_errors", "user_turns", "format_errors", "simulator_failures",
    "mapping_hits", "simulator_calls",
)


def messages_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The chat messages one event adds to the agent's view."""
    kind = event["type"]
    if kind == "assistant":
        return [{"role": "assistant", "content": event["content"],
                 **({"tool_calls": event["tool_calls"]} if event["tool_calls"] else {})}]
    if kind == "tool_call":
        content = event["response"] if event["response"] is not None else f"Error: {event['error']}"
        return [{"role": "tool", "tool_call_id": event["id"], "name": event["name"] or "", "content": content}]
    if kind == "user":
        return [{"role": "user", "content": event["reply"]}]
    if kind == "format_error":
        return [{"role": "user", "content": f"[environment] Error: {event['error']}"}]
    if kind == "notice":
        return [{"role": "user", "content": f"[environment] {event['content']}"}]
    return []


@dataclass
class EpisodeRecord:
    task_id: str
    opening: list[dict[str, Any]]  # the system message and the opening user message(s)
    events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))
    turn: int = 0
    context_chars: int = 0
    end_reason: str | None = None
    failure: str | None = None

    def __post_init__(self) -> None:
        self.messages = [dict(m) for m in self.opening]
        self.context_chars = sum(len(m.get("content") or "") for m in self.opening)

    def add(self, kind: str, **fields: Any) -> dict[str, Any]:
        event = {"type": kind, "turn": self.turn, **fields}
        self.events.append(event)
        for message in messages_of(event):
            self.messages.append(message)
            self.context_chars += len(message.get("content") or "")
        return event

    def user_view(self) -> list[dict[str, str]]:
        """The conversation as the simulated user sees it: its own request and the agent's plain messages."""
        opening = [{"role": "user", "content": m["content"]} for m in self.opening if m["role"] == "user"]
        turns = [m for e in self.events if e["type"] == "user" and e.get("message") is not None
                 for m in ({"role": "assistant", "content": e["message"]}, {"role": "user", "content": e["reply"]})]
        return opening + turns

    def last(self, kind: str) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e["type"] == kind), None)

    def info(self, tools: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "turn": self.turn,
            "tools": tools,
            "messages": list(self.messages),
            "trajectory": list(self.events),
            "stats": dict(self.stats),
            "end_reason": self.end_reason,
            "failure": self.failure,
        }
