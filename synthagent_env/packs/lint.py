"""Quality rules for the bundled pack, beyond what the data model enforces (tests and the build run them)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..canonical import call_key
from ..task import AskUserStep, FactRevealedCheck, JudgeCheck, Task, ToolCallStep


def _spelling(value: Any) -> str:
    """How a value reads, whatever its case or separators: "Store_Credit" and "store credit" are one answer."""
    return " ".join(re.split(r"[\s_\-]+", str(value).casefold())).strip()


def enum_values(schema: Any) -> Iterator[Any]:
    """Every ``enum`` and ``const`` value anywhere in a JSON schema."""
    if isinstance(schema, dict):
        yield from schema.get("enum") or []
        if "const" in schema:
            yield schema["const"]
        for value in schema.values():
            yield from enum_values(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from enum_values(value)


def _schema_text(task: Task) -> str:
    return " ".join(_spelling(json.dumps(tool.openai_schema(), ensure_ascii=False)) for tool in task.tools)


def guessable_facts(task: Task) -> list[str]:
    """Hidden facts an agent could read off the tool schemas instead of asking: the value (or an alias) is an
    enum or const value of a tool's parameters, or stands as words in a schema (a description, a default)."""
    offered = {_spelling(v): (tool.name, v) for tool in task.tools for v in enum_values(tool.parameters)}
    schemas = f" {_schema_text(task)} "
    problems = []
    for fact in task.hidden_facts:
        for spelling in [fact.value, *fact.aliases]:
            if _spelling(spelling) in offered:
                tool, value = offered[_spelling(spelling)]
                problems.append(f"hidden fact {fact.key!r} ({spelling!r}) is an enum value {value!r} of tool {tool!r}")
            elif re.search(r"(?<!\w)" + re.escape(_spelling(spelling)) + r"(?!\w)", schemas):
                problems.append(f"hidden fact {fact.key!r} ({spelling!r}) can be read in the tool schemas")
    return problems


def unknowable_facts(task: Task) -> list[str]:
    """Hidden facts whose value and aliases are all missing from ``hidden_context``: a model-played user, who
    knows only that text, could never say them, so the fact check could never pass."""
    context = task.hidden_context.lower()
    return [f"hidden fact {f.key!r}: neither its value nor an alias is in hidden_context"
            for f in task.hidden_facts if not any(v.lower() in context for v in [f.value, *f.aliases])]


def lint_task(task: Task) -> list[str]:
    """Problems that make a task unfit for the bundled offline pack (an empty list means fit)."""
    problems: list[str] = []
    core = [t for t in task.tools if not t.distractor]
    distractors = [t for t in task.tools if t.distractor]
    if not 3 <= len(core) <= 5:
        problems.append(f"needs 3-5 task tools, has {len(core)}")
    if not 1 <= len(distractors) <= 2:
        problems.append(f"needs 1-2 distractor tools, has {len(distractors)}")
    if len(task.hidden_facts) < 2:
        problems.append("needs at least 2 hidden facts")
    gated = {
        i.check.fact
        for i in task.rubric.required_interactions
        if isinstance(i.check, FactRevealedCheck) and i.check.before_tool
    }
    for fact in task.hidden_facts:
        if fact.key not in gated:
            problems.append(f"hidden fact {fact.key!r} has no required interaction gating a tool call")
        if fact.value.lower() in task.instruction.lower():
            problems.append(f"instruction already reveals hidden fact {fact.key!r}")
    problems += guessable_facts(task) + unknowable_facts(task)
    if not task.policy or not task.rubric.forbidden:
        problems.append("needs a policy restriction and a forbidden rubric item for it")
    if len(task.workflow) < 3:
        problems.append("needs a workflow of at least 3 steps")
    if len(task.rubric.sub_goals) < 2:
        problems.append("needs at least 2 sub-goals")
    if any(isinstance(item.check, JudgeCheck) for _, item in task.rubric.items()):
        problems.append("bundled offline tasks must use structured rubric checks only")
    seeded = {call_key(e.tool, e.arguments) for e in task.seed_mapping}
    for step in task.reference_solution:
        if isinstance(step, ToolCallStep) and call_key(step.tool, step.arguments) not in seeded:
            problems.append(f"reference call to {step.tool} is not in the seed mapping")
    if not any(isinstance(s, AskUserStep) for s in task.reference_solution):
        problems.append("reference solution never asks the user")
    if not task.reference_solution or task.reference_solution[-1].kind != "answer":
        problems.append("reference solution must end with an answer")
    return problems


def lint_pack(tasks: list[Task]) -> list[str]:
    problems = [f"{t.id}: {p}" for t in tasks for p in lint_task(t)]
    for field, values in {
        "id": [t.id for t in tasks],
        "instruction": [t.instruction for t in tasks],
        "tool set": [tuple(sorted(x.name for x in t.tools)) for t in tasks],
    }.items():
        problems += [f"duplicate {field}: {v!r}" for v, n in Counter(values).items() if n > 1]
    return problems
