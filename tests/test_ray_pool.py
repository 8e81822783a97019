"""Env workers on a real Ray cluster of two nodes on this machine (Ray's own ``cluster_utils.Cluster``)."""

import os
import signal
import time

from ray_cluster import SlowOracle, oracle, ray

from synthagent_env import load_tasks
from synthagent_env.ray_pool import EpisodeSpec, RayEnvPool

TASKS = [t.id for t in load_tasks("tooluse-v0")[:8]]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_pool_plays_on_two_nodes_and_shares_one_mapping(ray_cluster, tmp_path):
    pool = RayEnvPool("synthagent/ToolUse-v0", {"mapping_path": str(tmp_path / "m.sqlite")}, num_workers=2,
                      episodes_per_worker=4)
    try:
        assert len(set(pool.nodes())) == 2
        results = pool.play([EpisodeSpec(t, sample=s) for t in TASKS for s in range(2)], oracle)
        assert [(r["task_id"], r["sample"]) for r in results] == [(t, s) for t in TASKS for s in range(2)]
        assert all(r["reward"] == 1.0 for r in results)
        assert len({r["node"] for r in results}) == 2
    finally:
        pool.close()


def test_a_killed_actor_loses_no_episode(ray_cluster, tmp_path):
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


def test_stepping_from_the_driver_and_a_lost_worker_ends_the_episode(ray_cluster, tmp_path):
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
