"""The embedded offline simulator: deterministic, no model server, the default for demo, tests and CI.

Tools: a call the mapping does not know gets a response built from the tool's output schema (or its output
description), seeded by the call itself, so the same call always gets the same answer. User: reveals a hidden
fact only when the agent's message asks about it (one of the fact's keywords), never mentions tools or the
solution, and ends the conversation when the agent says goodbye.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

from ..canonical import call_key
from ..task import Task, ToolSpec
from .base import Simulator, TaskMappingView, UserReply, register_backend

_FAREWELL = re.compile(r"\b(good\s?bye|bye)\b", re.IGNORECASE)
_MAX_ITEMS = 3


def _rng_for(task: Task, tool: ToolSpec, arguments: dict[str, Any]) -> random.Random:
    digest = hashlib.sha256(f"{task.id}\x1e{call_key(tool.name, arguments)}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def instance_of(schema: dict[str, Any], rng: random.Random, name: str = "value") -> Any:
    """A value that conforms to a (simple) JSON schema, chosen by ``rng``."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(schema["enum"])
    for combinator in ("anyOf", "oneOf"):
        if schema.get(combinator):
            return instance_of(rng.choice(schema[combinator]), rng, name)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: instance_of(sub, rng, key) for key, sub in props.items()}
    if kind == "array":
        count = max(schema.get("minItems", 1), rng.randint(1, _MAX_ITEMS))
        return [instance_of(schema.get("items", {}), rng, name) for _ in range(count)]
    if kind == "integer":
        lo, hi = schema.get("minimum", 1), schema.get("maximum", 500)
        return rng.randint(int(lo), int(hi))
    if kind == "number":
        lo, hi = schema.get("minimum", 1.0), schema.get("maximum", 500.0)
        return round(rng.uniform(lo, hi), 2)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return f"{name}-{rng.getrandbits(24):06x}"


class OfflineToolSimulator:
    def respond(self, task: Task, tool: ToolSpec, arguments: dict[str, Any], mapping: TaskMappingView) -> str:
        rng = _rng_for(task, tool, arguments)
        if tool.output_schema:
            body = instance_of(tool.output_schema, rng, tool.name)
        else:
            body = {
                "status": "ok",
                "reference": f"{tool.name.upper()}-{rng.getrandbits(24):06X}",
                "request": arguments,
                "note": tool.output_description,
            }
        return json.dumps(body, ensure_ascii=False)


class OfflineUserSimulator:
    def reply(self, task: Task, conversation: list[dict[str, str]]) -> UserReply:
        message = next((m["content"] for m in reversed(conversation) if m["role"] == "assistant"), "")
        lowered = message.lower()
        if _FAREWELL.search(message):
            return UserReply("Thanks, bye!", stop=True)
        facts = [f for f in task.hidden_facts if any(k.lower() in lowered for k in f.keywords)]
        if facts:
            return UserReply(" ".join(f.statement for f in facts))
        if "?" in message:
            return UserReply("I'm not sure about that. Please ask me about a specific detail of my request.")
        return UserReply("Okay. Please go ahead.")


def offline_simulator() -> Simulator:
    return Simulator(tool=OfflineToolSimulator(), user=OfflineUserSimulator(), name="offline")


register_backend("offline", offline_simulator)
