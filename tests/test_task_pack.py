"""Task model, pack loading/saving and the bundled pack's quality bar."""

import json

import pytest

from synthagent_env import Task, TaskPackError, load_tasks, save_tasks
from synthagent_env.packs.build import PACK_PATH, source_tasks
from synthagent_env.packs.lint import lint_pack, lint_task
from synthagent_env.packs.verify import play_reference


@pytest.fixture(scope="module")
def pack():
    return load_tasks("tooluse-v0")


def test_bundled_pack_size_and_domains(pack):
    assert len(pack) >= 30
    assert len({t.domain for t in pack}) >= 6


def test_bundled_pack_passes_lint(pack):
    assert lint_pack(pack) == []


def test_bundled_jsonl_is_built_from_the_sources(pack):
    assert [t.model_dump() for t in pack] == [t.model_dump() for t in source_tasks()]


def test_every_reference_solution_scores_one(pack):
    results = {t.id: play_reference(t, pack) for t in pack}
    assert {tid: r.reward for tid, r in results.items() if r.reward != 1.0} == {}
    assert all(r.info["end_reason"] == "answer" for r in results.values())


def test_tasks_are_not_the_same_template(pack):
    workflows = [tuple(t.workflow) for t in pack]
    schemas = [json.dumps([x.parameters for x in t.tools], sort_keys=True) for t in pack]
    assert len(set(workflows)) == len(pack)
    assert len(set(schemas)) == len(pack)
    # no tool description is reused verbatim across tasks of different ids (names-swapped templates would)
    descriptions = [d for t in pack for d in {x.description for x in t.tools}]
    assert len(descriptions) - len(set(descriptions)) <= len(pack) // 10


def test_save_and_load_round_trip(pack, tmp_path):
    path = save_tasks(pack[:3], tmp_path / "p.jsonl")
    assert [t.model_dump() for t in load_tasks(path)] == [t.model_dump() for t in pack[:3]]


def test_bad_json_line_is_named(pack, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(pack[0].model_dump_json() + "\n{not json\n")
    with pytest.raises(TaskPackError, match=r"bad\.jsonl:2: not valid JSON"):
        load_tasks(path)


def test_bad_field_is_named(pack, tmp_path):
    raw = json.loads(pack[0].model_dump_json())
    raw["tools"][0]["parameters"] = {"type": "array"}
    path = tmp_path / "bad.jsonl"
    path.write_text(pack[1].model_dump_json() + "\n" + json.dumps(raw) + "\n")
    with pytest.raises(TaskPackError, match=r"bad\.jsonl:2: field 'tools\.0\.parameters'"):
        load_tasks(path)


def test_missing_field_is_named(pack, tmp_path):
    raw = json.loads(pack[0].model_dump_json())
    del raw["instruction"]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(raw) + "\n")
    with pytest.raises(TaskPackError, match=r"bad\.jsonl:1: field 'instruction': Field required"):
        load_tasks(path)


def test_model_rejects_dangling_references(pack):
    raw = json.loads(pack[0].model_dump_json())
    raw["rubric"]["sub_goals"][0]["check"] = {"kind": "tool_call", "tool": "no_such_tool", "arguments": {}}
    with pytest.raises(ValueError, match="unknown tool 'no_such_tool'"):
        Task.model_validate(raw)
    raw = json.loads(pack[0].model_dump_json())
    raw["seed_mapping"][0]["arguments"] = {"unexpected": 1}
    with pytest.raises(ValueError, match="violate the schema"):
        Task.model_validate(raw)


def test_lint_catches_a_missing_seed(pack):
    task = pack[0].model_copy(deep=True)
    task.seed_mapping = task.seed_mapping[1:]
    assert any("not in the seed mapping" in p for p in lint_task(task))


def test_packed_file_is_the_bundled_path():
    assert PACK_PATH.exists() and PACK_PATH.name == "tooluse_v0.jsonl"
