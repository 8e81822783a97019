"""Teacher demonstrations: the teacher, as an agent, solves the task 2-4 times in our own environment.

It plays ``ToolUseEnv`` through ``chat_agent.OpenAIAgent`` (the same client and message conversion a benchmarked
agent uses) against the item's mock world (by default the LLM mock tool and user, played by the teacher
endpoint). All runs of one task share the pipeline's mapping store, so a repeated call gets the same answer,
and the calls they make become the task's ``seed_mapping``. The runs themselves (their structured
trajectories) go to rubric extraction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .. import store_pool
from ..chat_agent import OpenAIAgent
from ..env import ToolUseEnv
from ..episode import play_episode
from ..task import Task
from .draft import task_from_draft
from .stage import ItemContext, Rejected


def summarize(info: dict[str, Any]) -> dict[str, Any]:
    """What rubric extraction and reference selection need from one episode."""
    return {"end_reason": info["end_reason"], "turns": info["turn"], "stats": info["stats"],
            "failure": info.get("failure"), "events": info["trajectory"]}


def recorded_mapping(path: Path, task: Task) -> list[dict[str, Any]]:
    """The task's stored calls as seed-mapping entries (only calls that fit the task's tools)."""
    store = store_pool.acquire(path)
    try:
        entries = store.entries(task.id)
    finally:
        store_pool.release(store)
    validators = {t.name: Draft202012Validator(t.parameters) for t in task.tools}
    out = []
    for entry in entries:
        if entry.tool not in validators or not validators[entry.tool].is_valid(entry.arguments):
            continue
        try:
            value = json.loads(entry.response)
        except ValueError:
            value = entry.response
        out.append({"tool": entry.tool, "arguments": entry.arguments,
                    "response": value if isinstance(value, (dict, list)) else entry.response})
    return out


def usable(demo: dict[str, Any]) -> bool:
    """A run that ended with an answer after at least one successful tool call."""
    calls = [e for e in demo["events"] if e["type"] == "tool_call" and e["status"] == "ok"]
    return demo["end_reason"] == "answer" and bool(calls)


def run(draft: dict[str, Any], ctx: ItemContext, *, demos: int, mapping_path: Path, tool_mode: str,
        sampling: dict[str, Any], max_turns: int) -> dict[str, Any]:
    task = task_from_draft(ctx.item_id, draft)
    if ctx.make_simulator is None:
        raise RuntimeError("the demonstrations stage needs a simulator factory")
    env = ToolUseEnv(tasks=[task], simulator=ctx.make_simulator(ctx), mapping_path=mapping_path,
                     max_turns=max_turns)
    agent = OpenAIAgent(ctx.teacher.client, tool_mode=tool_mode, **sampling)
    runs = []
    try:
        for _ in range(demos):
            runs.append(summarize(play_episode(env, agent, task_id=task.id).info))
    finally:
        env.close()
    if not any(usable(d) for d in runs):
        endings = ", ".join(f"{d['end_reason']}" + (f" ({d['failure']})" if d["failure"] else "") for d in runs)
        raise Rejected("no_usable_demo", f"no demonstration answered after a successful tool call: {endings}"[:800])
    return {**draft, "demos": runs, "seed_mapping": recorded_mapping(mapping_path, task)}
