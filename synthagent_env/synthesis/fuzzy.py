"""FuzzyTaskGen: split the full task into a vague one-sentence opening request and what only the user knows.

The information gap is what makes the agent ask (and keeps GRPO's advantages from collapsing), so it is
checked, not trusted: the instruction must be one sentence, name no tool, and contain none of the hidden
facts' values. A reply that fails is shown its problems and asked again; one that keeps failing is discarded
with the reason ``information_gap``.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..task import HiddenFact
from .stage import Invalid, ItemContext

MIN_FACTS, MAX_FACTS = 2, 6
MAX_INSTRUCTION_WORDS = 40
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"')\]]*\s+(?=[A-Z0-9\"'(])")

SYSTEM = """You turn a fully specified task into an underspecified one (FuzzyTaskGen), so that an AI assistant
must ask the user for the missing details instead of acting on its own."""

USER = """Persona: {persona}
Full task: {task}
Workflow the assistant should follow: {workflow}
Tools the assistant has (do not mention them): {tools}

Reply with one JSON object and nothing else:
{{"instruction": "what the user says first: ONE short sentence in the user's voice that states the goal but
                  none of the specific details (no ids, names, dates, amounts), names no tool and gives no steps",
  "hidden_context": "a detailed background in the second person ('You ...') with every detail of the full task",
  "hidden_facts": [
    {{"key": "snake_case_key",
      "value": "the exact value as the assistant must use it in a tool call",
      "statement": "what the user says when asked for it; it contains the value verbatim",
      "keywords": ["3 to 6 short lowercase phrases an assistant asking for this detail would use"]}}
  ]}}
Give {min_facts} to {max_facts} hidden facts: the details the assistant cannot act without."""


def _key(raw: Any) -> str:
    key = re.sub(r"[^A-Za-z0-9_]+", "_", str(raw)).strip("_").lower()
    return key if key and not key[0].isdigit() else f"fact_{key}"


class FactReply(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
    key: str = Field(min_length=1)
    value: str = Field(min_length=1)
    statement: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)

    @field_validator("keywords", "aliases", mode="before")
    @classmethod
    def _strings(cls, v: Any) -> Any:
        return [str(x).strip().lower() for x in v if str(x).strip()] if isinstance(v, list) else v


class FuzzyReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    instruction: str = Field(min_length=1)
    hidden_context: str = Field(min_length=1)
    hidden_facts: list[FactReply]


def _mentions(text: str, needle: str) -> bool:
    """``needle`` occurs in ``text`` as a whole token run (case and spacing ignored): "2" is not in "2025"."""
    needle = " ".join(needle.split())
    if not needle:
        return False
    pattern = rf"(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])"
    return re.search(pattern, " ".join(text.split()), re.IGNORECASE) is not None


def gap_problems(instruction: str, facts: list[HiddenFact], tool_names: list[str]) -> list[str]:
    """Why this instruction does not leave a real information gap (empty: it does)."""
    problems = []
    if len(_SENTENCE_BREAK.split(instruction.strip())) > 1:
        problems.append("the instruction must be ONE sentence")
    if len(instruction.split()) > MAX_INSTRUCTION_WORDS:
        problems.append(f"the instruction must be short (at most {MAX_INSTRUCTION_WORDS} words)")
    for name in tool_names:
        spoken = name.replace("_", " ")
        if ("_" in name and _mentions(instruction, name)) or (" " in spoken and _mentions(instruction, spoken)):
            problems.append(f"the instruction names the tool {name!r}")
    for fact in facts:
        leaked = [v for v in [fact.value, *fact.aliases] if _mentions(instruction, v)]
        if leaked:
            problems.append(f"the instruction reveals the hidden fact {fact.key!r} ({leaked[0]!r})")
    return problems


def parse(value: Any, tool_names: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("the reply must be one JSON object with instruction, hidden_context and hidden_facts")
    reply = FuzzyReply.model_validate(value)
    if not MIN_FACTS <= len(reply.hidden_facts) <= MAX_FACTS:
        raise Invalid(f"give {MIN_FACTS} to {MAX_FACTS} hidden facts, not {len(reply.hidden_facts)}")
    facts, problems = [], []
    for f in reply.hidden_facts:
        try:
            facts.append(HiddenFact(key=_key(f.key), value=f.value.strip(), statement=f.statement.strip(),
                                    keywords=f.keywords, aliases=f.aliases))
        except ValidationError as err:
            problems.append(f"fact {f.key!r}: {err.errors()[0]['msg']}")
    if len({f.key for f in facts}) != len(facts):
        problems.append("hidden fact keys must be unique")
    if problems:
        raise Invalid("; ".join(problems))
    instruction = " ".join(reply.instruction.split())
    gap = gap_problems(instruction, facts, tool_names)
    if gap:
        raise Invalid("; ".join(gap), code="information_gap")
    return {"instruction": instruction, "hidden_context": reply.hidden_context.strip(),
            "hidden_facts": [f.model_dump() for f in facts]}


def run(draft: dict[str, Any], ctx: ItemContext) -> dict[str, Any]:
    names = [t["name"] for t in draft["tools"]]
    user = USER.format(persona=draft["persona"], task=draft["task"], workflow=" / ".join(draft["workflow"]),
                       tools=", ".join(names), min_facts=MIN_FACTS, max_facts=MAX_FACTS)
    reply = ctx.teacher.ask_json([{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                                 partial(parse, tool_names=names), "fuzzy task")
    return {**draft, **reply}
