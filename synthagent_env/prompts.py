"""What the agent is told: the system prompt (policy and output rules) and the text rendering of messages."""

from __future__ import annotations

import json
from typing import Any

from .task import Task

OUTPUT_RULES = """Each message you write is exactly one of:
- one or more tool calls, each as <tool_call>{"name": "<tool name>", "arguments": {<JSON object>}}</tool_call>;
- a plain-text message to the user, e.g. a question about a detail you need;
- your final reply, <answer>your final message to the user</answer>, which ends the conversation.
Some details you need are known only to the user: ask for them instead of guessing."""


def system_prompt(task: Task) -> str:
    """The system message (tools travel separately, as OpenAI ``tools`` or in the text observation)."""
    policy = "\n".join(f"- {rule}" for rule in task.policy) or "- (none)"
    return (
        "You are an assistant that completes the user's request by talking with the user and calling tools.\n\n"
        f"# Policy\n{policy}\n\n# How to reply\n{OUTPUT_RULES}"
    )


def tools_block(tools: list[dict[str, Any]]) -> str:
    lines = "\n".join(json.dumps(t, ensure_ascii=False) for t in tools)
    return f"# Tools\n<tools>\n{lines}\n</tools>"


def render_message(message: dict[str, Any]) -> str:
    """One message as plain text, for agents that read the text observation instead of ``info['messages']``."""
    role = message["role"]
    if role == "tool":
        return f'<tool_response name="{message.get("name", "")}">\n{message["content"]}\n</tool_response>'
    if role == "user":
        return f"User: {message['content']}"
    return str(message.get("content") or "")
