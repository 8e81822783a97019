"""A test fake: a scripted teacher, an ``LLMTestServer`` reply that plays every role the pipeline asks a model for.

It answers each synthesis stage (recognised by the stage's system prompt), plays the agent in demonstrations
(any other request) and delegates the mock tool and user to ``ScriptedWorldModel``. It is deliberately
imperfect: a persona's *quirk* makes it reply in ways the pipeline must repair or reject (prose-wrapped JSON,
garbage, a short workflow, an invalid tool schema, an instruction that leaks a hidden fact, a malformed tool
call, a DISCARD, broken rubric items). A quirk comes from a ``[quirk:NAME]`` tag in the persona or from its
hash (about half are clean), and is carried to later stages inside the case number ``n`` (``n % 10``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

from synthagent_env.simulators.prompts import TOOL_ROLE, USER_ROLE
from tests.world_model import ScriptedWorldModel
from synthagent_env.synthesis import fuzzy, rubric_extraction, tool_check, toolset
from synthagent_env.synthesis.teacher import CORRECTION_PREFIX
from tests.scripted_teacher_worlds import BAD_SCHEMA_TOOL, WORLDS

QUIRKS = ("clean", "toolset_prose", "toolset_garbage", "toolset_retry", "bad_schema", "fuzzy_leak",
          "fuzzy_leak_always", "agent_malformed", "rubric_discard", "rubric_bad_items")
# What a quirk does to the item: kept (repaired or recorded on the way) or discarded, and at which stage.
OUTCOMES = {"clean": "kept", "toolset_prose": "kept", "toolset_garbage": "toolset", "toolset_retry": "kept",
            "bad_schema": "kept", "fuzzy_leak": "kept", "fuzzy_leak_always": "fuzzy", "agent_malformed": "kept",
            "rubric_discard": "rubric", "rubric_bad_items": "kept"}
_CASE = re.compile(r"\b(" + "|".join(w["prefix"] for w in WORLDS.values()) + r")-(\d{5})\b")
_TAG = re.compile(r"\[(world|quirk):(\w+)\]")


def _fill(value: Any, n: int) -> Any:
    """``{n}`` filled in every string of a JSON-like value."""
    if isinstance(value, str):
        return value.replace("{n}", str(n))
    if isinstance(value, list):
        return [_fill(v, n) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, n) for k, v in value.items()}
    return value


def case_of(persona: str) -> tuple[str, str, int]:
    """``(world, quirk, n)`` for a persona: tags win, else its hash decides."""
    h = int(hashlib.sha1(persona.encode()).hexdigest()[:12], 16)
    tags = dict(_TAG.findall(persona))
    world = tags.get("world") or sorted(WORLDS)[h % len(WORLDS)]
    quirk = tags.get("quirk") or (QUIRKS[h % 20 - 10] if h % 20 >= 10 else "clean")
    if world not in WORLDS or quirk not in QUIRKS:
        raise ValueError(f"unknown world or quirk in persona tags: {tags}")
    return world, quirk, 10000 + 10 * (h // 7 % 8999) + QUIRKS.index(quirk)


def _find_case(text: str) -> tuple[dict[str, Any], str, int] | None:
    match = _CASE.search(text)
    if match is None:
        return None
    world = next(w for w in WORLDS.values() if w["prefix"] == match.group(1))
    n = int(match.group(2))
    return world, QUIRKS[n % 10], n


def _path(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


class ScriptedTeacher:
    def __init__(self) -> None:
        self.world_model = ScriptedWorldModel()

    def __call__(self, request: dict[str, Any]) -> str | dict[str, Any]:
        messages = request["messages"]
        system = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
        if system.startswith((TOOL_ROLE, USER_ROLE)):
            return self.world_model(request)
        retry = messages[-1]["role"] == "user" and str(messages[-1]["content"]).startswith(CORRECTION_PREFIX)
        prompt = messages[1]["content"] if len(messages) > 1 else ""
        stages = {toolset.SYSTEM: self._toolset, tool_check.SYSTEM: self._tool_check, fuzzy.SYSTEM: self._fuzzy,
                  rubric_extraction.SYSTEM: self._rubric}
        if system in stages:
            return stages[system](prompt, retry)
        return self._agent(request)

    # ---- synthesis stages ----

    def _toolset(self, prompt: str, retry: bool) -> str:
        persona = re.search(r"^Persona: (.*)$", prompt, re.MULTILINE).group(1)  # type: ignore[union-attr]
        name, quirk, n = case_of(persona)
        world = WORLDS[name]
        tools = [*world["tools"], world["restricted"], BAD_SCHEMA_TOOL if quirk == "bad_schema" else world["helper"]]
        if world.get("envelope"):
            tools = [{"type": "function", "function": {k: t[k] for k in ("name", "description", "parameters")},
                      **{k: t[k] for k in ("output_description", "output_schema") if k in t}} for t in tools]
        reply = {"domain": world["domain"], "task": _fill(world["task"], n), "tools": tools,
                 "workflow": world["workflow"],
                 "restriction": {"tool": world["restricted"]["name"], **world["restriction"]}}
        if quirk == "toolset_garbage":
            return "I'm sorry, I can't help with designing that."
        if quirk == "toolset_retry" and not retry:
            return json.dumps({**reply, "workflow": world["workflow"][:2]})
        if quirk == "toolset_prose":  # fenced, with a trailing comma: extract_json must repair it
            body = json.dumps(reply, indent=1)
            return f"Here is the task you asked for:\n```json\n{body[:-1].rstrip()},\n}}\n```\nHope this helps!"
        return json.dumps(reply)

    def _tool_check(self, prompt: str, retry: bool) -> str:
        world, _, _ = _find_case(prompt)  # type: ignore[misc]
        names = [json.loads(line)["name"] for line in prompt.split("Tools:\n", 1)[1].split("\n\n", 1)[0].splitlines()]
        verdicts = [{"name": n, "llm_can_do_it": n == world["helper"]["name"], "text_output": True,
                     "reason": "a language model can do this itself" if n == world["helper"]["name"] else
                     "needs the company's systems"} for n in names]
        return json.dumps({"verdicts": verdicts, "completable": True, "workflow_follows_restriction": True,
                           "task_reason": "the remaining tools cover every workflow step", "distractors":
                           world["distractors"]})

    def _fuzzy(self, prompt: str, retry: bool) -> str:
        world, quirk, n = _find_case(prompt)  # type: ignore[misc]
        facts = [{k: _fill(f[k], n) for k in ("key", "value", "statement", "keywords")} for f in world["facts"]]
        instruction = world["instructions"][n // 10 % len(world["instructions"])]
        if quirk == "fuzzy_leak_always" or (quirk == "fuzzy_leak" and not retry):
            instruction = f"I need help with {facts[0]['value']}, please."
        return json.dumps({"instruction": instruction, "hidden_context": _fill(world["hidden_context"], n),
                           "hidden_facts": facts})

    def _rubric(self, prompt: str, retry: bool) -> str:
        world, quirk, _ = _find_case(prompt)  # type: ignore[misc]
        if quirk == "rubric_discard":
            return json.dumps({"decision": "DISCARD", "reason": "The demonstrations skipped most of the workflow."})
        demo = prompt.split("## Demonstration 0", 1)[1].split("## Demonstration 1", 1)[0]
        calls, results = [], {}
        lines = demo.splitlines()
        for line, nxt in zip(lines, [*lines[1:], ""], strict=True):
            if line.startswith("CALL ") and nxt.startswith("RESULT "):
                call = json.loads(line[5:])
                calls.append(call)
                results[call["name"]] = json.loads(nxt[7:])
        sub_goals = [{"id": f"called_{c['name']}", "description": f"Called {c['name']} with the right details.",
                      "check": {"kind": "tool_call", "tool": c["name"], "arguments": c["arguments"]}} for c in calls]
        _, _, source = world["plan"][-1]
        tool, path = source[5:].split(".", 1)
        sub_goals.append({"id": "gave_reference", "description": "Told the customer the final reference.",
                          "check": {"kind": "answer_contains", "values": [str(_path(results[tool], path))]}})
        required = []
        for i, step in enumerate(world["plan"]):
            if step[0] == "ask":
                before = next(s[1] for s in world["plan"][i:] if s[0] == "call")
                required.append({"id": f"asked_{step[1]}", "description": f"Asked the user for {step[1]}.",
                                 "check": {"kind": "fact_revealed", "fact": step[1], "before_tool": before}})
        restricted = world["restricted"]["name"]
        forbidden = [{"id": f"used_{restricted}", "description": world["restriction"]["rule"],
                      "check": {"kind": "tool_call", "tool": restricted, "arguments": {}}}]
        if quirk == "rubric_bad_items":
            first = world["plan"][1]
            sub_goals += [
                {"id": "Used Magic!", "description": "Used the magic tool.",
                 "check": {"kind": "tool_call", "tool": "magic_tool", "arguments": {}}},
                {"id": "wrong_record", "description": "Looked up the wrong record.",
                 "check": {"kind": "tool_call", "tool": first[1], "arguments": {next(iter(first[2])): "WRONG-0"}}}]
            required.append({"description": "Asked for the pet's name.",
                             "check": {"kind": "fact_revealed", "fact": "pet_name"}})
        return json.dumps({"decision": "KEEP", "reason": "The demonstrations follow the workflow.", "reference_demo": 0,
                           "sub_goals": sub_goals, "required_interactions": required, "forbidden": forbidden})

    # ---- the agent in demonstrations ----

    def _agent(self, request: dict[str, Any]) -> str | dict[str, Any]:
        messages, tools = request["messages"], request.get("tools")
        blob = json.dumps(tools) if tools else str(messages[0].get("content"))
        world = next((w for w in WORLDS.values() if w["tools"][0]["name"] in blob), None)
        if world is None:
            return "<answer>I cannot help with this.</answer>"
        said, results, malformed_seen = self._read(messages)
        known = {}
        for fact in world["facts"]:
            match = re.search(fact["pattern"], said)
            if match:
                known[fact["key"]] = match.group(0)
        case = _find_case(said)
        quirk = case[1] if case else "clean"
        for step in world["plan"]:
            if step[0] == "ask" and step[1] not in known:
                return next(f["question"] for f in world["facts"] if f["key"] == step[1])
            if step[0] == "call" and step[1] not in results:
                if quirk == "agent_malformed" and not malformed_seen:
                    return f'<tool_call>{{"name": "{step[1]}", "arguments": {{"oops": </tool_call>'
                arguments = {k: self._value(v, known, results) for k, v in step[2].items()}
                if tools:
                    return {"content": "", "tool_calls": [{"name": step[1], "arguments": arguments}]}
                return f"<tool_call>{json.dumps({'name': step[1], 'arguments': arguments})}</tool_call>"
            if step[0] == "answer":
                return f"<answer>{step[1].format(self._value(step[2], known, results))}</answer>"
        return "<answer>Done.</answer>"

    @staticmethod
    def _value(spec: Any, known: dict[str, str], results: dict[str, Any]) -> Any:
        if isinstance(spec, str) and spec.startswith("fact:"):
            return known[spec[5:]]
        if isinstance(spec, str) and spec.startswith("resp:"):
            tool, path = spec[5:].split(".", 1)
            return _path(results[tool], path)
        return copy.deepcopy(spec)

    @staticmethod
    def _read(messages: list[dict[str, Any]]) -> tuple[str, dict[str, Any], bool]:
        """What the user said (one text), each tool's last good JSON result, and whether a malformed call failed."""
        names, said, results, malformed = {}, [], {}, False
        for m in messages[2:]:
            content = str(m.get("content") or "")
            for call in m.get("tool_calls") or []:
                names[call.get("id")] = call["function"]["name"]
            found = [(names.get(m.get("tool_call_id"), ""), content)] if m["role"] == "tool" else re.findall(
                r'<tool_response name="(\w*)">\n(.*?)\n</tool_response>', content, re.DOTALL)
            for name, body in found:
                malformed |= "malformed" in body
                if not body.startswith("Error"):
                    try:
                        results[name] = json.loads(body)
                    except ValueError:
                        pass
            if m["role"] == "user":
                said.append(re.sub(r"<tool_response.*?</tool_response>", "", content, flags=re.DOTALL))
        return "\n".join(said), results, malformed
