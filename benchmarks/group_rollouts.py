"""Group rollouts, as GRPO does: G rollouts of the same task at once against the LLM-played mock world.

Prints, per run, model calls per tool call (target <= 0.5: the mapping, the loose reuse and the shared
in-flight requests keep the model out of repeated calls) and the fraction of identical calls that got
identical responses (must be 100%: the mapping, not the model, decides). The agent follows each task's
reference solution but explores like a sampling policy: some calls re-spell an argument (case, spacing),
some ask for something new. The stand-in model samples (its outputs differ call to call), so consistency
is the mapping's doing. Seed mappings are dropped so that every first call reaches the model.

    OMP_NUM_THREADS=1 python -m benchmarks.group_rollouts [--group 16] [--latency 0.02] [--tasks tooluse-v0]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import gymnasium as gym
from synthagent_agents.oracle import step_action

import synthagent_env  # noqa: F401  (registers the env)
from synthagent_env import load_tasks
from synthagent_env.llm import OpenAIClient
from synthagent_env.llm import LLMTestServer
from synthagent_env.mapping_key import canonical_json
from synthagent_env.simulators.llm import llm_simulator
from synthagent_env.stores import SqliteStore
from synthagent_env.task import Task, ToolCallStep
from tests.world_model import ScriptedWorldModel


def _free_strings(task: Task, tool: str) -> list[str]:
    """String parameters of a tool without an enum (safe to re-spell or change)."""
    spec = task.tool(tool)
    props = spec.parameters.get("properties", {}) if spec else {}
    return [k for k, v in props.items() if v.get("type") == "string" and "enum" not in v]


class ExploringAgent:
    """The reference solution, with re-spelled (``p_respell``) or new (``p_new``) string arguments."""

    def __init__(self, tasks: list[Task], seed: int = 0, p_respell: float = 0.3, p_new: float = 0.15):
        self._tasks = {t.id: t for t in tasks}
        self._rng = random.Random(seed)
        self.p_respell, self.p_new = p_respell, p_new
        self._plan: list[Any] = []
        self._task: Task | None = None

    def reset(self, info: dict[str, Any]) -> None:
        self._task = self._tasks[info["task_id"]]
        self._plan = list(self._task.reference_solution)

    def _vary(self, step: ToolCallStep) -> ToolCallStep:
        assert self._task is not None
        keys = [k for k in _free_strings(self._task, step.tool) if isinstance(step.arguments.get(k), str)]
        draw = self._rng.random()
        if not keys or draw >= self.p_respell + self.p_new:
            return step
        key = self._rng.choice(keys)
        value = step.arguments[key]
        value = f"  {value.lower()} " if draw < self.p_respell else f"{value}-{self._rng.randint(2, 9)}"
        return ToolCallStep(tool=step.tool, arguments={**step.arguments, key: value})

    def act(self, observation: str, info: dict[str, Any]) -> str:
        if not self._plan:
            return "<answer>I have done everything I can.</answer>"
        step = self._plan.pop(0)
        return step_action(self._vary(step) if isinstance(step, ToolCallStep) else step)


def consistency(trajectories: list[tuple[str, list[dict[str, Any]]]]) -> tuple[int, int]:
    """``(calls with a repeat whose responses all agree, calls with a repeat)`` over ``(task_id, trajectory)``."""
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for task_id, trajectory in trajectories:
        for event in trajectory:
            if event["type"] == "tool_call" and event["status"] == "ok":
                seen[(task_id, event["name"], canonical_json(event["arguments"]))].append(event["response"])
    repeated = [responses for responses in seen.values() if len(responses) > 1]
    return sum(len(r) for r in repeated if len(set(r)) == 1), sum(len(r) for r in repeated)


def run_group(task: Task, simulator: Any, mapping_path: Path, group: int, seed: int) -> list[dict[str, Any]]:
    """``group`` rollouts of ``task`` in parallel threads (one env each, one shared simulator); their infos."""
    infos: list[dict[str, Any]] = [{} for _ in range(group)]
    errors: list[BaseException] = []

    def rollout(i: int) -> None:
        env = gym.make("synthagent/ToolUse-v0", tasks=[task], simulator=simulator, mapping_path=mapping_path)
        try:
            agent = ExploringAgent([task], seed=seed * 1000 + i)
            obs, info = env.reset(seed=i, options={"task_id": task.id})
            agent.reset(info)
            done = False
            while not done:
                obs, _, terminated, truncated, info = env.step(agent.act(obs, info))
                done = terminated or truncated
            infos[i] = info
        except BaseException as err:  # reported by the caller's thread
            errors.append(err)
        finally:
            env.close()  # the simulator was given as a ready client: closing the env leaves it open

    threads = [threading.Thread(target=rollout, args=(i,)) for i in range(group)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return infos


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tasks", default="tooluse-v0")
    p.add_argument("--group", type=int, default=16)
    p.add_argument("--rounds", type=int, default=2, help="groups per task (a GRPO run revisits tasks)")
    p.add_argument("--latency", type=float, default=0.02)
    args = p.parse_args(argv)
    tasks = [t.model_copy(update={"seed_mapping": []}) for t in load_tasks(args.tasks)]
    with LLMTestServer(ScriptedWorldModel(seed=0), latency=args.latency, record=False) as server, \
            tempfile.TemporaryDirectory() as tmp:
        client = OpenAIClient(server.url, model="test-model", max_concurrency=args.group)
        simulator = llm_simulator(client)
        with SqliteStore(Path(tmp) / "mapping.sqlite") as store:  # made once, before the rollout threads open it
            store.entries(tasks[0].id)
        trajectories: list[tuple[str, list[dict[str, Any]]]] = []
        tool_calls = 0
        start = time.perf_counter()
        for round_ in range(args.rounds):
            for task in tasks:
                for info in run_group(task, simulator, Path(tmp) / "mapping.sqlite", args.group, round_):
                    trajectories.append((task.id, info["trajectory"]))
                    tool_calls += sum(1 for e in info["trajectory"] if e["type"] == "tool_call" and e["status"] == "ok")
        elapsed = time.perf_counter() - start
        agree, repeated = consistency(trajectories)
        model_tool_calls = simulator.tool.stats["model_calls"]
        report = {
            "tasks": len(tasks), "group": args.group, "rounds": args.rounds, "episodes": len(trajectories),
            "tool_calls": tool_calls, "tool_model_calls": model_tool_calls,
            "model_calls_per_tool_call": round(model_tool_calls / max(tool_calls, 1), 3),
            "identical_call_agreement": round(agree / repeated, 4) if repeated else None,
            "repeated_calls": repeated, "tool_stats": simulator.tool.stats, "client": client.usage.snapshot(),
            "seconds": round(elapsed, 2),
        }
        client.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
