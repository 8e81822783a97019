"""Eval on a two-node Ray cluster (Ray's ``cluster_utils.Cluster``): the loop's records, resume, failures."""

import json
import sys
import threading
import time

import pytest

from ray_cluster import SlowOracle, oracle, ray
from redis_server import redis_server, redis_url  # noqa: F401  (fixtures)

from synthagent_env import ray_pool, store_pool
from synthagent_env.evaluation.loop import EvalConfig, evaluate
from synthagent_env.evaluation.ray_backend import evaluate_on_ray
from synthagent_env.ray_pool import check_shared_mapping, for_actors
from synthagent_env.llm import LLMTestServer
from tests.world_model import ScriptedWorldModel

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors cannot import this test module


class BrokenOnSecondTask:
    """The oracle, except that it raises on every task but the first (an agent bug, in the actor)."""

    def __init__(self):
        self.inner = oracle()

    def reset(self, info):
        self.task_id = info["task_id"]
        self.inner.reset(info)

    def act(self, observation, info):
        if self.task_id != FIRST_TASK:
            raise RuntimeError("agent bug")
        return self.inner.act(observation, info)


FIRST_TASK = "banking-car-loan-offer-choice"  # the pack's first task


def _lines(path):
    return [json.loads(line) for line in (path / "episodes.jsonl").read_text().splitlines()]


def test_eval_on_ray_logs_the_loops_records_on_both_nodes_and_resumes(ray_cluster, tmp_path):
    config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, samples=2, limit=3, concurrency=4,
                        progress=False)
    result = evaluate_on_ray(oracle, tmp_path / "ray", config, plot=False)
    assert result.ran == 6 and result.summary["complete"] and result.summary["mean_reward"] == 1.0
    on_ray = _lines(tmp_path / "ray")
    assert len({r["node"] for r in on_ray}) == 2
    local = _lines(evaluate(oracle, tmp_path / "local", config, plot=False).out_dir)
    same = ("task_id", "sample", "seed", "status", "reward", "turns", "end_reason", "trajectory")
    key = lambda r: (r["task_id"], r["sample"])
    assert [{k: r[k] for k in same} for r in sorted(on_ray, key=key)] == \
           [{k: r[k] for k in same} for r in sorted(local, key=key)]
    assert {k for r in on_ray for k in r} - {"node"} == {k for r in local for k in r}
    again = evaluate_on_ray(oracle, tmp_path / "ray", config, plot=False)
    assert (again.ran, again.skipped) == (0, 6)


def test_relative_paths_name_the_drivers_files(ray_cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = EvalConfig(env_kwargs={"mapping_path": "m.sqlite"}, limit=1, progress=False)
    assert evaluate_on_ray(oracle, "run", config, plot=False).summary["complete"]
    from synthagent_env.stores import SqliteStore

    with SqliteStore(tmp_path / "m.sqlite") as store:  # the actors wrote here, not in their own directory
        assert store.entries(FIRST_TASK)


def test_an_episode_that_raises_in_its_actor_is_an_error_record(ray_cluster, tmp_path):
    config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, limit=2, progress=False)
    result = evaluate_on_ray(BrokenOnSecondTask, tmp_path / "run", config, plot=False)
    records = {r["task_id"]: r for r in _lines(tmp_path / "run")}
    assert records[FIRST_TASK]["status"] == "ok" and records[FIRST_TASK]["reward"] == 1.0
    broken = next(r for t, r in records.items() if t != FIRST_TASK)
    assert broken["status"] == "error" and "agent bug" in broken["error"] and broken["reward"] == 0.0
    assert not result.summary["complete"]


def test_several_machines_need_a_networked_mapping():
    with pytest.raises(ValueError, match="each machine would keep its own"):
        check_shared_mapping({"mapping_path": "/tmp/m.sqlite"}, ["10.0.0.1", "10.0.0.2"])
    with pytest.raises(ValueError, match="each machine would keep its own"):  # ToolUse-v0's default file, too
        check_shared_mapping(for_actors("synthagent/ToolUse-v0", {}), ["10.0.0.1", "10.0.0.2"])
    check_shared_mapping({"mapping_path": "redis://10.0.0.1:6379/0"}, ["10.0.0.1", "10.0.0.2"])
    check_shared_mapping(for_actors("synthagent/ToolUse-v0", {}), ["127.0.0.1", "127.0.0.1"])


def _entries(url):
    store = store_pool.open_store(url)  # a fresh store: what Redis holds, no memory cache
    try:
        return {e.key(t): e.response for t in store.task_ids() for e in store.entries(t)}
    finally:
        store.close()


def test_an_actor_and_a_simulator_server_killed_mid_run_lose_nothing(ray_cluster, redis_url, tmp_path, monkeypatch):  # noqa: F811
    """Redis mapping, LLM simulator over a pool of two servers: kill one actor and one server mid-run."""
    pools, before = [], {}

    class Captured(ray_pool.RayEnvPool):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(ray_pool, "RayEnvPool", Captured)
    with LLMTestServer(ScriptedWorldModel(), latency=0.1) as a, LLMTestServer(ScriptedWorldModel(), latency=0.1) as b:
        config = EvalConfig(env_kwargs={"mapping_path": redis_url, "simulator": {
            "backend": "openai", "base_url": [a.url, b.url], "model": "test-model"}}, samples=4, limit=2,
            concurrency=8, progress=False)

        def kill_mid_run():
            while not pools or a.stats["requests"] + b.stats["requests"] < 8:
                time.sleep(0.02)
            before.update(_entries(redis_url))
            ray.kill(pools[0].workers[0], no_restart=False)  # Ray restarts it; its episodes are replayed
            a.stop()

        killer = threading.Thread(target=kill_mid_run, daemon=True)
        killer.start()
        result = evaluate_on_ray(SlowOracle, tmp_path / "run", config, plot=False)
        killer.join(5)
    assert before, "the kill did not happen mid-run"
    records = _lines(tmp_path / "run")
    assert sorted((r["task_id"], r["sample"]) for r in records) == sorted(
        (t, s) for t in {r["task_id"] for r in records} for s in range(4)) and len(records) == 8
    assert result.summary["complete"], [r.get("error") for r in records if r["status"] != "ok"]
    after = _entries(redis_url)
    assert all(after.get(k) == v for k, v in before.items())  # no acknowledged entry lost or changed
    seen = {}
    for r in records:
        for e in r["trajectory"]:
            if e["type"] == "tool_call" and e["status"] == "ok":
                key = (r["task_id"], e["name"], json.dumps(e["arguments"], sort_keys=True))
                assert seen.setdefault(key, e["response"]) == e["response"]  # identical calls, identical answers


def test_the_eval_cli_plays_on_ray(ray_cluster, tmp_path, capsys):
    from synthagent_env.cli import main

    out = tmp_path / "cli-ray"
    assert main(["eval", "--ray", "--ray-workers", "2", "--limit", "2", "-k", "2", "--out", str(out),
                 "--mapping", str(tmp_path / "m.sqlite"), "--no-progress", "--no-plot"]) == 0
    records = _lines(out)
    assert len(records) == 4 and all(r["status"] == "ok" and r["reward"] == 1.0 for r in records)
    assert len({r["node"] for r in records}) == 2
