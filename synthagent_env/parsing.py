"""Turn an agent's action (text or an OpenAI assistant message) into tool calls, user text and an answer.

One parser for the env and for agents that read model output: Hermes ``<tool_call>{json}</tool_call>``
blocks (several per turn), OpenAI ``tool_calls``, a bare JSON ``{"name", "arguments"}`` message,
``<answer>...</answer>`` to finish, and ``<think>...</think>`` reasoning that nobody else sees.
Nothing here raises on bad input: problems come back as ``error`` fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_TOOL_CALL = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_ANSWER = re.compile(r"<answer>(.*?)(?:</answer>|\Z)", re.DOTALL)
_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_CLOSE_THINK = re.compile(r"</think>", re.IGNORECASE)
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


@dataclass
class ParsedCall:
    """One tool call; ``error`` says why it cannot run (then ``arguments`` may be None)."""

    id: str
    name: str | None
    arguments: dict[str, Any] | None
    error: str | None = None
    arguments_json: str | None = None  # the arguments as JSON text (sizes and transcripts need no second dump)


@dataclass
class ParsedAction:
    text: str  # what the user would see: the content minus tool calls, answer and reasoning
    tool_calls: list[ParsedCall] = field(default_factory=list)
    answer: str | None = None
    error: str | None = None  # the action as a whole was unusable
    content: str = ""  # the original content, for the transcript


def strip_reasoning(text: str) -> str:
    """Text without its reasoning: ``<think>...</think>`` blocks, everything before a lone ``</think>`` (the chat
    template opened the block), and an unfinished ``<think>`` to the end. The one rule for the env, the
    simulators and the agents."""
    text = _THINK_BLOCK.sub("", text)
    if _CLOSE_THINK.search(text):
        text = _CLOSE_THINK.split(text)[-1]
    lowered = text.lower()
    if "<think>" in lowered:  # opened and never closed: the rest is unfinished reasoning
        text = text[: lowered.index("<think>")]
    return text.strip()


def hermes_block(name: str, arguments: Any) -> str:
    """One tool call written as a Hermes ``<tool_call>`` block (the inverse of what ``parse_text`` reads)."""
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments}, ensure_ascii=False)}</tool_call>"


def _why(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at char {err.pos}"
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return str(err)


def _call_from_obj(obj: Any, call_id: str) -> ParsedCall:
    if not isinstance(obj, dict):
        return ParsedCall(call_id, None, None, "a tool call must be a JSON object with 'name' and 'arguments'")
    name = obj.get("name")
    if not isinstance(name, str) or not name:
        return ParsedCall(call_id, None, None, "tool call has no 'name' string")
    args = obj.get("arguments", obj.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except (ValueError, RecursionError) as err:
            return ParsedCall(call_id, name, None, f"arguments of {name!r} are not valid JSON: {_why(err)}")
    if args is None:
        args = {}
    if not isinstance(args, dict):
        return ParsedCall(call_id, name, None, f"arguments of {name!r} must be a JSON object")
    try:  # a dict action may hold any Python object; a JSON escape may hold a lone surrogate
        text = json.dumps(args, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as err:
        why = "text that is not valid Unicode" if isinstance(err, UnicodeEncodeError) else _why(err)
        return ParsedCall(call_id, name, None, f"arguments of {name!r} are not plain JSON: {why}")
    return ParsedCall(call_id, name, args, arguments_json=text)


def _call_from_text(body: str, call_id: str) -> ParsedCall:
    body = body.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, huge integers, absurd nesting
        return ParsedCall(call_id, None, None, f"malformed tool call JSON: {_why(err)}")
    return _call_from_obj(obj, call_id)


def _bare_json_call(text: str) -> dict | None:
    """A whole message that is just ``{"name": ..., "arguments": ...}`` (some models skip the tags)."""
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    if not (body.startswith("{") and body.endswith("}")):
        return None
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, dict) and "name" in obj and "arguments" in obj else None


def parse_text(content: str, id_prefix: str = "call") -> ParsedAction:
    visible = strip_reasoning(content)
    calls = [_call_from_text(m.group(1), f"{id_prefix}_{i}") for i, m in enumerate(_TOOL_CALL.finditer(visible))]
    outside_calls = _TOOL_CALL.sub("", visible)  # an <answer> inside a call's JSON is data, not the final answer
    answer_match = _ANSWER.search(outside_calls)
    answer = answer_match.group(1).strip() if answer_match else None
    text = _ANSWER.sub("", outside_calls).strip()
    if not calls and answer is None:
        bare = _bare_json_call(text)
        if bare is not None:
            calls, text = [_call_from_obj(bare, f"{id_prefix}_0")], ""
    return ParsedAction(text=text, tool_calls=calls, answer=answer, content=content)


def parse_action(action: Any, id_prefix: str = "call") -> ParsedAction:
    """Parse text or an OpenAI-style assistant message dict ``{"content", "tool_calls"}``."""
    if isinstance(action, str):
        return parse_text(action, id_prefix)
    if isinstance(action, dict):
        content = action.get("content")
        if content is None:
            content = ""
        if not isinstance(content, str):
            return ParsedAction(text="", error=f"'content' must be a string or null, not {_type_name(content)}",
                                content=f"[{_type_name(content)}]")
        parsed = parse_text(content, id_prefix)
        raw_calls = action.get("tool_calls") or []
        if not isinstance(raw_calls, list):
            parsed.error = "'tool_calls' must be a list"
            return parsed
        offset = len(parsed.tool_calls)
        for i, raw in enumerate(raw_calls):
            call_id = f"{id_prefix}_{offset + i}"
            if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
                call_id = raw["id"]
            fn = raw.get("function", raw) if isinstance(raw, dict) else raw
            parsed.tool_calls.append(_call_from_obj(fn, call_id))
        return parsed
    return ParsedAction(text="", error=f"an action must be a string or an assistant message dict, not {_type_name(action)}",
                        content=f"[{_type_name(action)}]")


def _type_name(value: Any) -> str:
    """A name for any object, even one whose class misbehaves (nothing of the object itself is called)."""
    name = getattr(type(value), "__name__", None)
    return name if isinstance(name, str) else "object"
