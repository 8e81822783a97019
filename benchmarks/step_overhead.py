"""Env step overhead when every tool call is answered from the mapping (no simulator involved).

Plays the bundled pack's reference tool calls over and over (episodes of ``--turns`` steps) and times each
``env.step`` with ``perf_counter_ns``. Two figures: the usual path (the store's in-process cache of
write-once entries is warm) and the path where each lookup goes to sqlite (cache cleared before every step).
Target (issue 2): p50 <= 100 us on the usual path.

    OMP_NUM_THREADS=1 python -m benchmarks.step_overhead --steps 10000
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import gymnasium as gym

import synthagent_env  # noqa: F401
from synthagent_env.task import ToolCallStep


def _calls_per_task(env: gym.Env) -> dict[str, list[str]]:
    calls = {}
    for task in env.unwrapped.tasks:
        steps = [s for s in task.reference_solution if isinstance(s, ToolCallStep)]
        calls[task.id] = [
            f"<tool_call>{json.dumps({'name': s.tool, 'arguments': s.arguments})}</tool_call>" for s in steps
        ]
    return calls


def measure(steps: int, turns: int, cold: bool) -> list[int]:
    with tempfile.TemporaryDirectory() as tmp:
        env = gym.make("synthagent/ToolUse-v0", mapping_path=Path(tmp) / "m.sqlite", max_turns=turns)
        calls = _calls_per_task(env)
        task_ids = list(calls)
        timings: list[int] = []
        episode = 0
        while len(timings) < steps:
            task_id = task_ids[episode % len(task_ids)]
            episode += 1
            env.reset(options={"task_id": task_id})
            store = env.unwrapped._mock.store
            for turn in range(turns):
                action = calls[task_id][turn % len(calls[task_id])]
                if cold:
                    store._cache.clear()
                start = time.perf_counter_ns()
                _, _, terminated, truncated, info = env.step(action)
                timings.append(time.perf_counter_ns() - start)
                assert info["trajectory"][-1]["source"] == "mapping"
                if terminated or truncated:
                    break
        env.close()
    return timings[:steps]


def summary(name: str, ns: list[int]) -> str:
    q = statistics.quantiles(ns, n=100)
    return f"{name:<26} steps={len(ns):>6}  p50={q[49] / 1000:7.1f} us  p99={q[98] / 1000:7.1f} us  mean={statistics.fmean(ns) / 1000:7.1f} us"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=16, help="steps per episode (the env's max_turns)")
    args = parser.parse_args()
    measure(500, args.turns, cold=False)  # warm-up: imports, validators, first store opens
    print(summary("mapping (cached entries)", measure(args.steps, args.turns, cold=False)))
    print(summary("mapping (sqlite read)", measure(args.steps, args.turns, cold=True)))


if __name__ == "__main__":
    main()
