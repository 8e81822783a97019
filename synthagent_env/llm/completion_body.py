"""Reading an OpenAI chat-completion response: a usable ``Completion``, or why the body is a server failure.

A body is a failure (``LLMResponseError``, retried like a 5xx, never returned as content) when it is not JSON, has
a top-level ``error`` (some servers answer errors with HTTP 200), has no ``choices``, or holds no text and no
tool call once reasoning is stripped: an empty reply, or a thinking model that spent ``max_tokens`` on its
``<think>`` block. Reasoning is removed with ``parsing.strip_reasoning``, the one rule the env also uses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..parsing import strip_reasoning
from .base import Completion, LLMResponseError, Usage

# What servers say when the model's output, not the server, was the problem (vLLM, SGLang, llama.cpp, TGI).
_OUTPUT_FAILURE = re.compile(r"tool[ _]?call|pars(e|ing)|decod(e|ing)|JSONDecodeError|invalid json|grammar",
                             re.IGNORECASE)


def server_message(content: bytes) -> str:
    """The server's own words from an error body: ``error.message``, ``detail``, ``error``, else the text."""
    text = content.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:500]
    if isinstance(data, dict):
        error = data.get("error")
        for candidate in (error.get("message") if isinstance(error, dict) else error, data.get("detail"),
                          data.get("message")):
            if isinstance(candidate, str) and candidate.strip():
                return candidate.strip()[:500]
    return text.strip()[:500]


# What servers say when they, not this request, are in trouble (a 500 with these words is retried as a 503).
_SERVER_FAILURE = re.compile(r"engine.?dead|out of memory|\bOOM\b|overload|unavailable|shutting down|not ready|"
                             r"timed? ?out|connection", re.IGNORECASE)


def is_output_failure(status: int, message: str) -> bool:
    """A 5xx the request's own output caused: a 5xx whose message names a parse or tool-call failure, or a bare
    HTTP 500 (the server raised while handling this request, as ``transformers serve`` does for a malformed
    ``<tool_call>``) that does not say the server itself is in trouble (a dead engine, out of memory, overload).
    502/503/504 without parse words mean the server or its gateway is unavailable."""
    if status < 500:
        return False
    if _OUTPUT_FAILURE.search(message):
        return True
    return status == 500 and not _SERVER_FAILURE.search(message)


def _tool_call(raw: Any, index: int) -> dict[str, Any]:
    """One tool call in the OpenAI shape, with ``arguments`` as a JSON string (Ollama sends an object)."""
    if not isinstance(raw, dict):
        raise LLMResponseError("a tool call in the response is not an object")
    fn = raw.get("function") if isinstance(raw.get("function"), dict) else {}
    arguments = fn.get("arguments", "")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    call_id = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"call_{index}"
    return {"id": call_id, "type": "function", "function": {"name": str(fn.get("name") or ""), "arguments": arguments}}


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    if content is None:
        return ""
    if not isinstance(content, str):
        raise LLMResponseError("the message content is not a string")
    return content


def parse_completion(data: Any) -> Completion:
    """A ``Completion`` from an OpenAI chat-completion body; ``LLMResponseError`` if it is not a usable one."""
    if not isinstance(data, dict):
        raise LLMResponseError("the response body is not a JSON object")
    if data.get("error") is not None:
        raise LLMResponseError(f"the server answered with an error body: {str(data['error'])[:300]}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise LLMResponseError("the response has no choices")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    raw = _content(message)
    raw_calls = message.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise LLMResponseError("tool_calls is not a list")
    calls = [_tool_call(c, i) for i, c in enumerate(raw_calls)]
    text = strip_reasoning(raw)
    split = message.get("reasoning_content") or message.get("reasoning")
    reasoning = split if isinstance(split, str) and split else (raw if text != raw.strip() else None)
    finish = choice.get("finish_reason")
    if not text and not calls:
        if reasoning:
            raise LLMResponseError(f"the reply holds only reasoning (finish_reason {finish!r}: a thinking model "
                                   "that hit max_tokens; raise max_tokens or switch thinking off)")
        raise LLMResponseError(f"the reply is empty (finish_reason {finish!r})")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return Completion(
        text=text,
        tool_calls=calls,
        usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        finish_reason=finish,
        model=data.get("model") if isinstance(data.get("model"), str) else None,
        reasoning=reasoning,
    )


def parse_models(data: Any) -> str:
    """The first model id from ``GET /models``."""
    models = data.get("data") if isinstance(data, dict) else None
    if not isinstance(models, list) or not models or not isinstance(models[0], dict) or not models[0].get("id"):
        raise LLMResponseError("GET /models listed no model; pass model=... explicitly")
    return str(models[0]["id"])
