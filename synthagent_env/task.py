"""The task data model: the one source of truth shared by packs, envs, rewards, agents and synthesis.

A task splits what the agent sees (``instruction``, tool schemas, ``policy``) from what only the simulated
user knows (``hidden_context`` and its structured ``hidden_facts``), and carries a rubric whose items are
structured wherever the trajectory can decide them, so rewards need no model for them.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Union

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ToolSpec(_Model):
    """An OpenAI function schema plus what the tool returns, which the mock tool needs to answer."""

    name: str = Field(pattern=_IDENTIFIER, max_length=64)
    description: str = Field(min_length=1)
    parameters: dict[str, Any]
    output_description: str = Field(min_length=1)
    output_schema: dict[str, Any] | None = None
    distractor: bool = False  # not needed for the task; never shown to the agent as such

    @field_validator("parameters", "output_schema")
    @classmethod
    def _valid_json_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is None:
            return None
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as err:
            raise ValueError(f"not a valid JSON schema: {err.message}") from None
        return schema

    @field_validator("parameters")
    @classmethod
    def _object_parameters(cls, schema: dict[str, Any]) -> dict[str, Any]:
        if schema.get("type") != "object":
            raise ValueError('function parameters must be a JSON schema with "type": "object"')
        return schema

    def openai_schema(self) -> dict[str, Any]:
        """The schema as an OpenAI ``tools=[...]`` entry (what agents and chat templates see)."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


class HiddenFact(_Model):
    """A detail only the user knows; the agent must ask for it (``keywords`` say what counts as asking)."""

    key: str = Field(pattern=_IDENTIFIER)
    value: str = Field(min_length=1)
    statement: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _statement_reveals_value(self) -> HiddenFact:
        said = self.statement.lower()
        if not any(v.lower() in said for v in [self.value, *self.aliases]):
            raise ValueError(f"statement of fact {self.key!r} must contain its value {self.value!r}")
        return self


# ---- rubric checks: structured items decide themselves from the trajectory; "judge" items need a judge ----


class ToolCallCheck(_Model):
    """A successful call to ``tool`` whose arguments match ``arguments`` (a subset; see ``matching``)."""

    kind: Literal["tool_call"] = "tool_call"
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class FactRevealedCheck(_Model):
    """The user revealed hidden fact ``fact`` in reply to the agent (before any call to ``before_tool``)."""

    kind: Literal["fact_revealed"] = "fact_revealed"
    fact: str
    before_tool: str | None = None


class AnswerCheck(_Model):
    """The final ``<answer>`` mentions every one of ``values`` (case-insensitive).

    With ``require_observed`` (the default) each value must also have appeared earlier in a tool response or
    a user reply, so an agent that guesses or invents a value (say a confirmation id) gets no credit.
    """

    kind: Literal["answer_contains"] = "answer_contains"
    values: list[str] = Field(min_length=1)
    require_observed: bool = True


class JudgeCheck(_Model):
    """Natural-language item: the item's description is the criterion a judge decides."""

    kind: Literal["judge"] = "judge"


Check = Annotated[Union[ToolCallCheck, FactRevealedCheck, AnswerCheck, JudgeCheck], Field(discriminator="kind")]


class RubricItem(_Model):
    id: str = Field(pattern=_IDENTIFIER)
    description: str = Field(min_length=1)
    check: Check = Field(default_factory=JudgeCheck)


class Rubric(_Model):
    """Sub-goals and required interactions earn credit; a matched forbidden item is a policy violation."""

    sub_goals: list[RubricItem] = Field(default_factory=list)
    required_interactions: list[RubricItem] = Field(default_factory=list)
    forbidden: list[RubricItem] = Field(default_factory=list)

    def items(self) -> list[tuple[str, RubricItem]]:
        return [
            *(("sub_goal", i) for i in self.sub_goals),
            *(("required_interaction", i) for i in self.required_interactions),
            *(("forbidden", i) for i in self.forbidden),
        ]


class SeedEntry(_Model):
    """A recorded tool call and its response (e.g. from a teacher demonstration), seeded into the mapping.
    The response may be any JSON value here; the store keeps its text (``mapping_key.MappingEntry``)."""

    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    response: Any

    def response_text(self) -> str:
        return self.response if isinstance(self.response, str) else json.dumps(self.response, ensure_ascii=False)


class AskUserStep(_Model):
    kind: Literal["ask_user"] = "ask_user"
    message: str = Field(min_length=1)


class ToolCallStep(_Model):
    kind: Literal["tool_call"] = "tool_call"
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class AnswerStep(_Model):
    kind: Literal["answer"] = "answer"
    content: str = Field(min_length=1)


ReferenceStep = Annotated[Union[AskUserStep, ToolCallStep, AnswerStep], Field(discriminator="kind")]


class Task(_Model):
    id: str = Field(pattern=_IDENTIFIER)
    kind: str = "tool_use"
    domain: str = Field(min_length=1)
    persona: str = Field(min_length=1)
    instruction: str = Field(min_length=1)
    hidden_context: str = ""
    hidden_facts: list[HiddenFact] = Field(default_factory=list)
    world_records: list[str] = Field(default_factory=list)  # what the tools' world holds; never the user's secrets
    tools: list[ToolSpec] = Field(default_factory=list)
    policy: list[str] = Field(default_factory=list)
    workflow: list[str] = Field(default_factory=list)
    rubric: Rubric = Field(default_factory=Rubric)
    seed_mapping: list[SeedEntry] = Field(default_factory=list)
    reference_solution: list[ReferenceStep] = Field(default_factory=list)
    answer: str | None = None  # the verifiable final answer of a reasoning ("math") task
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> Task:
        tools = {t.name: t for t in self.tools}
        if len(tools) != len(self.tools):
            raise ValueError("tool names must be unique")
        facts = {f.key for f in self.hidden_facts}
        if len(facts) != len(self.hidden_facts):
            raise ValueError("hidden fact keys must be unique")
        ids = [item.id for _, item in self.rubric.items()]
        if len(set(ids)) != len(ids):
            raise ValueError("rubric item ids must be unique")
        for _, item in self.rubric.items():
            check = item.check
            if isinstance(check, ToolCallCheck) and check.tool not in tools:
                raise ValueError(f"rubric item {item.id!r} names unknown tool {check.tool!r}")
            if isinstance(check, FactRevealedCheck):
                if check.fact not in facts:
                    raise ValueError(f"rubric item {item.id!r} names unknown hidden fact {check.fact!r}")
                if check.before_tool is not None and check.before_tool not in tools:
                    raise ValueError(f"rubric item {item.id!r} names unknown tool {check.before_tool!r}")
        calls = [(f"seed_mapping.{i}", e.tool, e.arguments) for i, e in enumerate(self.seed_mapping)]
        calls += [
            (f"reference_solution.{i}", s.tool, s.arguments)
            for i, s in enumerate(self.reference_solution)
            if isinstance(s, ToolCallStep)
        ]
        for where, tool, arguments in calls:
            if tool not in tools:
                raise ValueError(f"{where} names unknown tool {tool!r}")
            errors = sorted(Draft202012Validator(tools[tool].parameters).iter_errors(arguments), key=str)
            if errors:
                raise ValueError(f"{where}: arguments violate the schema of {tool!r}: {errors[0].message}")
        return self

    def tool(self, name: str) -> ToolSpec | None:
        return next((t for t in self.tools if t.name == name), None)

    def openai_tools(self) -> list[dict[str, Any]]:
        return [t.openai_schema() for t in self.tools]
