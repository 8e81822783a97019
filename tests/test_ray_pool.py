"""Env workers on a real Ray cluster of two nodes on this machine (Ray's own ``cluster_utils.Cluster``)."""

import os
import signal
import time

import pytest

# Tests bind loopback only: with this, Ray (imported below) uses 127.0.0.1 as every node's address.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

from synthagent_env import load_tasks  # noqa: E402
from synthagent_env.ray_pool import EpisodeSpec, RayEnvPool  # noqa: E402

import sys  # noqa: E402

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
TASKS = [t.id for t in load_tasks("tooluse-v0")[:8]]


def _oracle():
    from synthagent_agents import OracleAgent

    return OracleAgent("tooluse-v0")


class SlowOracle:
    """The oracle, slowed down so that an actor can be killed while it plays."""

    def __init__(self):
        self.inner = _oracle()

    def reset(self, info):
        self.inner.reset(info)

    def act(self, observation, info):
        time.sleep(0.05)
        return self.inner.act(observation, info)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster():
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    c.add_node(num_cpus=2)
    c.wait_for_nodes()
    ray.init(address=c.address, log_to_driver=False)
    yield c
    ray.shutdown()
    c.shutdown()


def test_pool_plays_on_two_nodes_and_shares_one_mapping(cluster, tmp_path):
    pool = RayEnvPool("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "m.sqlite")}, num_workers=2,
                      episodes_per_worker=4)
    try:
        assert len(set(pool.nodes())) == 2
        results = pool.play([EpisodeSpec(t, sample=s) for t in TASKS for s in range(2)], _oracle)
        assert [(r["task_id"], r["sample"]) for r in results] == [(t, s) for t in TASKS for s in range(2)]
        assert all(r["reward"] == 1.0 for r in results)
        assert len({r["node"] for r in results}) == 2
    finally:
        pool.close()


def test_a_killed_actor_loses_no_episode(cluster, tmp_path):
    pool = RayEnvPool("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "m.sqlite")}, num_workers=2,
                      episodes_per_worker=2)
    try:
        specs = [EpisodeSpec(t) for t in TASKS]
        refs = [pool.workers[i % 2].play.remote(s, SlowOracle) for i, s in enumerate(specs)]
        time.sleep(1.0)
        ray.kill(pool.workers[0], no_restart=False)  # Ray restarts it and retries its episodes
        results = ray.get(refs, timeout=120)
        assert [r["task_id"] for r in results] == TASKS and all(r["reward"] == 1.0 for r in results)
    finally:
        pool.close()


def test_stepping_from_the_driver_and_a_lost_worker_ends_the_episode(cluster, tmp_path):
    pool = RayEnvPool("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "m.sqlite")}, num_workers=1)
    try:
        obs, info = ray.get(pool.reset("ep-1", seed=0, options={"task_id": TASKS[0]}))
        assert info["task_id"] == TASKS[0]
        obs, reward, term, trunc, info = ray.get(pool.step("ep-1", "<answer>done</answer>"))
        assert term and info["end_reason"] == "answer" and "reward_details" in info
        ray.get(pool.reset("ep-2", options={"task_id": TASKS[0]}))
        pid = ray.get(pool.workers[0].pid.remote())
        os.kill(pid, signal.SIGKILL)  # the actor's process is gone before the next step (Ray restarts it)
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        obs, reward, term, trunc, info = ray.get(pool.step("ep-2", "hello"), timeout=60)
        assert trunc and reward == 0.0 and info["end_reason"] == "worker_lost"
    finally:
        pool.close()
