"""The env's message list in the shapes model back ends want, and model text back into an action.

The env records an assistant turn as ``{"content", "tool_calls"}`` where ``content`` is what the agent wrote
(for a text action it still holds the ``<tool_call>`` blocks) and ``tool_calls`` the parsed calls. Each back end
needs the calls exactly once: OpenAI chat wants them in ``tool_calls`` with JSON-string arguments, Hugging Face
chat templates want dict arguments, and a plain-text (Hermes) prompt wants them as ``<tool_call>`` blocks.
"""

from __future__ import annotations

import json
from typing import Any

from .agent import Action
from .parsing import hermes_block, parse_text
from .prompts import render_message, tools_block


def _content_without_calls(message: dict[str, Any]) -> str:
    """An assistant turn's content minus the call blocks it also carries in ``tool_calls`` (read by the env's
    own parser, so a call is never shown twice; reasoning goes too, the answer stays)."""
    content = message.get("content") or ""
    if not message.get("tool_calls"):
        return content
    parsed = parse_text(content)
    return parsed.text if parsed.answer is None else f"{parsed.text}\n<answer>{parsed.answer}</answer>".strip()


def _arguments_dict(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return raw
    return raw


def to_openai_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For an OpenAI-compatible ``/chat/completions`` call with ``tools=``."""
    out = []
    for m in messages:
        if m["role"] == "assistant" and m.get("tool_calls"):
            out.append({"role": "assistant", "content": _content_without_calls(m) or None,
                        "tool_calls": [dict(c) for c in m["tool_calls"]]})
        elif m["role"] == "tool":
            out.append({"role": "tool", "tool_call_id": m.get("tool_call_id", ""), "content": m["content"]})
        else:
            out.append({"role": m["role"], "content": m.get("content") or ""})
    return out


def to_template_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For ``tokenizer.apply_chat_template(messages, tools=...)`` (tool-call arguments as dicts)."""
    out = []
    for m in to_openai_messages(messages):
        if m.get("tool_calls"):
            calls = [{"type": "function", "id": c.get("id"), "function": {
                "name": c["function"]["name"], "arguments": _arguments_dict(c["function"].get("arguments"))}}
                for c in m["tool_calls"]]
            m = {"role": "assistant", "content": m["content"] or "", "tool_calls": calls}
        elif m["role"] == "tool":
            m = {"role": "tool", "content": m["content"]}
        out.append(m)
    return out


def to_text_messages(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plain system/user/assistant text (tools in the system prompt, calls as Hermes blocks, results as
    ``<tool_response>`` user turns), consecutive same-role turns merged, for endpoints used without ``tools=``."""
    out: list[dict[str, Any]] = []
    for m in messages:
        role = m["role"]
        if role == "system":
            text = f"{m['content']}\n\n{tools_block(tools)}" if tools else m["content"]
        elif role == "assistant":
            calls = [hermes_block(c["function"]["name"], _arguments_dict(c["function"].get("arguments")))
                     for c in m.get("tool_calls") or []]
            text = "\n".join(x for x in [_content_without_calls(m), *calls] if x)
        elif role == "tool":
            role, text = "user", render_message(m)
        else:
            text = m.get("content") or ""
        if out and out[-1]["role"] == role and role != "system":
            out[-1]["content"] += "\n\n" + text
        else:
            out.append({"role": role, "content": text})
    return out


def action_from_text(text: str, id_prefix: str) -> Action:
    """Model text as an OpenAI-style action, parsed by the env's own parser.

    Clean calls become ``tool_calls`` (so a bare-JSON or fenced call still runs); if any call is malformed the
    raw text is returned, so that the env answers with its exact parse error and the model can correct itself.
    """
    parsed = parse_text(text, id_prefix)
    if not parsed.tool_calls or any(c.error for c in parsed.tool_calls):
        return text
    content = parsed.text
    if parsed.answer is not None:
        content = f"{content}\n<answer>{parsed.answer}</answer>".strip()
    calls = [{"id": c.id, "type": "function",
              "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}}
             for c in parsed.tool_calls]
    return {"content": content, "tool_calls": calls}
