"""The synthesis pipeline's parts on their own: personas, schema checks, the information-gap check, the teacher's
repair loop, rubric normalisation and the CLI."""

import json

import pytest

from synthagent_env import load_tasks
from synthagent_env.cli import build_parser
from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.synthesis.fuzzy import gap_problems
from synthagent_env.synthesis.fuzzy import parse as parse_fuzzy
from synthagent_env.synthesis.personas import (
    bundled_personas,
    load_personas,
    persona_id,
    space_size,
)
from synthagent_env.synthesis.rubric_extraction import normalise_check
from synthagent_env.synthesis.stage import Invalid, Rejected
from synthagent_env.synthesis.teacher import CORRECTION_PREFIX, Teacher
from synthagent_env.synthesis.tool_schema import flatten_tool, tool_problems
from synthagent_env.synthesis.toolset import parse as parse_toolset
from synthagent_env.task import HiddenFact, Task

GOOD_TOOL = {"name": "find_order", "description": "Find an order.", "output_description": "The order.",
             "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
             "output_schema": {"type": "object", "properties": {"status": {"type": "string"}}}}


# ---- personas ----

def test_bundled_personas_are_many_distinct_and_prefix_stable():
    assert space_size() >= 100_000
    thousand = bundled_personas(1000)
    assert len({p.text for p in thousand}) == len({p.id for p in thousand}) == 1000
    assert len({p.text.split(".")[0] for p in thousand}) > 900  # occupation x context pairs vary too
    assert bundled_personas(10) == thousand[:10]
    assert bundled_personas(10, seed=1) != thousand[:10]


def test_user_personas_from_jsonl(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"persona": "A chef in Lyon."}\n"A pilot."\n\n{"text": "A chef in  Lyon."}\n'
                    '{"persona": "A nurse."}\n')
    personas = load_personas(path)
    assert [p.text for p in personas] == ["A chef in Lyon.", "A pilot.", "A nurse."]  # duplicates dropped
    assert personas[0].id == persona_id("A chef in Lyon.")
    assert len(load_personas(path, limit=2)) == 2
    path.write_text('{"persona": "ok"}\n{"name": 3}\n')
    with pytest.raises(ValueError, match=":2:"):
        load_personas(path)


# ---- tool schemas ----

def test_tool_schema_check_accepts_both_shapes_and_names_each_problem():
    assert tool_problems(GOOD_TOOL) == []
    envelope = {"type": "function", "function": {k: GOOD_TOOL[k] for k in ("name", "description", "parameters")},
                "output_description": "The order.", "output_schema": GOOD_TOOL["output_schema"]}
    assert flatten_tool(envelope) == GOOD_TOOL
    cases = {
        "strng": {**GOOD_TOOL, "parameters": {"type": "object", "properties": {"x": {"type": "strng"}}}},
        "'object' was expected": {**GOOD_TOOL, "parameters": {"type": "array"}},
        "does not match": {**GOOD_TOOL, "name": "find order!"},
        "undeclared": {**GOOD_TOOL, "parameters": {"type": "object", "properties": {}, "required": ["x"]}},
        "output_description": {k: v for k, v in GOOD_TOOL.items() if k != "output_description"},
        "output_schema": {k: v for k, v in GOOD_TOOL.items() if k != "output_schema"},
    }
    for needle, tool in cases.items():
        problems = tool_problems(tool)
        assert problems and needle in " ".join(problems), (needle, problems)
    assert tool_problems(flatten_tool("not a tool")) == ["a tool must be a JSON object"]


def test_toolset_reply_shape_is_checked():
    reply = {"domain": "Retail Shop", "task": "Return my broken blender please.", "tools": [GOOD_TOOL] * 1,
             "workflow": ["a"] * 5, "restriction": {"tool": "find_order", "rule": "r"}}
    with pytest.raises(Invalid, match="3 to 5 tools"):
        parse_toolset(reply)
    tools = [{**GOOD_TOOL, "name": n} for n in ("a_tool", "b_tool", "c_tool")]
    with pytest.raises(Invalid, match="restriction names 'find_order'"):
        parse_toolset({**reply, "tools": tools})
    ok = parse_toolset({**reply, "tools": tools, "restriction": {"tool": "b_tool", "rule": "r"}})
    assert ok["domain"] == "retail_shop" and len(ok["tools"]) == 3


# ---- the information gap ----

def test_gap_check_catches_leaks_tool_names_and_long_instructions():
    facts = [HiddenFact(key="order_id", value="A-4821", statement="It's A-4821.", keywords=["order"]),
             HiddenFact(key="guests", value="2", statement="We are 2.", keywords=["how many"])]
    tools = ["lookup_order", "refund"]
    assert gap_problems("I need help with a broken order from 2025.", facts, tools) == []  # "2" is not in "2025"
    problems = gap_problems("Please lookup_order a-4821 for 2 people.", facts, tools)
    assert any("lookup_order" in p for p in problems)
    assert any("'order_id'" in p for p in problems) and any("'guests'" in p for p in problems)
    assert gap_problems("Lookup order for me please.", facts, tools) != []  # the spoken tool name
    assert "ONE sentence" in gap_problems("Hi there. I need a refund.", facts, tools)[0]
    assert gap_problems("Hello, e.g. a refund is what I want.", facts, tools) == []


def test_fuzzy_reply_is_parsed_and_leaks_are_information_gap_errors():
    reply = {"instruction": "I need to return something.", "hidden_context": "You ordered A-1.",
             "hidden_facts": [{"key": "Order ID", "value": 4821, "statement": "It's order 4821.",
                               "keywords": ["Order"]},
                              {"key": "item", "value": "blender", "statement": "The blender.", "keywords": ["item"]}]}
    parsed = parse_fuzzy(reply, tool_names=["find_order"])
    assert [f["key"] for f in parsed["hidden_facts"]] == ["order_id", "item"]
    assert parsed["hidden_facts"][0]["value"] == "4821" and parsed["hidden_facts"][0]["keywords"] == ["order"]
    with pytest.raises(Invalid) as err:
        parse_fuzzy({**reply, "instruction": "Return my blender please."}, tool_names=[])
    assert err.value.code == "information_gap"
    bad_statement = dict(reply, hidden_facts=[reply["hidden_facts"][0], {**reply["hidden_facts"][1], "statement": "x"}])
    with pytest.raises(Invalid, match="must contain its value"):
        parse_fuzzy(bad_statement, tool_names=[])


# ---- the teacher's repair loop ----

def _parse_number(value):
    if not isinstance(value, dict) or not isinstance(value.get("n"), int):
        raise Invalid('reply {"n": <int>}')
    return value["n"]


def test_teacher_repairs_in_place_asks_again_and_finally_rejects():
    script = ["Sure!\n```json\n{'n': 3,}\n```",  # repaired in place
              "no json here", '{"n": "x"}', '{"n": 5}',  # two rejected replies, then good
              "nope", "nope", "nope"]  # rejected three times
    with LLMTestServer(script=script) as server:
        client = OpenAIClient(server.url, "m", api_key_env=None)
        teacher = Teacher(client, max_attempts=3)
        assert teacher.ask_json([{"role": "user", "content": "go"}], _parse_number, "number") == 3
        assert teacher.ask_json([{"role": "user", "content": "go"}], _parse_number, "number") == 5
        with pytest.raises(Rejected) as rej:
            teacher.ask_json([{"role": "user", "content": "go"}], _parse_number, "number")
        retry = server.requests[2].body["messages"]
        client.close()
    assert rej.value.code == "malformed_reply" and "after 3 attempts" in rej.value.detail
    assert retry[-1]["content"].startswith(CORRECTION_PREFIX) and retry[-2]["content"] == "no json here"
    assert teacher.client.usage["requests"] == 7 and teacher.client.usage["total_tokens"] > 0
    assert any("JSON repaired" in n for n in teacher.notes) and any("repaired on attempt 3" in n for n in teacher.notes)


# ---- rubric normalisation ----

def test_rubric_checks_are_normalised_against_the_task():
    task = Task(id="t", domain="d", persona="p", instruction="i", tools=[GOOD_TOOL],
                hidden_facts=[HiddenFact(key="order_id", value="A1", statement="A1", keywords=["order"])])
    good = {"kind": "tool_call", "tool": "find_order", "arguments": {"order_id": {"$contains": "A1"}}}
    assert normalise_check(good, task) == (good, None)
    assert normalise_check({"kind": "tool_call", "tool": "nope"}, task)[0] == {"kind": "judge"}
    unknown_argument = {"kind": "tool_call", "tool": "find_order", "arguments": {"x": 1}}
    assert "no arguments ['x']" in normalise_check(unknown_argument, task)[1]
    fact, note = normalise_check({"kind": "fact_revealed", "fact": "order_id", "before_tool": "ghost"}, task)
    assert fact["before_tool"] is None and "ghost" in note
    assert normalise_check({"kind": "answer_contains", "values": [42, ""]}, task)[0]["values"] == ["42"]
    assert normalise_check({"kind": "telepathy"}, task) == ({"kind": "judge"}, "unknown check kind 'telepathy'")
    assert normalise_check("judge me", task) == ({"kind": "judge"}, None)


# ---- the command line ----

def test_cli_registers_synth():
    args = build_parser().parse_args(["synth", "--teacher-url", "http://x/v1", "--out", "p.jsonl", "--personas", "5",
                                      "--agent-tool-mode", "text", "--no-offline-gate"])
    assert args.personas == 5 and args.agent_tool_mode == "text" and args.offline_gate is False
    assert args.run.__name__ == "synth"


def test_cli_runs_against_the_loopback_server(tmp_path, capsys):
    from synthagent_env.cli import main
    from tests.scripted_teacher import ScriptedTeacher

    with LLMTestServer(ScriptedTeacher()) as server:
        code = main(["synth", "--teacher-url", server.url, "--personas", "3", "--seed", "7", "--demos", "2",
                     "--out", str(tmp_path / "pack.jsonl"), "--no-progress", "--api-key-env", ""])
    printed = capsys.readouterr().out
    assert code == 0
    assert "toolset" in printed and "teacher tokens:" in printed and "per kept task" in printed
    report = json.loads((tmp_path / "pack.jsonl.work" / "report.json").read_text())
    assert report["stages"][0]["in"] == 3
    tasks = load_tasks(tmp_path / "pack.jsonl")
    assert len(tasks) == report["tokens"]["kept_tasks"] >= 1
    assert all(t.metadata["synthesis"]["teacher_model"] == "test-model" for t in tasks)  # asked from /models


class _CutOffClient:
    """Replies with a JSON object cut off by the token limit, then a complete one."""

    def __init__(self):
        from synthagent_env.llm import UsageMeter

        self.usage, self.replies = UsageMeter(), ['{"n": 12', '{"n": 7}']

    def chat(self, messages, **sampling):
        from synthagent_env.llm import Completion

        text = self.replies.pop(0)
        return Completion(text, finish_reason="length" if not text.endswith("}") else "stop")

    async def achat(self, messages, **sampling):
        return self.chat(messages, **sampling)

    def close(self):
        pass


def test_a_reply_cut_off_by_the_token_limit_is_not_repaired_into_a_wrong_value():
    teacher = Teacher(_CutOffClient())
    assert teacher.ask_json([{"role": "user", "content": "go"}], _parse_number, "number") == 7
    assert "truncated_reply" in teacher.notes[0]


def test_tool_review_accepts_word_flags_and_validates_distractors():
    from synthagent_env.synthesis.tool_check import parse_review

    review = {"verdicts": [{"name": "find_order", "llm_can_do_it": "no", "text_output": "Yes"}],
              "completable": "yes", "workflow_follows_restriction": True,
              "distractors": [{**GOOD_TOOL, "name": "track_parcel"}, {**GOOD_TOOL, "name": "bad", "parameters": {}}]}
    with pytest.raises(Invalid, match="distractor 1"):
        parse_review(review, names=["find_order"])
    review["distractors"].pop()
    parsed = parse_review(review, names=["find_order"])
    assert parsed["verdicts"]["find_order"]["llm_can_do_it"] is False and parsed["distractors"][0]["distractor"]
    assert parsed["completable"] is True and parsed["workflow_follows_restriction"] is True
    with pytest.raises(Invalid, match="no verdict for tool 'other'"):
        parse_review(review, names=["find_order", "other"])


# ---- reference selection ----

def _bundled_demo(task, steps=None):
    """A demonstration of a bundled task: its reference solution played in the env."""
    from synthagent_env.reference import play_reference
    from synthagent_env.synthesis.demos import summarize
    from synthagent_env.synthesis.reference import with_reference

    played = with_reference(task, steps if steps is not None else task.model_dump(mode="json")["reference_solution"])
    return summarize(play_reference(played).info)


def test_settle_keeps_a_consistent_rubric_and_drops_what_the_reference_fails():
    from synthagent_env import load_tasks
    from synthagent_env.synthesis.reference import settle

    task = next(t for t in load_tasks("tooluse-v0") if t.id == "banking-duplicate-card-charge-dispute")
    demos = [_bundled_demo(task)]
    bare = Task.model_validate({**task.model_dump(mode="json"), "reference_solution": []})
    final, index, notes = settle(bare, demos, preferred=0)
    assert index == 0 and notes == [] and final.rubric == task.rubric
    assert [s.kind for s in final.reference_solution] == [s.kind for s in task.reference_solution]

    rubric = task.rubric.model_dump(mode="json")
    rubric["sub_goals"].append({"id": "wrong_card", "description": "Found card 0000.",
                                "check": {"kind": "tool_call", "tool": "find_card", "arguments": {"last4": "0000"}}})
    with_wrong = Task.model_validate({**bare.model_dump(mode="json"), "rubric": rubric})
    final, _, notes = settle(with_wrong, demos, preferred=0)
    assert "wrong_card" not in [i.id for i in final.rubric.sub_goals] and "dropped wrong_card" in notes[0]

    rubric = task.rubric.model_dump(mode="json")
    rubric["forbidden"].append({"id": "searched_at_all", "description": "Searched transactions.",
                                "check": {"kind": "tool_call", "tool": "search_transactions", "arguments": {}}})
    violating = Task.model_validate({**bare.model_dump(mode="json"), "rubric": rubric})
    with pytest.raises(Rejected) as rej:
        settle(violating, demos, preferred=0)
    assert rej.value.code == "reference_violates_policy"

    unfinished = _bundled_demo(task, task.model_dump(mode="json")["reference_solution"][:2])
    with pytest.raises(Rejected) as rej:  # it answers after one call: most of the rubric fails
        settle(bare, [unfinished], preferred=None)
    assert rej.value.code == "reference_fails_rubric"
    with pytest.raises(Rejected) as rej:
        settle(bare, [{**demos[0], "end_reason": "max_turns"}], preferred=None)
    assert rej.value.code == "no_usable_demo"
