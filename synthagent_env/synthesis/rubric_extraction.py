"""Rubric extraction: the teacher compares its demonstrations with the workflow, KEEPs or DISCARDs the task,
writes the rubric (structured checks wherever the trajectory can decide them) and picks a reference run.

The teacher's items are normalised, not trusted: a structured check that names an unknown tool or fact, or an
argument the tool does not have, or a value no schema-valid call can have (a forbidden item that can never fire),
becomes a natural-language (judge) item with a note; then ``reference.settle``
drops the structured items the reference demonstration itself fails. The restriction always reaches the rubric:
if the teacher wrote no forbidden item, the restriction becomes a judge item.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from jsonschema import Draft202012Validator

from ..rubric.matching import normalise
from ..task import RubricItem, Task
from .demos import usable
from .draft import task_from_draft
from .reference import settle
from .stage import Invalid, ItemContext, Rejected

MAX_RESULT_CHARS = 700
SECTIONS = ("sub_goals", "required_interactions", "forbidden")

SYSTEM = """You build reward rubrics for a tool-use task from the task's workflow and demonstrations of an expert
solving it in a simulated environment (rubric extraction)."""

USER = """# Task
User's opening request: {instruction}
Details only the user knows (fact key: value): {facts}
Policy: {policy}
Workflow: {workflow}

# Tools
{tools}

# Demonstrations
{demos}

# What to do
Compare the demonstrations with the workflow. DISCARD the task if the workflow was largely not carried out,
or the task cannot be solved with these tools; otherwise KEEP it and write its rubric:
- sub_goals: what a successful solution achieves (one per important workflow step);
- required_interactions: what the assistant must learn from the user before acting;
- forbidden: behaviour that breaks the policy.
Give every item a check that decides it from the trajectory whenever possible:
- {{"kind": "tool_call", "tool": "<tool>", "arguments": {{<only the arguments that matter>}}}}: a successful
  call with these argument values (a value may be {{"$contains": "text"}} for free text);
- {{"kind": "fact_revealed", "fact": "<fact key>", "before_tool": "<tool that needs it>" or null}}: the user
  told the assistant this fact before that tool was called;
- {{"kind": "answer_contains", "values": ["<value from a tool result or the user>"]}}: the final answer
  mentions these values;
- {{"kind": "judge"}}: only when none of the above can decide it.
Use only values that any correct solution must produce (ids a tool returned for the calls the task needs,
values the user gives). Pick as reference_demo the demonstration that best follows the workflow and policy.
Reply with one JSON object and nothing else:
{{"decision": "KEEP" or "DISCARD", "reason": "...", "reference_demo": 0,
  "sub_goals": [{{"id": "snake_case", "description": "...", "check": {{...}}}}],
  "required_interactions": [...], "forbidden": [...]}}"""


def _clip(text: Any, limit: int = MAX_RESULT_CHARS) -> str:
    text = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " ...[cut]"


def render_demo(index: int, demo: dict[str, Any]) -> str:
    lines = [f"## Demonstration {index} (ended: {demo['end_reason']}, {demo['turns']} turns)"]
    for e in demo["events"]:
        if e["type"] == "user":
            lines += [f"ASSISTANT: {_clip(e['message'])}", f"USER: {_clip(e['reply'])}"]
        elif e["type"] == "tool_call":
            call = json.dumps({"name": e["name"], "arguments": e["arguments"]}, ensure_ascii=False)
            lines.append(f"CALL {call}")
            lines.append(f"RESULT {_clip(e['response'])}" if e["status"] == "ok" else f"ERROR {_clip(e['error'])}")
        elif e["type"] == "answer":
            lines.append(f"ANSWER: {_clip(e['content'], 2000)}")
        elif e["type"] == "format_error":
            lines.append(f"FORMAT ERROR: {_clip(e['error'], 200)}")
    return "\n".join(lines)


def messages(task: Task, demos: list[dict[str, Any]]) -> list[dict[str, str]]:
    tools = "\n".join(json.dumps({"name": t.name, "description": t.description, "parameters": t.parameters},
                                 ensure_ascii=False) for t in task.tools)
    user = USER.format(
        instruction=task.instruction, facts="; ".join(f"{f.key}: {f.value}" for f in task.hidden_facts),
        policy=" ".join(task.policy), workflow=" / ".join(task.workflow), tools=tools,
        demos="\n\n".join(render_demo(i, d) for i, d in enumerate(demos)))
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def _identifier(raw: Any, fallback: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", str(raw or "")).strip("_").lower()[:60]
    return ident if ident and not ident[0].isdigit() else fallback


def can_match(schema: Any, expected: Any) -> bool:
    """Whether some value the parameter's schema accepts can match ``expected`` (a literal, compared the way
    ``rubric.matching`` does: strings case-insensitively, numbers numerically, or an ``$in`` list of literals).
    The env refuses a call whose arguments break the schema, so a check no valid value meets can never fire."""
    if isinstance(expected, dict) and set(expected) == {"$in"} and isinstance(expected["$in"], list):
        return any(can_match(schema, v) for v in expected["$in"])
    if isinstance(expected, dict) and expected and all(k.startswith("$") for k in expected) or not isinstance(schema,
                                                                                                              dict):
        return True  # other operators: not decided here
    if isinstance(schema.get("enum"), list):
        return any(normalise(e) == normalise(expected) for e in schema["enum"])
    try:
        validator = Draft202012Validator(schema)
        variants = [expected, expected.lower(), expected.upper()] if isinstance(expected, str) else [expected]
        return any(validator.is_valid(v) for v in variants)
    except Exception:  # noqa: BLE001  (a schema jsonschema cannot use: the env's validator decides at play time)
        return True


def normalise_check(check: Any, task: Task) -> tuple[dict[str, Any], str | None]:
    """A check the data model accepts for this task, and a note when it had to become a judge item."""
    if not isinstance(check, dict) or check.get("kind") in (None, "judge"):
        return {"kind": "judge"}, None
    kind, tools, facts = check.get("kind"), {t.name: t for t in task.tools}, {f.key for f in task.hidden_facts}
    if kind == "tool_call":
        name = check.get("tool") or check.get("name")
        tool, arguments = tools.get(name), check.get("arguments") or {}
        if tool is None:
            return {"kind": "judge"}, f"names unknown tool {name!r}"
        if not isinstance(arguments, dict):
            return {"kind": "judge"}, "arguments are not an object"
        properties = tool.parameters.get("properties", {})
        unknown = sorted(set(arguments) - set(properties))
        if unknown:
            return {"kind": "judge"}, f"{tool.name} has no arguments {unknown}"
        dead = sorted(k for k, v in arguments.items() if not can_match(properties[k], v))
        if dead:
            return {"kind": "judge"}, f"a valid call to {tool.name} can never match its {dead} (the schema refuses them)"
        return {"kind": "tool_call", "tool": tool.name, "arguments": arguments}, None
    if kind == "fact_revealed":
        if check.get("fact") not in facts:
            return {"kind": "judge"}, f"names unknown fact {check.get('fact')!r}"
        before = check.get("before_tool")
        note = f"unknown before_tool {before!r} ignored" if before is not None and before not in tools else None
        return {"kind": "fact_revealed", "fact": check["fact"], "before_tool": None if note else before}, note
    if kind == "answer_contains":
        values = [str(v) for v in check.get("values") or [] if isinstance(v, (str, int, float)) and str(v).strip()]
        if not values:
            return {"kind": "judge"}, "answer_contains without values"
        return {"kind": "answer_contains", "values": values}, None
    return {"kind": "judge"}, f"unknown check kind {kind!r}"


def parse(value: Any, task: Task, restriction: str, n_demos: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("the reply must be one JSON object with decision, reason, reference_demo and the rubric")
    decision = str(value.get("decision", "")).strip().upper()
    if decision not in ("KEEP", "DISCARD"):
        raise Invalid('decision must be "KEEP" or "DISCARD"')
    reason = str(value.get("reason") or "")
    if decision == "DISCARD":
        return {"decision": decision, "reason": reason}
    notes, rubric, seen = [], {}, set()
    for section in SECTIONS:
        raw_items = value.get(section) or []
        if not isinstance(raw_items, list):
            raise Invalid(f"{section} must be a list of items")
        rubric[section] = []
        for n, raw in enumerate(raw_items):
            if not isinstance(raw, dict) or not str(raw.get("description") or "").strip():
                notes.append(f"rubric: skipped {section}[{n}] (no description)")
                continue
            ident = _identifier(raw.get("id") or raw["description"], f"{section}_{n}")
            while ident in seen:
                ident += "_2"
            seen.add(ident)
            check, note = normalise_check(raw.get("check"), task)
            if note:
                notes.append(f"rubric: {ident} became a judge item ({note})")
            rubric[section].append(RubricItem.model_validate(
                {"id": ident, "description": str(raw["description"]).strip(), "check": check}).model_dump(mode="json"))
    if not rubric["sub_goals"]:
        raise Invalid("give at least one sub-goal")
    if not rubric["forbidden"]:
        rubric["forbidden"].append({"id": "broke_restriction", "description": restriction, "check": {"kind": "judge"}})
        notes.append("rubric: no forbidden item given; the restriction became a judge item")
    pick = value.get("reference_demo")
    pick = int(pick) if isinstance(pick, str) and pick.strip().isdigit() else pick
    preferred = pick if isinstance(pick, int) and not isinstance(pick, bool) and 0 <= pick < n_demos else None
    return {"decision": decision, "reason": reason, "rubric": rubric, "preferred": preferred, "notes": notes}


def run(draft: dict[str, Any], ctx: ItemContext, *, offline_gate: bool = True) -> dict[str, Any]:
    base = task_from_draft(ctx.item_id, draft, seed_mapping=draft["seed_mapping"])
    demos = draft["demos"]
    reply = ctx.teacher.ask_json(messages(base, demos), partial(
        parse, task=base, restriction=base.policy[0], n_demos=len(demos)), "rubric")
    if reply["decision"] == "DISCARD":
        raise Rejected("teacher_discard", reply["reason"] or "the teacher discarded the task")
    ctx.teacher.notes.extend(reply["notes"])
    try:
        task = Task.model_validate({**base.model_dump(mode="json"), "rubric": reply["rubric"]})
    except ValueError as err:
        raise Rejected("invalid_task", str(err)[:800]) from None
    task, index, notes = settle(task, demos, reply["preferred"], offline_gate=offline_gate)
    ctx.teacher.notes.extend(notes)
    metadata = {"synthesis": {
        "teacher_model": ctx.teacher.client.model, "decision_reason": reply["reason"], "reference_demo": index,
        "demos": [{"end_reason": d["end_reason"], "turns": d["turns"], "usable": usable(d)} for d in demos],
        "dropped_tools": draft.get("dropped_tools", []), "rubric_notes": reply["notes"] + notes}}
    return {"task": {**task.model_dump(mode="json"), "metadata": metadata}}
