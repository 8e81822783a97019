"""The synthesis pipeline end to end against the loopback server and the scripted teacher.

Every quirk of the scripted teacher (malformed, prose-wrapped, short, leaking, DISCARDing replies, an invalid tool
schema, a malformed tool call in a demonstration, broken rubric items) appears once, and HTTP faults hit the
first requests; the pipeline must repair or reject, never crash, and the pack must load, pass the env checker
and be solved by the oracle.
"""

import json
import tempfile

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env
from synthagent_agents import OracleAgent

import synthagent_env  # noqa: F401  (registers the envs)
from synthagent_env import load_tasks
from synthagent_env.episode import play_episode
from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.synthesis.config import SynthConfig
from synthagent_env.synthesis.pipeline import run_pipeline
from synthagent_env.task import JudgeCheck
from tests.scripted_teacher import OUTCOMES, QUIRKS, ScriptedTeacher
from tests.scripted_teacher_worlds import WORLDS

WORLD_NAMES = sorted(WORLDS)


def tagged_personas(path, quirks, prefix="A tester"):
    personas = [f"{prefix} number {i} [world:{WORLD_NAMES[i % len(WORLD_NAMES)]}] [quirk:{q}]"
                for i, q in enumerate(quirks)]
    path.write_text("".join(json.dumps({"persona": p}) + "\n" for p in personas), encoding="utf-8")
    return personas


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    """One full run: every quirk once plus two clean personas, faults on the first requests."""
    tmp = tmp_path_factory.mktemp("synth")
    quirks = [*QUIRKS, "clean", "clean"]
    tagged_personas(tmp / "personas.jsonl", quirks)
    with LLMTestServer(ScriptedTeacher(), fault_plan=["http_503", "garbage", None, "http_429", "garbage"],
                       retry_after=0.01) as server:
        client = OpenAIClient(server.url, "test-model", api_key_env=None, backoff=0.01, max_concurrency=16)
        config = SynthConfig(teacher_url=server.url, out=tmp / "pack.jsonl", persona_file=tmp / "personas.jsonl",
                             personas=len(quirks), concurrency=4, progress=False, api_key_env=None)
        result = run_pipeline(config, client=client)
        client.close()
        stats, errors = dict(server.stats), list(server.errors)
    return {"result": result, "quirks": quirks, "config": config, "stats": stats, "server_errors": errors}


def stage(report, name):
    return next(s for s in report["stages"] if s["stage"] == name)


def test_runs_without_errors_and_keeps_what_the_quirks_allow(synthesized):
    result, quirks = synthesized["result"], synthesized["quirks"]
    assert result.errors == [] and synthesized["server_errors"] == []
    assert synthesized["stats"]["garbage"] == 2 and synthesized["stats"]["http_503"] == 1
    expected_kept = sum(OUTCOMES[q] == "kept" for q in quirks)
    assert len(result.tasks) == expected_kept == 9
    report = result.report
    assert stage(report, "toolset")["reasons"] == {"malformed_reply": 1}
    assert stage(report, "fuzzy")["reasons"] == {"information_gap": 1}
    assert stage(report, "rubric")["reasons"] == {"teacher_discard": 1}
    for name in ("tool_check", "demos"):
        assert stage(report, name)["discarded"] == 0
    assert all(s["pending"] == 0 and s["errors"] == 0 for s in report["stages"])


def test_repairs_and_drops_are_recorded(synthesized):
    report = synthesized["result"].report
    toolset_notes = stage(report, "toolset")["notes"]
    assert toolset_notes["JSON repaired in place"] >= 1  # the prose-wrapped reply
    assert toolset_notes["repaired by asking again"] >= 1  # the short workflow, fixed on the second try
    tool_notes = stage(report, "tool_check")["notes"]
    assert tool_notes["tools dropped (invalid_schema)"] == 1
    assert tool_notes["tools dropped (llm_can_do_it)"] == len(synthesized["quirks"]) - 2  # no helper when bad_schema
    assert stage(report, "fuzzy")["notes"]["repaired by asking again"] == 1
    rubric_notes = stage(report, "rubric")["notes"]
    assert rubric_notes["rubric items turned into judge items"] == 2
    assert rubric_notes["rubric items dropped (reference fails them)"] == 1
    bad = next(t for t in synthesized["result"].tasks if "bad_schema" in t.persona)
    dropped = bad.metadata["synthesis"]["dropped_tools"]
    assert [d["name"] for d in dropped] == ["export_pdf"] and "strng" in dropped[0]["reason"]


def test_token_accounting(synthesized):
    result = synthesized["result"]
    tokens = result.report["tokens"]
    assert tokens["kept_tasks"] == len(result.tasks)
    assert tokens["teacher_tokens_total"] == sum(s["teacher_tokens"] for s in result.report["stages"])
    per_task = tokens["teacher_tokens_total"] / len(result.tasks)
    assert tokens["teacher_tokens_per_kept_task"] == pytest.approx(per_task, abs=0.1)
    # discarded items cost tokens too, so the amortised cost is above a kept task's own
    assert tokens["teacher_tokens_per_kept_task"] > tokens["teacher_tokens_of_a_kept_task_mean"] > 0
    assert tokens["simulator_tokens_total"] > 0
    for task in result.tasks:
        assert task.metadata["synthesis"]["teacher_tokens"] > 0
        assert task.metadata["synthesis"]["teacher_model"] == "test-model"
    saved = json.loads((synthesized["config"].workdir / "report.json").read_text())
    assert saved["tokens"] == tokens


def test_pack_is_valid_and_the_oracle_solves_it(synthesized):
    out = synthesized["config"].out
    tasks = load_tasks(out)
    assert [t.id for t in tasks] == [t.id for t in synthesized["result"].tasks]
    for task in tasks:
        core = [t for t in task.tools if not t.distractor]
        assert 3 <= len(core) <= 5 and 1 <= len(task.tools) - len(core) <= 2
        assert task.seed_mapping and task.reference_solution[-1].kind == "answer"
        assert not any(f.value.lower() in task.instruction.lower() for f in task.hidden_facts)
        assert task.rubric.forbidden and task.rubric.required_interactions
    with tempfile.TemporaryDirectory() as tmp:
        env = gym.make("synthagent/ToolUse-v0", tasks=str(out), mapping_path=f"{tmp}/mapping.sqlite")
        check_env(env.unwrapped)
        agent = OracleAgent(str(out))
        for task in tasks:
            result = play_episode(env, agent, task_id=task.id)
            assert result.info["end_reason"] == "answer"
            decided = [i for i in result.info["reward_details"]["items"] if i["decided_by"] == "trajectory"]
            assert all(i["passed"] == (i["section"] != "forbidden") for i in decided), result.failures
            if not any(isinstance(item.check, JudgeCheck) for _, item in task.rubric.items()):
                assert result.reward == 1.0
            assert result.info["stats"]["simulator_calls"] == 0  # every reference call is in the seed mapping
        env.close()


def test_rerun_is_a_no_op(synthesized, tmp_path):
    """Everything is on disk: the same command again asks the teacher nothing and writes the same pack."""
    config = synthesized["config"]
    before = config.out.read_text()
    with LLMTestServer(ScriptedTeacher()) as server:
        again = run_pipeline(config, client=OpenAIClient(server.url, "test-model", api_key_env=None))
        assert server.stats["requests"] == 0
    assert [t.id for t in again.tasks] == [t.id for t in synthesized["result"].tasks]
    assert config.out.read_text() == before
    assert again.report["tokens"] == synthesized["result"].report["tokens"]


def test_text_tool_mode_and_offline_world(tmp_path):
    """Hermes text tool calls (servers without a tool parser) and the offline mock world also give a valid pack."""
    tagged_personas(tmp_path / "p.jsonl", ["clean", "agent_malformed", "clean"], prefix="A text-mode tester")
    with LLMTestServer(ScriptedTeacher()) as server:
        config = SynthConfig(teacher_url=server.url, out=tmp_path / "pack.jsonl", persona_file=tmp_path / "p.jsonl",
                             personas=3, demos=2, agent_tool_mode="text", simulator="offline", progress=False,
                             api_key_env=None)
        result = run_pipeline(config)
        assert all("tools" not in r.body for r in server.requests)
    assert result.errors == [] and len(result.tasks) == 3
    assert result.report["tokens"]["simulator_tokens_total"] == 0
    assert len(load_tasks(config.out)) == 3
