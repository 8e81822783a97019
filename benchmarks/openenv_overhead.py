"""What the OpenEnv server costs: per-step latency beside a direct ``env.step``, and sessions/s under load.

1. Overhead per step (offline world, no model): the same episodes (reset, then ``--steps`` steps of a fixed
   agent: a question to the user, a repeated tool call answered from the mapping, alternating) played on a
   ``gym.make`` env in this process (A) and through ``synthagent serve`` over loopback with openenv-core's client
   (B). Prints p50/p99 of one step in each, per repeat.
2. Sessions/s at ``--sessions`` concurrent sessions (default 64 and 256) against a loopback model server with
   ``--latency`` seconds per call (``synthagent_env.llm.loopback_server`` in its own process, the stand-in model
   ``tests.world_model``) playing user and tools. A session = connect, reset, ``--session-steps`` steps that each
   need one model call, close. Ideal = sessions / (session_steps * latency) sessions/s. A is the same episodes
   on threads with ``gym.make`` envs sharing one simulator in this process; B goes through the server. Steps/s
   (ideal sessions / latency) is printed beside it: it counts the steps of sessions still open at the end.

A and B are interleaved, ``--repeats`` times; min/median/max are printed for every figure.

    OMP_NUM_THREADS=1 python -m benchmarks.openenv_overhead [--repeats 3] [--steps 15] [--sessions 64 256] \\
        [--latency 0.05] [--session-steps 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gymnasium as gym

import synthagent_env  # noqa: F401  (registers the env ids)
from benchmarks.llm_concurrency import REPLY, ChattyAgent, _wait_until_up
from synthagent_env import load_tasks
from synthagent_env.adapters.openenv_client import SynthagentEnvClient
from synthagent_env.adapters.openenv_server import server_process
from synthagent_env.simulators import make_simulator

QUESTION = "Could you tell me your order number and anything else I should know?"


def fixed_actions(info: dict[str, Any], steps: int) -> list[str]:
    fn = info["tools"][0]["function"]
    from synthagent_env.schema_sampling import instance_of
    import random

    call = f"<tool_call>{json.dumps({'name': fn['name'], 'arguments': instance_of(fn['parameters'], random.Random(0), fn['name'])})}</tool_call>"
    return [QUESTION if i % 2 else call for i in range(steps)]


def percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[98]


def direct_steps(task_ids: list[str], steps: int, mapping: str) -> list[float]:
    env = gym.make("synthagent/ToolUse-v0", mapping_path=mapping, max_turns=steps + 1)
    times: list[float] = []
    try:
        for tid in task_ids:
            _, info = env.reset(seed=0, options={"task_id": tid})
            for action in fixed_actions(info, steps):
                t0 = time.perf_counter()
                env.step(action)
                times.append(time.perf_counter() - t0)
    finally:
        env.close()
    return times


def served_steps(url: str, task_ids: list[str], steps: int) -> list[float]:
    times: list[float] = []
    with SynthagentEnvClient(base_url=url, message_timeout_s=120).sync() as env:
        for tid in task_ids:
            info = env.reset(task_id=tid, seed=0).observation.info
            for action in fixed_actions(info, steps):
                t0 = time.perf_counter()
                env.step(action)
                times.append(time.perf_counter() - t0)
    return times


def summary(values: list[float], scale: float = 1.0, unit: str = "") -> str:
    v = [x * scale for x in values]
    return f"min {min(v):.3f}{unit}  median {statistics.median(v):.3f}{unit}  max {max(v):.3f}{unit}"


def overhead(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    task_ids = [t.id for t in load_tasks("tooluse-v0")][: args.tasks]
    kwargs = {"mapping_path": str(tmp / "served.sqlite"), "max_turns": args.steps + 1}
    rows: dict[str, list[tuple[float, float]]] = {"direct": [], "served": []}
    with server_process(env_kwargs=kwargs, max_sessions=4) as url:
        served_steps(url, task_ids[:2], 2)  # warm-up (imports, first store writes)
        direct_steps(task_ids[:2], 2, str(tmp / "direct.sqlite"))
        for r in range(args.repeats):
            order: list[tuple[str, Callable[[], list[float]]]] = [
                ("direct", lambda: direct_steps(task_ids, args.steps, str(tmp / "direct.sqlite"))),
                ("served", lambda: served_steps(url, task_ids, args.steps))]
            for name, run in order if r % 2 == 0 else order[::-1]:
                rows[name].append(percentiles(run()))
    out = {}
    for name, pairs in rows.items():
        p50, p99 = [p for p, _ in pairs], [q for _, q in pairs]
        print(f"step {name:7s} p50 ms: {summary(p50, 1e3)}   p99 ms: {summary(p99, 1e3)}")
        out[name] = {"p50_ms": [x * 1e3 for x in p50], "p99_ms": [x * 1e3 for x in p99]}
    extra = [s - d for s, d in zip((p for p, _ in rows["served"]), (p for p, _ in rows["direct"]))]
    print(f"server overhead per step (p50 served - p50 direct) ms: {summary(extra, 1e3)}")
    return out


async def served_sessions(url: str, n: int, seconds: float, session_steps: int,
                          task_ids: list[str]) -> tuple[int, int]:
    """(sessions finished, steps taken) within ``seconds``."""
    done = steps = 0
    stop = time.monotonic() + seconds

    async def worker(i: int) -> None:
        nonlocal done, steps
        k = 0
        while time.monotonic() < stop:
            agent = ChattyAgent(seed=i * 1000 + k)
            async with SynthagentEnvClient(base_url=url, message_timeout_s=300) as env:
                result = await env.reset(task_id=task_ids[(i + k) % len(task_ids)], seed=i)
                agent.reset(result.observation.info)
                for _ in range(session_steps):
                    if result.done:
                        break
                    obs = result.observation
                    result = await env.step(agent.act(obs.text, obs.info))
                    if time.monotonic() < stop:
                        steps += 1
            if time.monotonic() < stop:
                done += 1
            k += 1

    await asyncio.gather(*(worker(i) for i in range(n)))
    return done, steps


def direct_sessions(model_url: str, n: int, seconds: float, session_steps: int, task_ids: list[str],
                    mapping: str) -> tuple[int, int]:
    tasks = load_tasks("tooluse-v0")
    simulator = make_simulator({"base_url": model_url, "model": "test-model", "max_concurrency": n})
    done, steps = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        k = 0
        while time.monotonic() < stop:
            env = gym.make("synthagent/ToolUse-v0", tasks=tasks, simulator=simulator, mapping_path=mapping)
            agent = ChattyAgent(seed=i * 1000 + k)
            try:
                obs, info = env.reset(seed=i, options={"task_id": task_ids[(i + k) % len(task_ids)]})
                agent.reset(info)
                for _ in range(session_steps):
                    obs, _, term, trunc, info = env.step(agent.act(obs, info))
                    if time.monotonic() < stop:
                        with lock:
                            steps[0] += 1
                    if term or trunc:
                        break
            finally:
                env.close()
            if time.monotonic() < stop:
                with lock:
                    done[0] += 1
            k += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    simulator.close()
    return done[0], steps[0]


def throughput(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, "-m", "synthagent_env.llm.loopback_server", "--port", "0",
                             "--latency", str(args.latency), "--reply", REPLY], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    task_ids = [t.id for t in load_tasks("tooluse-v0")]
    out: dict[str, Any] = {}
    try:
        assert proc.stdout is not None
        model_url = proc.stdout.readline().strip()
        _wait_until_up(model_url)
        for n in args.sessions:
            kwargs = {"mapping_path": str(tmp / f"load{n}.sqlite"),
                      "simulator": {"base_url": model_url, "model": "test-model", "max_concurrency": n}}
            ideal = n / (args.session_steps * args.latency)
            seconds = max(args.seconds, 4 * args.session_steps * args.latency * n / 64)  # several sessions each
            ratios: dict[str, list[float]] = {"direct": [], "served": []}
            step_ratios: dict[str, list[float]] = {"direct": [], "served": []}
            with server_process(env_kwargs=kwargs, max_sessions=n) as url:
                asyncio.run(served_sessions(url, min(n, 16), 2.0, args.session_steps, task_ids))  # warm-up
                for r in range(args.repeats):
                    order: list[tuple[str, Callable[[], tuple[int, int]]]] = [
                        ("direct", lambda: direct_sessions(model_url, n, seconds, args.session_steps, task_ids,
                                                           str(tmp / f"direct{n}.sqlite"))),
                        ("served", lambda: asyncio.run(served_sessions(url, n, seconds, args.session_steps,
                                                                       task_ids)))]
                    for name, run in order if r % 2 == 0 else order[::-1]:
                        sessions, steps = run()
                        ratios[name].append(sessions / seconds / ideal)
                        step_ratios[name].append(steps / seconds / (n / args.latency))
            for name in ratios:
                print(f"{n:4d} sessions {name:7s} sessions/s / ideal ({ideal:.0f}/s): {summary(ratios[name])}   "
                      f"steps/s / ideal ({n / args.latency:.0f}/s): {summary(step_ratios[name])}")
            out[str(n)] = {"ideal_sessions_per_s": ideal, "window_s": seconds, "sessions_ratio": ratios,
                           "steps_ratio": step_ratios}
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--steps", type=int, default=15, help="steps per episode in the overhead part")
    p.add_argument("--tasks", type=int, default=8, help="episodes (one per task) per overhead repeat")
    p.add_argument("--sessions", type=int, nargs="+", default=[64, 256])
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--session-steps", type=int, default=6)
    p.add_argument("--seconds", type=float, default=6.0, help="measurement window per throughput repeat")
    p.add_argument("--skip-overhead", action="store_true")
    p.add_argument("--skip-throughput", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="openenv-bench-") as tmp:
        results = {}
        if not args.skip_overhead:
            results["overhead"] = overhead(args, Path(tmp))
        if not args.skip_throughput:
            results["throughput"] = throughput(args, Path(tmp))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
