"""Eval on a Ray cluster: an ``EvalConfig``'s episodes played by ``RayEnvPool`` actors, logged as the loop logs them.

``synthagent eval --ray [--ray-address ADDR]`` calls ``evaluate_on_ray`` instead of ``loop.evaluate``: the same
output directory (``run.json``, ``episodes.jsonl``, the report), the same resume rule (finished episodes are
skipped, failed ones rerun) and the same record per episode; only where episodes run differs. The agent is made
in the actors from ``agent`` (a class or a zero-argument factory; an instance is copied into each episode): Ray
pickles it, so it must be importable on every node or picklable by value. Records are appended as episodes finish,
so a run killed midway resumes. An actor that dies is restarted by Ray and its episodes replayed on it
(``RayEnvPool``): the run ends with every episode logged. An episode that raised in its actor, or that the env
ended unscored, is an ``error`` record worth 0, as in the loop. ``ray`` is imported only when this runs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from synthagent_env.episode import EpisodeFailure, EpisodeState, failure_of

from .loop import (
    AgentSource,
    EvalConfig,
    EvalResult,
    _agent_maker,
    _selected,
    episode_record,
    episode_seed,
    finish_run,
    open_run,
    task_ids_of,
)
from .progress import EvalProgress

DEFAULT_WORKERS = 2


def record_of(result: dict[str, Any] | BaseException, task_id: str, sample: int, seed: int, label: str,
              elapsed: float) -> dict[str, Any]:
    """The loop's record for one actor result (``EnvWorker.play``'s dict) or for the exception it raised."""
    state = EpisodeState(None, task_id, seed)  # type: ignore[arg-type]  (no env: the episode is over)
    if isinstance(result, BaseException):
        cause = getattr(result, "cause", None) or result
        state.failure = EpisodeFailure("worker", f"{type(cause).__name__}: {str(cause)[-2000:]}")
        return episode_record(state, sample, label, elapsed)
    state.info = result.get("info") or {}
    state.terminated, state.truncated = bool(result.get("terminated")), bool(result.get("truncated"))
    state.reward = state.accept_reward(result.get("reward"))  # one that is not a finite number fails the episode
    state.steps = int(state.info.get("turn", 0) or 0)
    reported = result.get("failure")  # {"kind", "reason", "traceback"} from actors that report it
    state.failure = EpisodeFailure(**reported) if reported else state.failure or failure_of(state.info)
    record = episode_record(state, sample, label, elapsed)
    if "node" in result:
        record["node"] = result["node"]
    return record


def evaluate_on_ray(agent: AgentSource, out_dir: str | Path, config: EvalConfig | None = None, *,
                    address: str | None = None, num_workers: int = DEFAULT_WORKERS, overwrite: bool = False,
                    plot: bool = True) -> EvalResult:
    """Run (or resume) an evaluation into ``out_dir`` with env actors on the Ray cluster at ``address`` (``None``:
    the one this process is connected to, else ``RAY_ADDRESS``, else a new local one). ``config.concurrency``
    episodes are in flight, spread over ``num_workers`` actors."""
    import gymnasium as gym
    import ray

    import synthagent_env  # noqa: F401  (registers the gym ids)
    from synthagent_env.ray_pool import EpisodeSpec, RayEnvPool

    config = config or EvalConfig()
    out = Path(out_dir)
    log, finished = open_run(out, config, overwrite)
    make_agent, _ = _agent_maker(agent)
    env = gym.make(config.env_id, **config.env_kwargs)  # the task list, and a bad option fails here, once
    try:
        ids = _selected(task_ids_of(env), config)
    finally:
        env.close()
    wanted = [(t, s) for s in range(config.samples) for t in ids]
    pending = [key for key in wanted if key not in finished]
    progress = EvalProgress(total=len(wanted), done=len(wanted) - len(pending), label=config.label,
                            enabled=config.progress)
    try:  # the pool refuses a cluster of several machines without a networked mapping
        pool = RayEnvPool(config.env_id, config.env_kwargs, num_workers=num_workers, address=address,
                          episodes_per_worker=max(1, -(-config.concurrency // num_workers)))
    except BaseException:
        log.close()
        raise
    try:
        submitted = time.monotonic()
        refs = {}
        for i, (task_id, sample) in enumerate(pending):
            spec = EpisodeSpec(task_id, sample, episode_seed(config.seed, task_id, sample))
            refs[pool.workers[i % len(pool.workers)].play.remote(spec, make_agent, config.max_steps)] = spec
        waiting = list(refs)
        with progress:
            while waiting:
                done, waiting = ray.wait(waiting, num_returns=1)
                spec = refs[done[0]]
                try:
                    result: dict[str, Any] | BaseException = ray.get(done[0])
                except Exception as err:  # noqa: BLE001  (one episode's error, logged as its record)
                    result = err
                record = record_of(result, str(spec.task_id), spec.sample, int(spec.seed or 0), config.label,
                                   time.monotonic() - submitted)
                log.append(record)
                progress.advance(record)
    finally:
        log.close()
        pool.close()
    return finish_run(out, log, wanted, config, plot=plot, ran=len(pending))
