"""Task model, pack loading/saving and the bundled pack's quality bar."""

import json

import pytest

from synthagent_env import Task, TaskPackError, load_tasks, save_tasks
from synthagent_env.pack import DEFAULT_PACK
from synthagent_env.packs import build
from synthagent_env.packs.build import PACK_PATH, SOURCE_DIR, TaskFileError, source_tasks
from synthagent_env.packs.lint import guessable_facts, lint_pack, lint_task
from synthagent_env.reference import play_reference


@pytest.fixture(scope="module")
def pack():
    return load_tasks("tooluse-v0")


def test_bundled_pack_size_and_domains(pack):
    assert len(pack) >= 30
    assert len({t.domain for t in pack}) >= 6


def test_bundled_pack_passes_lint(pack):
    assert lint_pack(pack) == []


def test_the_build_writes_exactly_the_committed_pack(tmp_path):
    """The bundled JSONL is what the build makes from the task files (validated, linted, every oracle 1.0)."""
    out = tmp_path / "built.jsonl"
    assert build.main(["--out", str(out)]) == 0
    assert out.read_bytes() == PACK_PATH.read_bytes()
    assert [t.id for t in load_tasks(DEFAULT_PACK)] == [t.id for t in source_tasks()]  # what load_tasks reads


def test_the_build_refuses_a_broken_task_file_and_names_it(tmp_path, capsys):
    src = tmp_path / "src"
    for path in sorted(SOURCE_DIR.glob("*/*.json"))[:2]:
        (src / path.parent.name).mkdir(parents=True, exist_ok=True)
        (src / path.parent.name / path.name).write_text(path.read_text())
    victim = next(src.glob("*/*.json"))
    victim.write_text(victim.read_text()[:-20])
    out = tmp_path / "out.jsonl"
    assert build.main(["--source", str(src), "--out", str(out)]) == 1
    assert str(victim) in capsys.readouterr().err and not out.exists()
    moved = src / "elsewhere" / victim.name
    moved.parent.mkdir()
    moved.write_text(next(p for p in SOURCE_DIR.glob(f"*/{victim.name}")).read_text())
    victim.unlink()
    with pytest.raises(TaskFileError, match="belongs in"):
        source_tasks(src)


def test_lint_refuses_a_hidden_fact_offered_as_an_enum_value(pack):
    task = next(t for t in pack if t.id == "retail-damaged-blender-return").model_copy(deep=True)
    assert guessable_facts(task) == []
    fact = next(f for f in task.hidden_facts if f.key == "refund_method")
    fact.aliases = ["Store-Credit"]  # the schema offers "store_credit": the same answer, spelled otherwise
    assert any("enum value 'store_credit' of tool 'create_return'" in p for p in lint_task(task))
    nested = task.model_copy(deep=True)
    nested.hidden_facts[0].aliases = ["express"]
    nested.tools[0].parameters["properties"]["shipping"] = {"type": "object", "properties": {
        "speed": {"type": "string", "enum": ["standard", "Express"]}}}
    assert any("'express'" in p for p in guessable_facts(nested))
    described = task.model_copy(deep=True)
    described.tools[0].description += " Refunds for a cancelled card go to store credit."
    assert any("'cancelled') can be read in the tool schemas" in p for p in lint_task(described))


def test_lint_refuses_a_fact_the_hidden_context_does_not_hold(pack):
    task = next(t for t in pack if t.id == "retail-damaged-blender-return").model_copy(deep=True)
    task.hidden_context = task.hidden_context.replace("cancelled", "closed")
    assert any("'refund_method': neither its value nor an alias" in p for p in lint_task(task))


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



def test_threads_loading_one_pack_at_once_parse_it_once(monkeypatch):
    """64 threads of an env actor start together: the pack is parsed once, not once per thread."""
    import threading

    from synthagent_env import pack as pack_module

    pack_module._load_file.cache_clear()
    parses = []
    real = pack_module.Task.model_validate

    def counting(raw, *a, **kw):
        parses.append(1)
        return real(raw, *a, **kw)

    monkeypatch.setattr(pack_module.Task, "model_validate", counting)
    barrier = threading.Barrier(16)

    def load():
        barrier.wait()
        pack_module.load_tasks("tooluse-v0")

    threads = [threading.Thread(target=load) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pack_module._load_file.cache_clear()
    assert len(parses) == len(pack_module.load_tasks("tooluse-v0"))  # one parse of each task, not 16
