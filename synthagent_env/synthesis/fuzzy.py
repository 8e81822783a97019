"""FuzzyTaskGen: split the full task three ways: a vague one-sentence opening request (the agent's), what only
the user knows (hidden context and facts), and what the systems behind the tools hold (``world_records``, the
only view of the world the mock tool gets besides the stored calls).

The information gap is what makes the agent ask (and keeps GRPO's advantages from collapsing), so it is
checked, not trusted: the instruction must be one sentence, name no tool, and contain none of the hidden
facts' values (in any spelling ``_plain`` merges: "$12,000" holds 12000); no tool description or example may show
one either; no world record may contain a hidden fact's value or alias either (the tool must not know, and
so cannot tell the agent, what the agent has to learn from the user). A reply that fails is shown its problems
and asked again; one that keeps failing is discarded with the reason ``information_gap`` or ``world_leak``.
A reply without world records is accepted (the mock tool then answers from the tool specs and stored calls
alone) and noted, so the run's report counts such tasks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..task import HiddenFact
from .stage import Invalid, ItemContext

MIN_FACTS, MAX_FACTS = 2, 6
MAX_INSTRUCTION_WORDS = 40
MAX_WORLD_RECORDS, MAX_WORLD_RECORD_CHARS = 8, 300
NO_WORLD_RECORDS = "fuzzy task: no world records given"
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
  ],
  "world_records": ["1 to {max_records} short lines, each one record or rule the systems behind the tools hold
                     and the tools' answers must agree with (catalogue entries, stock, prices, schedules, policies,
                     id formats), written as a database or rulebook states it"]}}
Give {min_facts} to {max_facts} hidden facts: the details the assistant cannot act without.
The world records must never contain a hidden fact's value or anything only the user knows (their wishes, plans
or circumstances): the tools' side of the world does not know it, so it can never tell the assistant."""


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
    world_records: Any = None  # checked in ``world_records`` (a problem there is asked again, not a crash)


_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63]")
_GROUP_SEPARATOR = re.compile("(?<=\\d)[,'\u00a0\u2009\u202f](?=\\d{3}(?!\\d))")  # 12,000 and 12 000


def _plain(text: str) -> str:
    """One spelling for what reads the same: NFKC (fullwidth), no invisible format characters (zero-width
    spaces), one hyphen, digits without thousands separators, single spaces."""
    text = unicodedata.normalize("NFKC", _GROUP_SEPARATOR.sub("", text))  # before NFKC makes no-break spaces plain
    return " ".join(_DASHES.sub("-", "".join(c for c in text if unicodedata.category(c) != "Cf")).split())


def _mentions(text: str, needle: str) -> bool:
    """``needle`` occurs in ``text`` as a whole token run (case, spacing and the spellings ``_plain`` merges
    ignored): "2" is not in "2025", "12000" is in "$12,000"."""
    needle = _plain(needle)
    if not needle:
        return False
    pattern = rf"(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])"
    return re.search(pattern, _plain(text), re.IGNORECASE) is not None


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


_SHOWN_KEYS = ("description", "examples", "example", "default", "title")  # not enum/const: choices are no leak


def _shown_texts(value: Any, shown: bool = False) -> list[str]:
    """The free texts of a tool spec the agent reads (descriptions, examples, defaults), nested schemas included."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _shown_texts(v, shown or k in _SHOWN_KEYS)]
    if isinstance(value, list):
        return [t for v in value for t in _shown_texts(v, shown)]
    return [str(value)] if shown and isinstance(value, (str, int, float)) and not isinstance(value, bool) else []


def tool_leaks(tools: list[dict[str, Any]], facts: list[HiddenFact]) -> list[str]:
    """The hidden facts that a tool's description or schema already shows the agent."""
    problems = []
    for tool in tools:
        texts = _shown_texts({k: v for k, v in tool.items() if k not in ("output_schema", "output_description")})
        for fact in facts:
            value = next((v for v in [fact.value, *fact.aliases] if any(_mentions(t, v) for t in texts)), None)
            if value is not None:
                problems.append(f"the tool {tool.get('name')!r} already shows the hidden fact {fact.key!r} "
                                f"({value!r}) in its description; pick a detail the tools do not show")
    return problems


def world_records(raw: Any, facts: list[HiddenFact]) -> list[str]:
    """The reply's world records, whitespace-normalised; ``Invalid`` when malformed or holding a hidden fact."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise Invalid("world_records must be a list of strings")
    records = [" ".join(r.split()) for r in raw if r.strip()]
    if len(records) > MAX_WORLD_RECORDS:
        raise Invalid(f"give at most {MAX_WORLD_RECORDS} world records, not {len(records)}")
    long = [i for i, r in enumerate(records) if len(r) > MAX_WORLD_RECORD_CHARS]
    if long:
        raise Invalid(f"world record {long[0]} is longer than {MAX_WORLD_RECORD_CHARS} characters")
    leaks = []
    for i, record in enumerate(records):
        for fact in facts:
            value = next((v for v in [fact.value, *fact.aliases] if _mentions(record, v)), None)
            if value is not None:
                leaks.append(f"world record {i} holds the hidden fact {fact.key!r} ({value!r}), which only the "
                             f"user knows")
    if leaks:
        raise Invalid("; ".join(leaks), code="world_leak")
    return records


def parse(value: Any, tool_names: list[str], tools: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
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
    gap = gap_problems(instruction, facts, tool_names) + tool_leaks(list(tools), facts)
    if gap:
        raise Invalid("; ".join(gap), code="information_gap")
    records = world_records(reply.world_records, facts)
    return {"instruction": instruction, "hidden_context": reply.hidden_context.strip(),
            "hidden_facts": [f.model_dump() for f in facts], "world_records": records}


def run(draft: dict[str, Any], ctx: ItemContext) -> dict[str, Any]:
    names = [t["name"] for t in draft["tools"]]
    user = USER.format(persona=draft["persona"], task=draft["task"], workflow=" / ".join(draft["workflow"]),
                       tools=", ".join(names), min_facts=MIN_FACTS, max_facts=MAX_FACTS,
                       max_records=MAX_WORLD_RECORDS)
    reply = ctx.teacher.ask_json([{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                                 partial(parse, tool_names=names, tools=draft["tools"]), "fuzzy task")
    if not reply["world_records"]:
        ctx.teacher.notes.append(NO_WORLD_RECORDS)
    return {**draft, **reply}
