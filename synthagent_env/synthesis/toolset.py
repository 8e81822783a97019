"""ToolSetGen: from a persona, the teacher writes a concrete task, its tools, a workflow and one restriction.

The task is written fully specified here (every id, name and date the assistant will need); FuzzyTaskGen later
hides those details from the agent. The reply's shape is checked here, and that every tool states an output
schema (the paper's tools all have one; the mock tool and the output check need it): a draft without is asked
again and then discarded. The tools' schemas are validated in the tool check, where a bad tool is dropped and
recorded rather than failing the whole item.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .stage import Invalid, ItemContext
from .tool_schema import flatten_tool

MIN_TOOLS, MAX_TOOLS = 3, 5
MIN_STEPS, MAX_STEPS = 5, 7

SYSTEM = """You design realistic tasks for training AI assistants that use software tools (ToolSetGen).
Given a persona, you write one task that this person would really ask an assistant with access to the
relevant systems to do, the tools those systems expose, the workflow that solves it, and one restriction."""

USER = """Persona: {persona}

Write one task for this persona. Reply with one JSON object and nothing else:
{{
  "domain": "one lowercase word or two for the service area, e.g. banking, travel, healthcare",
  "task": "the full task in the person's voice, with EVERY concrete detail the assistant will need (ids, names,
           dates, amounts, preferences), as if they said everything at once",
  "tools": [
    {{"name": "snake_case_name",
      "description": "what the tool does",
      "parameters": {{"type": "object", "properties": {{...JSON Schema per argument...}}, "required": [...]}},
      "output_description": "what the tool returns",
      "output_schema": {{...JSON Schema of the returned JSON (required for every tool)...}}}}
  ],
  "workflow": ["{min_steps} to {max_steps} high-level steps that solve the task with the tools, in order,
               never doing what the restriction forbids"],
  "restriction": {{"tool": "one of the tool names", "rule": "<tool name> must NOT be used to <something>",
                  "reason": "why, in one sentence"}}
}}
Rules:
- {min_tools} to {max_tools} tools. Each must need an external system (an account, a database, a booking, a
  physical action); never a tool for something a language model can do itself (arithmetic, writing,
  summarising, translating, formatting).
- Tools return text or JSON, never images, audio or files. Every tool has an output_schema: a JSON Schema of
  what it returns.
- The restriction names a tool that exists and a tempting misuse of it in this task.
- The workflow follows the restriction: no step does what the restriction forbids."""


class Restriction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tool: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    reason: str = ""


class ToolSetReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    domain: str = Field(min_length=1)
    task: str = Field(min_length=10)
    tools: list[dict[str, Any]]
    workflow: list[str]
    restriction: Restriction


def messages(persona: str) -> list[dict[str, str]]:
    user = USER.format(persona=persona, min_tools=MIN_TOOLS, max_tools=MAX_TOOLS, min_steps=MIN_STEPS,
                       max_steps=MAX_STEPS)
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def _domain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "general"


def parse(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("the reply must be one JSON object with domain, task, tools, workflow and restriction")
    reply = ToolSetReply.model_validate(value)
    tools = [flatten_tool(t) for t in reply.tools]
    names = [t.get("name") for t in tools]
    problems = []
    if not MIN_TOOLS <= len(tools) <= MAX_TOOLS:
        problems.append(f"write {MIN_TOOLS} to {MAX_TOOLS} tools, not {len(tools)}")
    if any(not isinstance(n, str) or not n for n in names):
        problems.append("every tool needs a name")
    elif len(set(names)) != len(names):
        problems.append("tool names must be unique")
    steps = [s.strip() for s in reply.workflow if isinstance(s, str) and s.strip()]
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        problems.append(f"the workflow must have {MIN_STEPS} to {MAX_STEPS} steps, not {len(steps)}")
    no_output = [str(t.get("name") or i) for i, t in enumerate(tools) if not isinstance(t.get("output_schema"), dict)]
    if no_output:
        problems.append(f"every tool needs an output_schema (a JSON Schema of what it returns); missing for "
                        f"{', '.join(no_output)}")
    if reply.restriction.tool not in names:
        problems.append(f"the restriction names {reply.restriction.tool!r}, which is not one of the tools {names}")
    if problems:
        raise Invalid("; ".join(problems), code="no_output_schema" if no_output else "malformed_reply")
    return {"domain": _domain(reply.domain), "task": reply.task.strip(), "tools": tools, "workflow": steps,
            "restriction": reply.restriction.model_dump()}


def run(draft: dict[str, Any], ctx: ItemContext) -> dict[str, Any]:
    reply = ctx.teacher.ask_json(messages(draft["persona"]), parse, "toolset")
    return {**draft, **reply}
