"""FuzzyTaskGen's third part: the world records (what the systems behind the tools hold, for the mock tool),
checked never to carry what only the user knows, and carried from the fuzzy stage to the demonstrations' mock
tool and to the pack."""

import json
import re

import pytest

from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.simulators.prompts import TOOL_ROLE
from synthagent_env.synthesis import fuzzy
from synthagent_env.synthesis.config import SynthConfig
from synthagent_env.synthesis.fuzzy import parse as parse_fuzzy
from synthagent_env.synthesis.pipeline import run_pipeline
from synthagent_env.synthesis.stage import Invalid
from tests.scripted_teacher import ScriptedTeacher, _find_case
from tests.test_synthesis_pipeline import stage, tagged_personas

FACTS = [{"key": "order_id", "value": "A-4821", "statement": "It's order A-4821.", "keywords": ["order"],
          "aliases": ["4821"]},
         {"key": "item", "value": "blender", "statement": "The blender.", "keywords": ["item"]}]
REPLY = {"instruction": "I need to return something.", "hidden_context": "You ordered a blender in A-4821.",
         "hidden_facts": FACTS}


def test_world_records_are_parsed_and_normalised():
    parsed = parse_fuzzy({**REPLY, "world_records": ["  Returns are accepted  within 30 days. ", "",
                                                       "Refunds go to the original card."]}, tool_names=[])
    assert parsed["world_records"] == ["Returns are accepted within 30 days.", "Refunds go to the original card."]
    assert parse_fuzzy(REPLY, tool_names=[])["world_records"] == []  # none given: allowed, noted by the stage


@pytest.mark.parametrize("record, fact", [("Order A-4821 was delivered on 3 May.", "order_id"),
                                          ("Order number 4821 is on file.", "order_id"),  # an alias
                                          ("The customer's order holds one BLENDER.", "item")])
def test_a_world_record_holding_a_hidden_fact_is_refused(record, fact):
    with pytest.raises(Invalid) as err:
        parse_fuzzy({**REPLY, "world_records": ["Returns are accepted within 30 days.", record]}, tool_names=[])
    assert err.value.code == "world_leak" and repr(fact) in str(err.value)


@pytest.mark.parametrize("records, needle", [("one string", "list of strings"), ([1, 2], "list of strings"),
                                             (["x"] * (fuzzy.MAX_WORLD_RECORDS + 1), "at most"),
                                             (["y" * (fuzzy.MAX_WORLD_RECORD_CHARS + 1)], "characters")])
def test_world_records_shape_is_checked(records, needle):
    with pytest.raises(Invalid, match=needle):
        parse_fuzzy({**REPLY, "world_records": records}, tool_names=[])


class WorldTeacher(ScriptedTeacher):
    """The scripted teacher, also writing world records; the first fuzzy reply of a case puts a hidden fact in
    one (the stage must ask again)."""

    def __init__(self):
        super().__init__()
        self.leaked: set[int] = set()

    def _fuzzy(self, prompt, retry):
        reply = json.loads(super()._fuzzy(prompt, retry))
        world, _, n = _find_case(prompt)
        records = [f"Case numbers in this {world['domain']} system look like {world['prefix']}-NNNNN.",
                   f"The {world['domain']} service answers every request within one working day."]
        if n not in self.leaked:
            self.leaked.add(n)
            records.append(f"Case {reply['hidden_facts'][0]['value']} is open.")
        return json.dumps({**reply, "world_records": records})


def _mentions_any(text, facts):
    values = [v for f in facts for v in [f.value, *f.aliases]]
    return [v for v in values if re.search(rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])", text, re.IGNORECASE)]


def test_synthesized_tasks_carry_world_records_without_user_secrets(tmp_path):
    tagged_personas(tmp_path / "p.jsonl", ["clean", "clean", "clean"], prefix="A world-records tester")
    with LLMTestServer(WorldTeacher()) as server:
        config = SynthConfig(teacher_url=server.url, out=tmp_path / "pack.jsonl", persona_file=tmp_path / "p.jsonl",
                             personas=3, demos=2, progress=False, api_key_env=None)
        result = run_pipeline(config, client=OpenAIClient(server.url, "test-model", api_key_env=None))
        tool_prompts = [m["content"] for r in server.requests for m in r.body["messages"]
                        if m["role"] == "system" and m["content"].startswith(TOOL_ROLE)]
    assert result.errors == [] and len(result.tasks) == 3
    assert stage(result.report, "fuzzy")["notes"]["repaired by asking again"] == 3  # each leak was sent back
    for task in result.tasks:
        assert len(task.world_records) == 2 and "system look like" in task.world_records[0]
        assert not [leak for r in task.world_records if (leak := _mentions_any(r, task.hidden_facts))]
        # the demonstrations' mock tool was shown them (the records are what it answers from)
        assert any(task.world_records[0] in p for p in tool_prompts)
    assert tool_prompts and all("is open." not in p for p in tool_prompts)


def test_a_task_without_world_records_is_noted(tmp_path):
    tagged_personas(tmp_path / "p.jsonl", ["clean"], prefix="A no-world tester")
    with LLMTestServer(ScriptedTeacher()) as server:  # answers without world records
        config = SynthConfig(teacher_url=server.url, out=tmp_path / "pack.jsonl", persona_file=tmp_path / "p.jsonl",
                             personas=1, demos=2, simulator="offline", progress=False, api_key_env=None)
        result = run_pipeline(config, client=OpenAIClient(server.url, "test-model", api_key_env=None))
    assert len(result.tasks) == 1 and result.tasks[0].world_records == []
    assert stage(result.report, "fuzzy")["notes"]["tasks without world records"] == 1
