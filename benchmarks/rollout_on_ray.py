"""The trainer's rollout with its env steps in this process vs in env actors on a two-node Ray cluster.

Both play the same batch with ``synthagent_training.rollout.RolloutRunner`` (one generate call per turn for every
live episode, then all of the turn's steps at once); only where the envs live differs: ``local`` makes gymnasium envs
here, ``ray`` takes ``RayEnvPool.make_env`` slots on a two-node ``ray.cluster_utils.Cluster`` (loopback). The
policy is scripted and instant (it alternates a question to the user with a schema-valid tool call, new calls each
round), so the run measures the env side: every step needs one simulator call, answered by ``--servers`` loopback
OpenAI-compatible servers after ``--latency`` seconds; the mapping is a real ``redis-server`` for both.

Prints (JSON) per arm, run interleaved (local, ray, local, ray, ...): the env side's seconds per round (the round's
wall time less the scripted policy's own) and their ratio to the ideal (``turns x latency``: each turn's steps all
wait one simulator call at once), min / median / max over ``--repeats``, and the per-pair ratio ray/local; plus the
failed episodes of each arm (target 0).

    OMP_NUM_THREADS=1 python -m benchmarks.rollout_on_ray [--episodes 64] [--group 16] [--turns 8] [--latency 0.5]
        [--workers 2] [--servers 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # before ray is imported: every node on 127.0.0.1

from benchmarks.scale_out import QUESTION, start_server, stop_process
from synthagent_env.schema_sampling import instance_of
from tests.helpers import ScriptedGenerator
from tests.redis_server import RedisServer

TOOLS = re.compile(r"<tools>\n(.*?)\n</tools>", re.DOTALL)


class Script:
    """The assistant turn for a context: a question on odd turns, a tool call (from ``salt``, the task's tools and
    the turn) on even ones. The samples of a task make the same calls, so they race on the same mapping keys."""

    def __init__(self, salt: int):
        self.salt = salt

    def __call__(self, context: str) -> str:
        turn = context.count("<|im_start|>assistant")
        if turn % 2:
            return QUESTION
        tools = [json.loads(line) for line in TOOLS.search(context).group(1).splitlines()]
        instruction = context.split("<|im_start|>user\n", 1)[1][:200]
        rng = random.Random(f"{self.salt}/{instruction}/{turn}")
        fn = rng.choice(sorted(tools, key=lambda t: t["function"]["name"]))["function"]
        call = {"name": fn["name"], "arguments": instance_of(fn["parameters"], rng, fn["name"])}
        return f"<tool_call>\n{json.dumps(call)}\n</tool_call>"


class TimedGenerator(ScriptedGenerator):
    """The scripted policy, timing itself: the policy's seconds are not the env side's."""

    seconds = 0.0

    def generate(self, prompts, max_new_tokens):
        start = time.perf_counter()
        try:
            return super().generate(prompts, max_new_tokens)
        finally:
            self.seconds += time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--episodes", type=int, default=64, help="episodes per batch")
    p.add_argument("--group", type=int, default=16, help="samples per task (GRPO's G)")
    p.add_argument("--turns", type=int, default=8, help="assistant turns per episode (the env's max_turns)")
    p.add_argument("--latency", type=float, default=0.5, help="seconds each simulator call takes")
    p.add_argument("--workers", type=int, default=2, help="Ray env actors (one per node)")
    p.add_argument("--servers", type=int, default=2, help="loopback simulator servers")
    p.add_argument("--repeats", type=int, default=3, help="interleaved (local, ray) pairs")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        report = run(args, Path(tmp), stack)
    print(json.dumps(report, indent=1))
    return 0


def run(args: argparse.Namespace, tmp: Path, stack: ExitStack) -> dict[str, Any]:
    import ray
    from ray.cluster_utils import Cluster
    from synthagent_training.chat_format import ChatFormat
    from synthagent_training.rollout import RolloutLimits, RolloutRunner
    from synthagent_training.trl_rollout import env_maker
    from transformers import AutoTokenizer

    from synthagent_env import load_tasks
    from synthagent_env.ray_pool import RayEnvPool
    from synthagent_env.testing import build_tiny_model

    redis = RedisServer(tmp)
    redis.start()
    stack.callback(redis.stop)
    servers = [start_server(args.latency) for _ in range(args.servers)]
    for proc, _ in servers:
        stack.callback(stop_process, proc)
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    cluster.add_node(num_cpus=2)
    cluster.wait_for_nodes()
    stack.callback(cluster.shutdown)
    ray.init(address=cluster.address, log_to_driver=False)
    stack.callback(ray.shutdown)

    tokenizer = AutoTokenizer.from_pretrained(build_tiny_model(vocab_size=2048))
    chat = ChatFormat(tokenizer)
    task_ids = [t.id for t in load_tasks("tooluse-v0")][: args.episodes // args.group]
    batch = [t for t in task_ids for _ in range(args.group)]
    env_kwargs = {"tasks": "tooluse-v0", "mapping_path": redis.url, "max_turns": args.turns,
                  "simulator": {"backend": "openai", "base_url": [u for _, u in servers], "model": "test-model"}}
    pool = RayEnvPool("synthagent/ToolUse-v0", env_kwargs, num_workers=args.workers,
                      episodes_per_worker=-(-args.episodes // args.workers))
    stack.callback(pool.close)
    limits = RolloutLimits(max_completion_tokens=1_000_000)  # the env's turn limit ends every episode
    runners = {"local": RolloutRunner(env_maker("synthagent/ToolUse-v0", env_kwargs), chat, limits),
               "ray": RolloutRunner(pool.make_env, chat, limits)}
    for runner in runners.values():
        stack.callback(runner.close)
        runner.play(batch, ScriptedGenerator(tokenizer, lambda context: "<answer>warm</answer>"), seed=0)  # make envs

    seconds: dict[str, list[float]] = {"local": [], "ray": []}
    failed: dict[str, int] = {"local": 0, "ray": 0}
    salt = 0
    for _ in range(args.repeats):
        for arm, runner in runners.items():
            salt += 1
            policy = TimedGenerator(tokenizer, Script(salt))
            start = time.perf_counter()
            episodes = runner.play(batch, policy, seed=salt)
            seconds[arm].append(time.perf_counter() - start - policy.seconds)
            failed[arm] += sum(e.state.failure is not None for e in episodes)
            reasons = {e.end_reason for e in episodes}
            if reasons != {"max_turns"}:
                print(f"{arm} round {salt}: end reasons {sorted(map(str, reasons))}", file=sys.stderr)
    ideal = args.turns * args.latency

    def spread(values: list[float]) -> list[float]:
        return [round(min(values), 3), round(statistics.median(values), 3), round(max(values), 3)]

    return {"episodes": len(batch), "turns": args.turns, "latency_s": args.latency, "workers": args.workers,
            "nodes": len(set(pool.nodes())), "servers": args.servers, "ideal_s": ideal,
            **{f"{arm}_seconds_min_median_max": spread(v) for arm, v in seconds.items()},
            **{f"{arm}_ratio_to_ideal_min_median_max": spread([ideal / s for s in v]) for arm, v in seconds.items()},
            "ray_over_local_time_min_median_max": spread([r / lo for lo, r in zip(seconds["local"], seconds["ray"])]),
            "failed_episodes": failed, "load_average_1min": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    raise SystemExit(main())
