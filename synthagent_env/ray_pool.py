"""Env workers on Ray: a pool of actors that hold our envs, for eval (whole episodes) and training (steps).

The policy stays where it is (the trainer's GPU process, or the agent object for eval); env steps, simulator
calls and rubric scoring run in the actors, on any node of a Ray cluster (``ray start --head`` /
``--address``). All actors share one mapping store: the same sqlite file on one machine, a Redis URL
(``mapping_path="redis://..."``) across machines. Failures use Ray's own machinery, not ours: actors are
restarted by Ray (``max_restarts``); a whole-episode task whose actor died is retried by Ray on the restarted
actor (``max_task_retries``), so an eval finishes with every episode accounted for; a training episode whose
actor died cannot be resumed mid-conversation, so its next step answers with an ended episode whose
``end_reason`` is ``worker_lost`` (a failed episode, worth 0: ``episode.FAILED_END_REASONS``).

For training, ``RayEnvPool.make_env`` is an env factory: each ``RemoteEnv`` it makes is one episode slot on one
actor, driven from the trainer's process with ``reset``/``step``/``end_episode``/``close`` like a local env, so
the trainer's rollout (``synthagent_training.rollout``) runs unchanged on top of it. ``ray`` is imported only when
a pool is made.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_EPISODES_PER_WORKER = 16  # threads per actor: episodes mostly wait on simulator servers
STEP_TIMEOUT_S = 900.0  # a remote step that has not answered by then fails its episode (the env's own deadlines
#                         are far shorter: a hung simulator ends the step as ``simulator_failure`` in ~2 min)
WORKER_LOST = "worker_lost"


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
            """Start an episode under ``key``; a key's env is made once and reused by its next episodes."""
            with self._lock:
                env = self._stepping.get(key)
                if env is None:
                    env = self._stepping[key] = self._make()
            return env.reset(seed=seed, options=options)

        def step(self, key: str, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
            env = self._stepping.get(key)
            if env is None:  # this actor restarted since the episode began: its state is gone
                return ("The environment worker was lost; the episode has ended.", 0.0, False, True,
                        {"end_reason": WORKER_LOST, "failure": "the Ray actor holding this episode died",
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


def for_actors(env_id: str, env_kwargs: dict[str, Any]) -> dict[str, Any]:
    """The env options as actors need them. A relative mapping file or task-pack path is made absolute (an actor's
    working directory is not this process's); ToolUse-v0 without a mapping gets the default file, not a temporary
    one per actor (identical calls must get identical answers across actors)."""
    from synthagent_env import store_pool

    out = dict(env_kwargs)
    mapping = out.get("mapping_path")
    if mapping is None and env_id == "synthagent/ToolUse-v0":
        out["mapping_path"] = str(store_pool.default_mapping_path())
    elif isinstance(mapping, (str, os.PathLike)) and not store_pool.is_url(os.fspath(mapping)):
        out["mapping_path"] = os.path.abspath(mapping)
    tasks = out.get("tasks")
    if isinstance(tasks, (str, os.PathLike)) and os.path.exists(tasks):
        out["tasks"] = os.path.abspath(tasks)
    return out


def check_shared_mapping(env_kwargs: dict[str, Any], node_addresses: list[str]) -> None:
    """Several machines need one networked mapping: a file path would be a different mapping on each machine, and
    identical calls would be answered differently."""
    from synthagent_env import store_pool

    mapping = env_kwargs.get("mapping_path")
    machines = len(set(node_addresses))
    if machines > 1 and mapping is not None and not (isinstance(mapping, str) and store_pool.is_url(mapping)):
        raise ValueError(f"the Ray cluster spans {machines} machines but the mapping is {mapping}: each machine "
                         "would keep its own. Pass a shared store, e.g. --mapping redis://HOST:6379/0 "
                         "(mapping_path=...)")


class RayEnvPool:
    """``num_workers`` env actors spread over a Ray cluster (started here if none is running)."""

    def __init__(self, env_id: str, env_kwargs: dict[str, Any] | None = None, *, num_workers: int = 2,
                 episodes_per_worker: int = DEFAULT_EPISODES_PER_WORKER, address: str | None = None):
        import ray

        if not ray.is_initialized():
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        alive = [n for n in ray.nodes() if n["Alive"]]
        kwargs = for_actors(env_id, env_kwargs or {})
        check_shared_mapping(kwargs, [n["NodeManagerAddress"] for n in alive])
        nodes = sorted(n["NodeID"] for n in alive)  # round-robin over the cluster's nodes
        worker = _worker_class()
        self.workers = [worker.options(max_concurrency=episodes_per_worker, scheduling_strategy=(
            NodeAffinitySchedulingStrategy(nodes[i % len(nodes)], soft=True))).remote(env_id, kwargs)
            for i in range(num_workers)]
        self._per_worker = episodes_per_worker
        self._prefix, self._slots = uuid.uuid4().hex[:12], itertools.count()

    # ---- eval: whole episodes ----

    def play(self, specs: Iterable[EpisodeSpec], agent_factory: Callable[[], Any]) -> list[dict[str, Any]]:
        """Play every episode (the agent runs in the actor); results in the order of ``specs``."""
        import ray

        specs = list(specs)
        refs = [self.workers[i % len(self.workers)].play.remote(spec, agent_factory) for i, spec in enumerate(specs)]
        return ray.get(refs)

    # ---- training: the caller's policy, our steps ----

    def make_env(self) -> RemoteEnv:
        """A new episode slot, on the actors in turn: the env factory the trainer's rollout takes."""
        index = next(self._slots)
        return RemoteEnv(self.workers[index % len(self.workers)], f"{self._prefix}-{index}")

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


@dataclass(frozen=True)
class UnsendableAction:
    """Stands in for an action Ray could not pickle; the env refuses it like any action of an unknown type."""

    type_name: str


class RemoteEnv:
    """One episode slot on one env actor, driven from this process as if it were the env itself.

    ``reset``/``step`` return what the actor's env returns; ``unwrapped.end_episode(reason)`` ends and scores the
    episode there; ``close`` frees the slot. A step the actor cannot answer (its node is gone for good, or it hangs
    past ``timeout``) raises here, which the rollout core records as a failed episode.
    """

    def __init__(self, worker: Any, key: str, timeout: float = STEP_TIMEOUT_S):
        self.worker, self.key, self.timeout = worker, key, timeout

    @property
    def unwrapped(self) -> RemoteEnv:
        return self

    def _get(self, ref: Any) -> Any:
        import ray

        return ray.get(ref, timeout=self.timeout)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        return self._get(self.worker.reset.remote(self.key, seed, options))

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        try:
            ref = self.worker.step.remote(self.key, action)
        except TypeError:  # Ray cannot pickle it: the env still gets a turn and answers with a format error, as a
            ref = self.worker.step.remote(self.key, UnsendableAction(type(action).__name__))  # local env would
        return self._get(ref)

    def end_episode(self, reason: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        return self._get(self.worker.end.remote(self.key, reason))

    def close(self) -> None:
        import ray

        with contextlib.suppress(Exception):  # an actor already gone has nothing left to free
            ray.get(self.worker.release.remote(self.key), timeout=60)
