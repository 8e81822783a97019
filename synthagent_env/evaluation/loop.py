"""The benchmark loop: an agent over every task of an env, k samples each, many episodes at once, resumable.

Works for any gym id that follows the env contract: ``reset(seed=..., options={"task_id": id})`` plays that task,
the unwrapped env lists its tasks as ``task_ids`` or ``tasks`` (objects with ``.id``), and ``info`` carries
``turn``, ``stats``, ``trajectory``, ``messages`` and, on the last step, ``reward_details``.

Concurrency is asyncio: each worker owns one env and one agent instance (agents keep per-episode state), env
steps and sync agents run in threads, async agents (``aact`` coroutines, e.g. HTTP clients) run on the loop.
Every finished episode is appended to ``episodes.jsonl`` at once; rerunning with the same output directory skips
the finished ones. Reports are computed from the log, so a resumed run reports on all of its episodes.
Episodes are played by the rollout core (``synthagent_env.episode.aplay_episode``). A failed episode (the agent or
env raised, the simulator failed, the env ended it unscored) is logged as an ``error`` record worth reward 0 in
every headline figure, reruns on resume, and the first reason of each kind is printed on stderr.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from synthagent_env.episode import EpisodeState, aplay_episode

from .metrics import summarize
from .progress import EvalProgress
from .records import (
    EpisodeKey,
    EpisodeLog,
    dumps_strict,
    finite_number,
    is_scored,
    latest_by_key,
    strict_jsonable,
)
from .report import MARKDOWN_FILE, PLOT_FILE, SUMMARY_FILE, failure_lines, write_report

EPISODES_FILE, RUN_FILE = "episodes.jsonl", "run.json"


class RunMismatch(ValueError):
    """The output directory holds a different run (another agent, env, env kwargs or seed)."""


@dataclass
class EvalConfig:
    env_id: str = "synthagent/ToolUse-v0"
    env_kwargs: dict[str, Any] = field(default_factory=dict)
    samples: int = 1  # k: episodes per task
    concurrency: int = 4  # episodes in flight
    seed: int = 0
    task_ids: list[str] | None = None  # None: every task of the env
    limit: int | None = None  # only the first N tasks
    success_threshold: float = 1.0
    max_steps: int = 1000  # guard against an env that never ends an episode
    label: str = "agent"  # names the agent in reports; part of the run's identity
    progress: bool = True

    def __post_init__(self) -> None:
        if not finite_number(self.success_threshold):
            raise ValueError(f"success_threshold must be a finite number, not {self.success_threshold!r}")

    def identity(self) -> dict[str, Any]:
        """What must match for a directory's episodes to be resumed (k, limits and concurrency may change)."""
        kwargs = strict_jsonable(json.loads(json.dumps(self.env_kwargs, sort_keys=True, default=repr)))  # NaN: "NaN"
        return {"label": self.label, "env_id": self.env_id, "env_kwargs": kwargs, "seed": self.seed}


@dataclass
class EvalResult:
    out_dir: Path
    summary: dict[str, Any]
    files: list[Path]
    ran: int  # episodes played by this call
    skipped: int  # episodes already in the log


AgentSource = Any  # an agent instance, or a zero-argument callable (a class) that makes one


def _agent_maker(agent: AgentSource) -> tuple[Callable[[], Any], bool]:
    """``(make, parallel)``: a class or factory gives one agent per worker; an instance runs one episode at a time."""
    if isinstance(agent, type) or (callable(agent) and not hasattr(agent, "act")):
        return agent, True
    return (lambda: agent), False


def episode_seed(seed: int, task_id: str, sample: int) -> int:
    digest = hashlib.sha256(f"{seed}\x1e{task_id}\x1e{sample}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def task_ids_of(env: Any) -> list[str]:
    base = env.unwrapped
    ids = getattr(base, "task_ids", None)
    return list(ids) if ids is not None else [t.id for t in base.tasks]


def _prepare_dir(out: Path, config: EvalConfig, overwrite: bool) -> None:
    run_file = out / RUN_FILE
    if run_file.exists() and not overwrite:
        previous = json.loads(run_file.read_text(encoding="utf-8")).get("identity")
        if previous != config.identity():
            raise RunMismatch(f"{out} holds another run ({previous}); pass overwrite=True / --overwrite or use "
                              f"another output directory")
    if overwrite:
        for name in (EPISODES_FILE, RUN_FILE, SUMMARY_FILE, MARKDOWN_FILE, PLOT_FILE):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    record = {"identity": config.identity(), "config": json.loads(json.dumps(asdict(config), default=repr))}
    run_file.write_text(dumps_strict(record, indent=2) + "\n", encoding="utf-8")


def episode_record(state: EpisodeState, sample: int, label: str, elapsed: float) -> dict[str, Any]:
    """One line of ``episodes.jsonl``; a failed episode is an ``error`` record worth 0 that reruns on resume."""
    info, failure = state.info, state.failure
    record: dict[str, Any] = {
        "task_id": state.task_id, "sample": sample, "seed": state.seed, "agent": label,
        "status": "ok" if failure is None else "error", "elapsed_s": round(elapsed, 4),
        "reward": state.score, "terminated": state.terminated, "truncated": state.truncated,
        "end_reason": info.get("end_reason") or (f"{failure.kind}_error" if failure else None),
        "failure": info.get("failure"), "turns": info.get("turn", state.steps),
        "stats": info.get("stats", {}), "reward_details": info.get("reward_details"),
        "messages": info.get("messages", []), "trajectory": info.get("trajectory", []),
    }
    if failure is not None:
        record.update(error_in=failure.kind, error=failure.reason, env_reward=float(state.reward))
        if failure.traceback:
            record["traceback"] = failure.traceback
    return record


async def play(env: Any, agent: Any, task_id: str, sample: int, seed: int, config: EvalConfig) -> dict[str, Any]:
    """One episode as a record; an exception in the agent or the env becomes an ``error`` record, not a crash."""
    started = time.monotonic()
    state = await aplay_episode(env, agent, task_id, seed, max_steps=config.max_steps,
                                agent_info={"episode_seed": seed, "sample": sample})
    return episode_record(state, sample, config.label, time.monotonic() - started)


def _selected(ids: list[str], config: EvalConfig) -> list[str]:
    if config.task_ids is not None:
        unknown = sorted(set(config.task_ids) - set(ids))
        if unknown:
            raise KeyError(f"no such tasks in {config.env_id}: {', '.join(unknown)}")
        ids = [t for t in ids if t in set(config.task_ids)]
    return ids[: config.limit] if config.limit is not None else ids


async def aevaluate(agent: AgentSource, out_dir: str | Path, config: EvalConfig | None = None, *,
                    overwrite: bool = False, plot: bool = True) -> EvalResult:
    """Run (or resume) an evaluation into ``out_dir`` and write its report. See the module docstring."""
    import gymnasium as gym

    import synthagent_env  # noqa: F401  (registers the gym ids)

    config = config or EvalConfig()
    out = Path(out_dir)
    log, finished = open_run(out, config, overwrite)
    make_agent, parallel = _agent_maker(agent)
    envs = [await asyncio.to_thread(gym.make, config.env_id, **config.env_kwargs)]
    ids = _selected(task_ids_of(envs[0]), config)
    wanted = [(t, s) for s in range(config.samples) for t in ids]  # sample-major: early stops cover every task
    pending: Iterator[EpisodeKey] = iter([key for key in wanted if key not in finished])
    n_pending = sum(1 for key in wanted if key not in finished)
    progress = EvalProgress(total=len(wanted), done=len(wanted) - n_pending, label=config.label,
                            enabled=config.progress)

    async def worker(env: Any) -> None:
        agent_i = make_agent()
        for task_id, sample in pending:  # one shared iterator: each episode goes to exactly one worker
            record = await play(env, agent_i, task_id, sample, episode_seed(config.seed, task_id, sample), config)
            log.append(record)
            progress.advance(record)

    workers = min(config.concurrency if parallel else 1, n_pending)
    try:
        for _ in range(1, workers):  # one after another: a bad env option fails once, before any episode
            envs.append(await asyncio.to_thread(gym.make, config.env_id, **config.env_kwargs))
        with progress:
            await asyncio.gather(*(worker(env) for env in envs[:workers]))
    finally:
        log.close()
        for env in envs:
            try:
                env.close()
            except Exception:  # noqa: BLE001  (closing must not hide the real error)
                pass
    return finish_run(out, log, wanted, config, plot=plot, ran=n_pending)


def open_run(out: Path, config: EvalConfig, overwrite: bool) -> tuple[EpisodeLog, set[EpisodeKey]]:
    """The run directory ready for ``config`` (resumable), its episode log, and the episodes already finished."""
    _prepare_dir(out, config, overwrite)
    log = EpisodeLog(out / EPISODES_FILE)
    finished = {key for key, r in latest_by_key(log.load()).items() if is_scored(r)}
    return log, finished


def finish_run(out: Path, log: EpisodeLog, wanted: list[EpisodeKey], config: EvalConfig, *, plot: bool,
               ran: int) -> EvalResult:
    """Summarize the selected episodes (a failed one counts 0), write the report, say the failures on stderr."""
    records = latest_by_key(log.load())
    selection = [records[key] for key in wanted if key in records]
    summary = {"label": config.label, "env_id": config.env_id, "complete": len(selection) == len(wanted)
               and all(is_scored(r) for r in selection),
               **summarize(selection, config.samples, config.success_threshold)}
    files = write_report(out, summary, plot=plot)
    for line in failure_lines(summary):  # on the console, not only in episodes.jsonl
        print(line, file=sys.stderr)
    return EvalResult(out, summary, files, ran=ran, skipped=len(wanted) - ran)


def evaluate(agent: AgentSource, out_dir: str | Path, config: EvalConfig | None = None, *,
             overwrite: bool = False, plot: bool = True) -> EvalResult:
    """Sync entry point: runs ``aevaluate`` on a fresh event loop with enough threads for the episodes."""
    threads = 2 * (config or EvalConfig()).concurrency + 4

    async def main() -> EvalResult:
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="synthagent-eval")
        asyncio.get_running_loop().set_default_executor(pool)
        return await aevaluate(agent, out_dir, config, overwrite=overwrite, plot=plot)

    return asyncio.run(main())

