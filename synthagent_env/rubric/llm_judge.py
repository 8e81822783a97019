"""An LLM judge for natural-language rubric items, through the common LLM client.

Strict by construction: the judge sees what the environment recorded (executed tool calls and their
responses, the user's replies) and is told that the agent's own claims are not evidence. Verdicts are cached
by (task, trajectory hash, item), in memory or in a write-once sqlite file, so re-scoring costs nothing; a
judge that fails after its tries yields ``decided_by="judge_failed"`` verdicts (never cached) instead of
raising, so a flaky judge cannot crash a training run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..canonical import canonical_json
from ..llm.base import LLMClient
from ..llm.repair import extract_json
from ..mapping_store import MappingStore
from ..task import RubricItem, Task
from .checks import Verdict

SYSTEM = """You grade one episode of an AI agent that served a user with tools. Be strict.
Decide each rubric item ONLY from what the transcript shows actually happened: tool calls the environment
executed (with their arguments and responses) and what the user said. What the agent merely claims or
promises ("I have booked it", "all steps are complete") is NOT evidence.
- sub_goal / required_interaction items: "passed": true means it was achieved.
- forbidden items: "passed": true means the forbidden behaviour OCCURRED (a violation).
Reply with JSON only: {"verdicts": [{"id": "<item id>", "passed": true or false, "reason": "<one sentence>"}]}"""


def render_trajectory(task: Task, trajectory: list[dict[str, Any]]) -> str:
    """The episode as numbered lines the judge can cite; the agent's words are labelled as such."""
    lines = [f"[0] USER (request): {task.instruction}"]
    for i, e in enumerate(trajectory, 1):
        if e["type"] == "tool_call":
            args = json.dumps(e["arguments"], ensure_ascii=False) if e["arguments"] is not None else "?"
            outcome = f"OK: {e['response']}" if e["status"] == "ok" else f"ERROR ({e['error_kind']}): {e['error']}"
            lines.append(f"[{i}] TOOL CALL {e['name']}({args}) -> {outcome}")
        elif e["type"] == "user":
            lines.append(f"[{i}] AGENT SAID TO USER: {e['message']}")
            lines.append(f"[{i}] USER REPLIED: {e['reply']}")
        elif e["type"] == "answer":
            lines.append(f"[{i}] AGENT FINAL ANSWER (a claim, not evidence): {e['content']}")
        elif e["type"] == "format_error":
            lines.append(f"[{i}] (agent message rejected: {e['error']})")
    return "\n".join(lines)


def judge_messages(task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]) -> list[dict]:
    rubric = "\n".join(f'- id "{item.id}" ({section}): {item.description}' for section, item in items)
    policy = "\n".join(f"- {p}" for p in task.policy) or "- (none)"
    workflow = "\n".join(f"{n}. {w}" for n, w in enumerate(task.workflow, 1)) or "(none)"
    user = (
        f"# Task\n{task.instruction}\n\n# Policy\n{policy}\n\n# Expected workflow\n{workflow}\n\n"
        f"# Rubric items to decide\n{rubric}\n\n# Transcript\n{render_trajectory(task, trajectory)}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def parse_verdicts(text: str, ids: list[str]) -> dict[str, Verdict]:
    """Verdicts for the requested ids from a judge reply (forgiving about shape); missing ids are left out."""
    data = extract_json(text)
    if isinstance(data, dict) and "verdicts" in data:
        data = data["verdicts"]
    rows: list[tuple[Any, Any, Any]] = []
    if isinstance(data, list):
        rows = [(r.get("id"), r.get("passed"), r.get("reason", "")) for r in data if isinstance(r, dict)]
    elif isinstance(data, dict):
        rows = [(k, v.get("passed") if isinstance(v, dict) else v,
                 v.get("reason", "") if isinstance(v, dict) else "") for k, v in data.items()]
    out = {}
    for item_id, passed, reason in rows:
        if item_id in ids and isinstance(passed, bool):
            out[item_id] = Verdict(passed, str(reason) or "(no reason given)", "judge")
    return out


class LLMJudge:
    def __init__(
        self,
        client: LLMClient,
        cache_path: str | Path | None = None,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        tries: int = 2,
    ):
        self.client = client
        self.temperature, self.max_tokens, self.tries = temperature, max_tokens, tries
        self._store = MappingStore(cache_path) if cache_path is not None else None
        self._memory: dict[tuple[str, str], str] = {}
        self.calls = 0  # model requests made (cache hits make none)

    def _cache_key(self, trajectory_hash: str, section: str, item: RubricItem) -> str:
        item_hash = hashlib.sha256(f"{section}\x1f{item.description}".encode()).hexdigest()[:16]
        return f"judge\x1f{trajectory_hash}\x1f{item.id}\x1f{item_hash}"

    def _cached(self, task_id: str, key: str) -> Verdict | None:
        raw = self._memory.get((task_id, key))
        if raw is None and self._store is not None:
            raw = self._store.get(task_id, key)
        if raw is None:
            return None
        data = json.loads(raw)
        return Verdict(data["passed"], data["reason"], "judge")

    def _remember(self, task_id: str, key: str, verdict: Verdict) -> None:
        raw = json.dumps({"passed": verdict.passed, "reason": verdict.reason})
        self._memory[(task_id, key)] = raw
        if self._store is not None:
            self._store.put_if_absent(task_id, key, raw)

    def judge(
        self, task: Task, trajectory: list[dict[str, Any]], items: list[tuple[str, RubricItem]]
    ) -> dict[str, Verdict]:
        trajectory_hash = hashlib.sha256(canonical_json(trajectory).encode()).hexdigest()
        keys = {item.id: self._cache_key(trajectory_hash, section, item) for section, item in items}
        verdicts: dict[str, Verdict] = {}
        for _, item in items:
            hit = self._cached(task.id, keys[item.id])
            if hit is not None:
                verdicts[item.id] = hit
        pending = [(s, i) for s, i in items if i.id not in verdicts]
        error = "no reply"
        for _ in range(self.tries if pending else 0):
            self.calls += 1
            try:
                reply = self.client.chat(
                    judge_messages(task, trajectory, pending), temperature=self.temperature, max_tokens=self.max_tokens
                )
                fresh = parse_verdicts(reply.text, [i.id for _, i in pending])
            except Exception as err:  # dead server, garbage reply: recorded, never raised
                error = f"{type(err).__name__}: {err}"
                continue
            for item_id, verdict in fresh.items():
                verdicts[item_id] = verdict
                self._remember(task.id, keys[item_id], verdict)
            pending = [(s, i) for s, i in pending if i.id not in verdicts]
            if not pending:
                break
            error = f"reply had no verdict for {[i.id for _, i in pending]}"
        for _, item in pending:
            verdicts[item.id] = Verdict(None, f"judge failed after {self.tries} tries: {error}", "judge_failed")
        return verdicts

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
