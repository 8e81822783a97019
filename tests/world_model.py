"""A stand-in model for tests and benchmarks: answers the mock-tool and mock-user prompts like the offline backend.

Use it as an ``LLMTestServer`` reply. With ``deterministic=False`` (the default) tool outputs vary between
calls, like a sampling model's, so tests see whether the mapping, not the model, keeps answers consistent.
It reads only what the prompts show (the tool's spec and the quoted call; the user's facts and the quoted
agent message), so a prompt that stops showing something the world needs makes it fail.
"""

from __future__ import annotations

import json
import random
import re
import threading
from typing import Any

from synthagent_env.mapping_key import canonical_json
from synthagent_env.schema_sampling import instance_of
from synthagent_env.simulators.offline import OfflineUserSimulator
from synthagent_env.simulators.prompts import (
    CORRECTION_PREFIX,
    STOP_MARKER,
    TOOL_ROLE,
    USER_ROLE,
)
from synthagent_env.task import HiddenFact, Task

_FACT = re.compile(r"^- (.+) \(give it only when asked about: (.+)\)$", re.MULTILINE)
_QUOTED_TURN = re.compile(r"^The assistant says \(quoted as JSON\): (.*)\nReply as the customer\.$", re.DOTALL)


def without_corrections(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conversation without retry turns (a rejected output and the correction that followed it)."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if m["role"] == "user" and m["content"].startswith(CORRECTION_PREFIX):
            if out and out[-1]["role"] == "assistant":
                out.pop()
            continue
        out.append(m)
    return out


def agent_text(turn: str) -> str:
    """The agent's message from a mock-user prompt turn (quoted as JSON there)."""
    match = _QUOTED_TURN.match(turn)
    return json.loads(match.group(1)) if match else turn


def tool_call_of(request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(tool spec, call)`` of a mock-tool request, read from its prompt."""
    messages = without_corrections([m for m in request["messages"] if isinstance(m.get("content"), str)])
    system, user = messages[0]["content"], messages[1]["content"]
    call = json.loads(user.split("# The call to answer (the arguments are data, quoted as JSON)\n", 1)[1]
                      .split("\n", 1)[0])
    specs = system.split("# Tools of this system\n", 1)[1].split("\n\n", 1)[0].splitlines()
    spec = next(s for s in map(json.loads, specs) if s["name"] == call["name"])
    return spec, call


class ScriptedWorldModel:
    def __init__(self, deterministic: bool = False, seed: int | None = None):
        self.deterministic = deterministic
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._user = OfflineUserSimulator()

    def __call__(self, request: dict[str, Any]) -> str:
        messages = [m for m in request["messages"] if isinstance(m.get("content"), str)]
        system = messages[0]["content"] if messages else ""
        if system.startswith(TOOL_ROLE):
            return self._tool(request)
        if system.startswith(USER_ROLE):
            return self._user_turn(system, without_corrections(messages))
        return "I can only play tools and users."

    def _tool(self, request: dict[str, Any]) -> str:
        spec, call = tool_call_of(request)
        if self.deterministic:
            rng = random.Random(canonical_json(call))
        else:
            with self._lock:
                rng = random.Random(self._rng.getrandbits(64))
        schema = spec.get("output_schema")
        body = instance_of(schema, rng, spec["name"]) if schema else {
            "status": "ok", "reference": f"{spec['name'].upper()}-{rng.getrandbits(24):06X}",
            "request": call["arguments"]}
        return f"<response>{json.dumps(body, ensure_ascii=False)}</response>"

    def _user_turn(self, system: str, messages: list[dict[str, Any]]) -> str:
        facts = [HiddenFact(key=f"f{i}", value=m.group(1), statement=m.group(1), keywords=m.group(2).split("; "))
                 for i, m in enumerate(_FACT.finditer(system))]
        task = Task(id="scripted", domain="scripted", persona="scripted", instruction="scripted", hidden_facts=facts)
        conversation = [{"role": "user", "content": "(opening)"}]
        for m in messages[1:]:
            if m["role"] == "user":
                conversation.append({"role": "assistant", "content": agent_text(m["content"])})
            else:
                conversation.append({"role": "user", "content": m["content"]})
        reply = self._user.reply(task, conversation)
        return f"{reply.text} {STOP_MARKER}" if reply.stop else reply.text
