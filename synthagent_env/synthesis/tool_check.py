"""Tool check: drop tools that fail schema validation, that an LLM could do itself, or whose output is not text;
then add 1-2 distractor tools (plausible here, not needed) so that choosing the right tool is part of the task.

Dropped tools are recorded with their reason in the draft (``dropped_tools``) and so in the task's metadata.
The item is rejected when fewer than ``MIN_TOOLS`` task tools survive, its restriction lost its tool, a workflow
step names a dropped tool (checked in code), or the reviewer says the task can no longer be completed with the
kept tools or the workflow breaks the restriction (the paper's constraints; the verdicts are required fields).
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from .stage import Invalid, ItemContext, Rejected
from .tool_schema import flatten_tool, tool_problems
from .toolset import MIN_TOOLS

MAX_DISTRACTORS = 2
TASK_VERDICTS = ("completable", "workflow_follows_restriction")

SYSTEM = """You review the tools of a synthetic tool-use task before it is used to train AI assistants (tool check).
A tool belongs in the task only if it needs an external system: an account, a database, a booking, a
physical action. A tool that does what a language model can do by itself (arithmetic, writing, summarising,
translating, formatting, unit or time-zone conversion) must go, and so must a tool whose output cannot be
written down as text or JSON (images, audio, files)."""

USER = """Task: {task}

Tools:
{tools}

Workflow:
{workflow}

Restriction: {restriction}

1. For every tool above give a verdict.
2. Say whether the task can still be completed with only the tools you keep (those with llm_can_do_it false
   and text_output true): "completable".
3. Say whether the workflow follows the restriction, i.e. no step does what the restriction forbids:
   "workflow_follows_restriction".
4. Propose 1 or 2 distractor tools: plausible for this service, harmless, but NOT needed for this task; in the
   same format as a task tool, with a JSON Schema for the parameters, an output_description and an
   output_schema (a JSON Schema of what it returns).
Reply with one JSON object and nothing else:
{{"verdicts": [{{"name": "...", "llm_can_do_it": true/false, "text_output": true/false, "reason": "..."}}],
  "completable": true/false, "workflow_follows_restriction": true/false, "task_reason": "...",
  "distractors": [{{"name": "...", "description": "...", "parameters": {{"type": "object", ...}},
                   "output_description": "...", "output_schema": {{...}}}}]}}"""


def render_tools(tools: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps({k: t[k] for k in ("name", "description", "parameters", "output_description")
                                 if k in t}, ensure_ascii=False) for t in tools)


def render_workflow(workflow: list[str]) -> str:
    return "\n".join(f"{i}. {step}" for i, step in enumerate(workflow, 1))


def _flag(value: Any) -> bool | None:
    """A verdict's true/false, also when a model writes it as a word."""
    if isinstance(value, bool):
        return value
    return {"true": True, "yes": True, "false": False, "no": False}.get(str(value).strip().lower())


def parse_review(value: Any, names: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("the reply must be one JSON object with verdicts and distractors")
    raw_verdicts = value.get("verdicts")
    verdicts = {v.get("name"): v for v in raw_verdicts if isinstance(v, dict)} if isinstance(raw_verdicts, list) else {}
    problems = [f"no verdict for tool {n!r}" for n in names if n not in verdicts]
    for name in names:
        if name not in verdicts:
            continue
        flags = {k: _flag(verdicts[name].get(k)) for k in ("llm_can_do_it", "text_output")}
        if None in flags.values():
            problems.append(f"the verdict for {name!r} needs true/false llm_can_do_it and text_output")
        verdicts[name] = {**verdicts[name], **flags}
    task_flags = {k: _flag(value.get(k)) for k in TASK_VERDICTS}
    problems += [f"{k} must be true or false" for k, v in task_flags.items() if v is None]
    distractors, raw = [], value.get("distractors")
    for i, d in enumerate(raw if isinstance(raw, list) else []):
        flat = flatten_tool(d)
        bad = tool_problems(flat)
        if flat.get("name") in names:
            bad.append(f"name {flat.get('name')!r} is already a task tool")
        if bad:
            problems.append(f"distractor {i}: {'; '.join(bad)}")
        else:
            distractors.append({**flat, "distractor": True})
    if not distractors and not problems:
        problems.append("propose 1 or 2 distractor tools")
    if problems:
        raise Invalid("; ".join(problems))
    return {"verdicts": {n: verdicts[n] for n in names}, "distractors": distractors[:MAX_DISTRACTORS],
            **task_flags, "task_reason": str(value.get("task_reason") or "")[:500]}


def steps_naming(workflow: list[str], tools: list[str]) -> list[tuple[int, str]]:
    """``(step index, tool)`` for every workflow step that names one of ``tools`` (as a whole word)."""
    found = []
    for i, step in enumerate(workflow):
        for tool in tools:
            if re.search(rf"(?<![A-Za-z0-9_]){re.escape(tool)}(?![A-Za-z0-9_])", step):
                found.append((i, tool))
    return found


def run(draft: dict[str, Any], ctx: ItemContext) -> dict[str, Any]:
    kept, dropped = [], []
    for flat in draft["tools"]:
        problems = tool_problems(flat)
        if problems:
            dropped.append({"name": flat.get("name"), "code": "invalid_schema", "reason": "; ".join(problems)})
        else:
            kept.append(flat)
    if not kept:
        raise Rejected("too_few_tools", f"no tool has a valid schema: {dropped}")
    names = [t["name"] for t in kept]
    review = ctx.teacher.ask_json(
        [{"role": "system", "content": SYSTEM},
         {"role": "user", "content": USER.format(task=draft["task"], tools=render_tools(kept),
                                                 workflow=render_workflow(draft["workflow"]),
                                                 restriction=draft["restriction"]["rule"])}],
        partial(parse_review, names=names), "tool check")
    review_reason = review["task_reason"] or "no reason given"
    if not review["workflow_follows_restriction"]:
        raise Rejected("workflow_breaks_restriction", f"the workflow does what the restriction forbids "
                                                      f"({draft['restriction']['rule']}): {review_reason}")
    core = []
    for tool in kept:
        verdict = review["verdicts"][tool["name"]]
        if verdict["llm_can_do_it"]:
            dropped.append({"name": tool["name"], "code": "llm_can_do_it", "reason": str(verdict.get("reason", ""))})
        elif not verdict["text_output"]:
            dropped.append({"name": tool["name"], "code": "not_text_output", "reason": str(verdict.get("reason", ""))})
        else:
            core.append({**tool, "distractor": False})
    for d in dropped:
        ctx.teacher.notes.append(f"tool check: dropped {d['name']} ({d['code']}): {d['reason']}"[:500])
    used = steps_naming(draft["workflow"], [str(d["name"]) for d in dropped if d.get("name")])
    if used:
        raise Rejected("workflow_uses_dropped_tool", "; ".join(f"workflow step {i + 1} uses {tool}, which the tool "
                                                               f"check dropped" for i, tool in used))
    if not review["completable"]:
        raise Rejected("not_completable_after_tool_check", f"the task cannot be completed with the kept tools "
                                                           f"{[t['name'] for t in core]}: {review_reason}")
    if len(core) < MIN_TOOLS:
        raise Rejected("too_few_tools", f"{len(core)} task tools left after the tool check (need {MIN_TOOLS}); "
                                        f"dropped: {[(d['name'], d['code']) for d in dropped]}")
    if draft["restriction"]["tool"] not in {t["name"] for t in core}:
        raise Rejected("restriction_tool_dropped", f"the restriction's tool {draft['restriction']['tool']!r} was "
                                                   "dropped by the tool check")
    return {**draft, "tools": core + review["distractors"], "dropped_tools": dropped}
