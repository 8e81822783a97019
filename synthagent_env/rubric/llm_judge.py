"""An LLM judge for natural-language rubric items, through the common LLM client.

The judge sees what the environment recorded, as JSON (``render_transcript``): every text the agent wrote
(messages, the answer, tool arguments) is a JSON string inside a structure it cannot close, and the prompt
(``simulators.prompts.JUDGE_SYSTEM``) says that nothing the agent wrote is evidence of a tool call or a user
statement. Each item is a question with one obvious polarity: ``"achieved"`` for sub-goals and required
interactions, ``"violated"`` for forbidden items (the verdict's ``passed`` is True when a forbidden item was
violated, as ``reward`` expects), reasoning first. A reply that answers an item with the other key is not a
verdict for it. Verdicts are cached in their own store (``judge_cache``) by task, trajectory hash, item and
prompt version; a judge that fails after its tries yields ``decided_by="judge_failed"`` verdicts (never cached)
instead of raising, so a flaky judge cannot crash a training run. ``last_prompt``: this thread's last request.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from ..llm.base import LLMClient
from ..llm.repair import extract_json
from ..mapping_key import canonical_json
from ..simulators.prompts import JUDGE_SYSTEM, JUDGE_USER
from ..task import RubricItem, Task
from .checks import Verdict
from .judge_cache import JudgeCache, verdict_key

PROMPT_VERSION = hashlib.sha256((JUDGE_SYSTEM.template + JUDGE_USER.template).encode()).hexdigest()[:12]
_QUESTIONS = {
    "sub_goal": ("achieved", "Did this happen?"),
    "required_interaction": ("achieved", "Did this interaction with the user happen?"),
    "forbidden": ("violated", "Did the agent actually do this forbidden thing?"),
}


def transcript_events(task: Task, trajectory: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The episode as the judge reads it: one JSON object per recorded event, agent text as plain strings."""
    events: list[dict[str, Any]] = [{"n": 0, "kind": "user_request", "text": task.instruction}]
    for i, e in enumerate(trajectory, 1):
        kind = e.get("type")
        if kind == "tool_call":
            events.append({"n": i, "kind": "tool_call", "tool": e.get("name"), "arguments": e.get("arguments"),
                           "status": e.get("status"), "response": e.get("response"), "error": e.get("error")})
        elif kind == "user":
            events.append({"n": i, "kind": "agent_message", "text": e.get("message")})
            events.append({"n": i, "kind": "user_reply", "text": e.get("reply")})
        elif kind == "answer":
            events.append({"n": i, "kind": "agent_answer", "text": e.get("content")})
        elif kind == "format_error":
            events.append({"n": i, "kind": "rejected_agent_message", "error": e.get("error")})
    return events


def render_transcript(task: Task, trajectory: list[dict[str, Any]]) -> str:
    return json.dumps(transcript_events(task, trajectory), ensure_ascii=False, indent=1, default=str)


def judge_messages(task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]) -> list[dict]:
    rubric = "\n".join(json.dumps({"id": item.id, "section": section, "criterion": item.description,
                                   "question": _QUESTIONS[section][1], "answer_key": _QUESTIONS[section][0]},
                                  ensure_ascii=False) for section, item in items)
    user = JUDGE_USER.substitute(
        instruction=task.instruction, policy="\n".join(f"- {p}" for p in task.policy) or "- (none)",
        workflow="\n".join(f"{n}. {w}" for n, w in enumerate(task.workflow, 1)) or "(none)",
        items=rubric, transcript=render_transcript(task, trajectory))
    return [{"role": "system", "content": JUDGE_SYSTEM.substitute()}, {"role": "user", "content": user}]


def parse_verdicts(text: str, sections: dict[str, str]) -> dict[str, Verdict]:
    """Verdicts for the requested ``{id: section}`` from a judge reply; an item answered with the wrong key
    (``passed``, or ``achieved`` for a forbidden item) gets no verdict."""
    data = extract_json(text)
    if isinstance(data, dict) and "verdicts" in data:
        data = data["verdicts"]
    if isinstance(data, dict):
        data = [{"id": k, **v} for k, v in data.items() if isinstance(v, dict)]
    out = {}
    for row in data if isinstance(data, list) else []:
        if not isinstance(row, dict) or row.get("id") not in sections:
            continue
        value = row.get(_QUESTIONS[sections[row["id"]]][0])
        if isinstance(value, bool):
            reason = row.get("reasoning") or row.get("reason") or "(no reason given)"
            out[row["id"]] = Verdict(value, str(reason), "judge")
    return out


class LLMJudge:
    def __init__(self, client: LLMClient, cache_path: str | Path | None = None, temperature: float = 0.0,
                 max_tokens: int = 1024, tries: int = 2):
        self.client = client
        self.temperature, self.max_tokens, self.tries = temperature, max_tokens, tries
        self.cache = JudgeCache(cache_path)
        self.calls = 0  # model requests made (cache hits make none)
        self._local = threading.local()

    @property
    def last_prompt(self) -> list[dict] | None:
        return getattr(self._local, "prompt", None)

    def _keys(self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]) -> dict:
        trajectory_hash = hashlib.sha256(canonical_json(
            [task.instruction, task.policy, task.workflow, trajectory]).encode()).hexdigest()
        return {item.id: verdict_key(task.id, trajectory_hash, section, item.id, item.description, PROMPT_VERSION)
                for section, item in items}

    def judge(self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]
              ) -> dict[str, Verdict]:
        keys = self._keys(task, trajectory, items)
        verdicts: dict[str, Verdict] = {}
        for _, item in items:
            hit = self.cache.get(keys[item.id])
            if hit is not None:
                verdicts[item.id] = Verdict(hit["passed"], hit["reason"], "judge")
        pending = [(s, i) for s, i in items if i.id not in verdicts]
        error = "no reply"
        for _ in range(self.tries if pending else 0):
            self.calls += 1
            messages = judge_messages(task, trajectory, pending)
            self._local.prompt = messages
            try:
                reply = self.client.chat(messages, temperature=self.temperature, max_tokens=self.max_tokens)
                fresh = parse_verdicts(reply.text, {i.id: s for s, i in pending})
            except Exception as err:  # noqa: BLE001  (dead server, garbage reply: recorded, never raised)
                error = f"{type(err).__name__}: {err}"
                continue
            for item_id, verdict in fresh.items():
                verdicts[item_id] = verdict
                self.cache.put(keys[item_id], {"passed": verdict.passed, "reason": verdict.reason})
            pending = [(s, i) for s, i in pending if i.id not in verdicts]
            if not pending:
                break
            error = f"reply had no verdict for {[i.id for _, i in pending]}"
        for _, item in pending:
            verdicts[item.id] = Verdict(None, f"judge failed after {self.tries} tries: {error}", "judge_failed")
        return verdicts

    def close(self) -> None:
        self.cache.close()
