"""Env workers on Ray: a pool of actors that hold our envs, for eval (whole episodes) and training (steps).

The policy stays where it is (the trainer's GPU process, or the agent object for eval); env steps, simulator
calls and rubric scoring run in the actors, on any node of a Ray cluster (``ray start --head`` /
``--address``). All actors share one mapping store: the same sqlite file on one machine, a Redis URL
(``mapping_path="redis://..."``) across machines. Failures use Ray's own machinery, not ours: actors are
restarted by Ray (``max_restarts``); a whole-episode task whose actor died is retried by Ray on the restarted
actor (``max_task_retries``), so an eval finishes with every episode accounted for; a training episode whose
actor died cannot be resumed mid-conversation, so its next step answers with an ended, scored-as-zero
episode whose ``end_reason`` is ``worker_lost``. ``ray`` is imported only when a pool is made.
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_EPISODES_PER_WORKER = 16  # threads per actor: episodes mostly wait on simulator servers


@dataclass(frozen=True)
class EpisodeSpec:
    task_id: str | None
    sample: int = 0
    seed: int | None = None


def _worker_class() -> Any:
    import ray

    @ray.remote(max_restarts=-1, max_task_retries=-1)
    class EnvWorker:
        """Holds envs of one id; one env per thread for whole episodes, one per episode key for stepping."""

        def __init__(self, env_id: str, env_kwargs: dict[str, Any]):
            import gymnasium as gym

            import synthagent_env  # noqa: F401  (registers the ids)

            self._make = lambda: gym.make(env_id, **env_kwargs)
            self._local = threading.local()
            self._stepping: dict[str, Any] = {}
            self._lock = threading.Lock()

        def node(self) -> str:
            return ray.get_runtime_context().get_node_id()

        def pid(self) -> int:
            return os.getpid()

        def play(self, spec: EpisodeSpec, agent_factory: Callable[[], Any], max_steps: int = 1000) -> dict[str, Any]:
            from synthagent_env.episode import play_episode

            env = getattr(self._local, "env", None)
            if env is None:
                env = self._local.env = self._make()
            result = play_episode(env, agent_factory(), task_id=spec.task_id, seed=spec.seed, max_steps=max_steps,
                                  agent_info={"episode_seed": spec.seed, "sample": spec.sample}, raise_failures=False)
            failure = result.failure
            return {"task_id": result.task_id, "sample": spec.sample, "reward": result.reward,
                    "terminated": result.terminated, "truncated": result.truncated, "info": result.info,
                    "node": self.node(), "failure": None if failure is None else
                    {"kind": failure.kind, "reason": failure.reason, "traceback": failure.traceback}}

        def reset(self, key: str, seed: int | None, options: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
            env = self._make()
            with self._lock:
                old = self._stepping.pop(key, None)
                self._stepping[key] = env
            if old is not None:
                old.close()
            return env.reset(seed=seed, options=options)

        def step(self, key: str, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
            env = self._stepping.get(key)
            if env is None:  # this actor restarted since the episode began: its state is gone
                return ("The environment worker was lost; the episode has ended.", 0.0, False, True,
                        {"end_reason": "worker_lost", "failure": "the Ray actor holding this episode died",
                         "reward_details": {"reward": 0.0, "items": []}})
            return env.step(action)

        def end(self, key: str, reason: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
            env = self._stepping.get(key)
            if env is None:
                return self.step(key, None)
            return env.unwrapped.end_episode(reason)

        def release(self, key: str) -> None:
            with self._lock:
                env = self._stepping.pop(key, None)
            if env is not None:
                env.close()

    return EnvWorker


class RayEnvPool:
    """``num_workers`` env actors spread over a Ray cluster (started here if none is running)."""

    def __init__(self, env_id: str, env_kwargs: dict[str, Any] | None = None, *, num_workers: int = 2,
                 episodes_per_worker: int = DEFAULT_EPISODES_PER_WORKER, address: str | None = None):
        import ray

        if not ray.is_initialized():
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
        kwargs = dict(env_kwargs or {})
        if env_id == "synthagent/ToolUse-v0" and kwargs.get("mapping_path") is None:
            from synthagent_env import store_pool  # one machine: every actor must open the same file, not its own temp one

            kwargs["mapping_path"] = str(store_pool.default_mapping_path())
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        nodes = sorted(n["NodeID"] for n in ray.nodes() if n["Alive"])  # round-robin over the cluster's nodes
        worker = _worker_class()
        self.workers = [worker.options(max_concurrency=episodes_per_worker, scheduling_strategy=(
            NodeAffinitySchedulingStrategy(nodes[i % len(nodes)], soft=True))).remote(env_id, kwargs)
            for i in range(num_workers)]
        self._per_worker = episodes_per_worker

    # ---- eval: whole episodes ----

    def play(self, specs: Iterable[EpisodeSpec], agent_factory: Callable[[], Any]) -> list[dict[str, Any]]:
        """Play every episode (the agent runs in the actor); results in the order of ``specs``."""
        import ray

        specs = list(specs)
        refs = [self.workers[i % len(self.workers)].play.remote(spec, agent_factory) for i, spec in enumerate(specs)]
        return ray.get(refs)

    # ---- training: the caller's policy, our steps ----

    def _worker(self, key: str) -> Any:
        return self.workers[zlib.crc32(key.encode()) % len(self.workers)]

    def reset(self, key: str, seed: int | None = None, options: dict[str, Any] | None = None) -> Any:
        return self._worker(key).reset.remote(key, seed, options)

    def step(self, key: str, action: Any) -> Any:
        return self._worker(key).step.remote(key, action)

    def end(self, key: str, reason: str) -> Any:
        return self._worker(key).end.remote(key, reason)

    def release(self, key: str) -> Any:
        return self._worker(key).release.remote(key)

    def nodes(self) -> list[str]:
        import ray

        return ray.get([w.node.remote() for w in self.workers])

    def close(self) -> None:
        import ray

        for w in self.workers:
            ray.kill(w, no_restart=True)
        self.workers = []
