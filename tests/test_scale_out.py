"""Eval on a two-node Ray cluster (Ray's ``cluster_utils.Cluster``): the loop's records, resume, failures."""

import json
import os
import sys

import pytest

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # every node on 127.0.0.1 (see test_ray_pool)
ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster

from synthagent_env.evaluation.loop import EvalConfig, evaluate
from synthagent_env.evaluation.ray_backend import check_shared_mapping, evaluate_on_ray

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors cannot import this test module


def _oracle():
    from synthagent_agents import OracleAgent

    return OracleAgent("tooluse-v0")


class BrokenOnSecondTask:
    """The oracle, except that it raises on every task but the first (an agent bug, in the actor)."""

    def __init__(self):
        self.inner = _oracle()

    def reset(self, info):
        self.task_id = info["task_id"]
        self.inner.reset(info)

    def act(self, observation, info):
        if self.task_id != FIRST_TASK:
            raise RuntimeError("agent bug")
        return self.inner.act(observation, info)


FIRST_TASK = "banking-car-loan-offer-choice"  # the pack's first task


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    c.add_node(num_cpus=2)
    c.wait_for_nodes()
    ray.init(address=c.address, log_to_driver=False)
    yield c
    ray.shutdown()
    c.shutdown()


def _lines(path):
    return [json.loads(line) for line in (path / "episodes.jsonl").read_text().splitlines()]


def test_eval_on_ray_logs_the_loops_records_on_both_nodes_and_resumes(cluster, tmp_path):
    config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, samples=2, limit=3, concurrency=4,
                        progress=False)
    result = evaluate_on_ray(_oracle, tmp_path / "ray", config, plot=False)
    assert result.ran == 6 and result.summary["complete"] and result.summary["mean_reward"] == 1.0
    on_ray = _lines(tmp_path / "ray")
    assert len({r["node"] for r in on_ray}) == 2
    local = _lines(evaluate(_oracle, tmp_path / "local", config, plot=False).out_dir)
    same = ("task_id", "sample", "seed", "status", "reward", "turns", "end_reason", "trajectory")
    key = lambda r: (r["task_id"], r["sample"])
    assert [{k: r[k] for k in same} for r in sorted(on_ray, key=key)] == \
           [{k: r[k] for k in same} for r in sorted(local, key=key)]
    assert {k for r in on_ray for k in r} - {"node"} == {k for r in local for k in r}
    again = evaluate_on_ray(_oracle, tmp_path / "ray", config, plot=False)
    assert (again.ran, again.skipped) == (0, 6)


def test_relative_paths_name_the_drivers_files(cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = EvalConfig(env_kwargs={"mapping_path": "m.sqlite"}, limit=1, progress=False)
    assert evaluate_on_ray(_oracle, "run", config, plot=False).summary["complete"]
    from synthagent_env.stores import SqliteStore

    with SqliteStore(tmp_path / "m.sqlite") as store:  # the actors wrote here, not in their own directory
        assert store.entries(FIRST_TASK)


def test_an_episode_that_raises_in_its_actor_is_an_error_record(cluster, tmp_path):
    config = EvalConfig(env_kwargs={"mapping_path": str(tmp_path / "m.sqlite")}, limit=2, progress=False)
    result = evaluate_on_ray(BrokenOnSecondTask, tmp_path / "run", config, plot=False)
    records = {r["task_id"]: r for r in _lines(tmp_path / "run")}
    assert records[FIRST_TASK]["status"] == "ok" and records[FIRST_TASK]["reward"] == 1.0
    broken = next(r for t, r in records.items() if t != FIRST_TASK)
    assert broken["status"] == "error" and "agent bug" in broken["error"] and broken["reward"] == 0.0
    assert not result.summary["complete"]


def test_several_machines_need_a_networked_mapping():
    with pytest.raises(ValueError, match="each machine would keep its own"):
        check_shared_mapping(EvalConfig(env_kwargs={"mapping_path": "/tmp/m.sqlite"}), ["10.0.0.1", "10.0.0.2"])
    check_shared_mapping(EvalConfig(env_kwargs={"mapping_path": "redis://10.0.0.1:6379/0"}), ["10.0.0.1", "10.0.0.2"])
    check_shared_mapping(EvalConfig(), ["127.0.0.1", "127.0.0.1"])
