"""The embedded offline simulator: deterministic, no model server, the default for demo, tests and CI.

Tools: a call the mapping does not know gets a response built from the tool's output schema (or its output
description), seeded by the call itself, so the same call always gets the same answer. User: reveals a hidden
fact only when the agent's message asks about it (one of the fact's keywords), never mentions tools or the
solution, and ends the conversation when the agent says goodbye. A message counts as asking about a fact when
it is a question or a request ("?", "tell me", "please share", ...) and names one of the fact's keywords as a
whole word or phrase: text that merely happens to contain a keyword (inside "Ireland", or in random output)
reveals nothing.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from functools import lru_cache
from typing import Any

from ..canonical import call_key
from ..schema_sampling import instance_of
from ..task import Task, ToolSpec
from .base import Simulator, TaskMappingView, UserReply, register_backend

_FAREWELL = re.compile(r"\b(good\s?bye|bye)\b", re.IGNORECASE)
_REQUEST = re.compile(
    r"\?|\b(tell|share|provide|give|send|confirm|let me know|need|which|what|when|where|who|how)\b", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def _keyword(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword.lower()) + r"(?!\w)")


def asks_about(message: str, keywords: list[str]) -> bool:
    """The message is a question or request that names one of ``keywords`` as a whole word or phrase."""
    if not _REQUEST.search(message):
        return False
    lowered = message.lower()
    return any(_keyword(k).search(lowered) for k in keywords)


def _rng_for(task: Task, tool: ToolSpec, arguments: dict[str, Any]) -> random.Random:
    digest = hashlib.sha256(f"{task.id}\x1e{call_key(tool.name, arguments)}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


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
        if _FAREWELL.search(message):
            return UserReply("Thanks, bye!", stop=True)
        facts = [f for f in task.hidden_facts if asks_about(message, f.keywords)]
        if facts:
            return UserReply(" ".join(f.statement for f in facts))
        if "?" in message:
            return UserReply("I'm not sure about that. Please ask me about a specific detail of my request.")
        return UserReply("Okay. Please go ahead.")


def offline_simulator() -> Simulator:
    return Simulator(tool=OfflineToolSimulator(), user=OfflineUserSimulator(), name="offline")


register_backend("offline", offline_simulator)
