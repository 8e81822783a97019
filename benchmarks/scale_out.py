"""Scale-out: env workers on a two-node Ray cluster, one Redis mapping, a pool of slow simulator servers.

A two-node Ray cluster on this machine (Ray's own ``ray.cluster_utils.Cluster``, loopback), a real
``redis-server`` holding the mapping, and ``--servers`` loopback OpenAI-compatible servers in their own processes
that answer like a world model (``tests.world_model.ScriptedWorldModel``, sampling: its outputs differ call to
call, so consistency is the mapping's doing) after ``--latency`` seconds. ``--episodes`` episodes of
``synthagent/ToolUse-v0`` run at once through ``RayEnvPool`` (``--group`` samples per task, spread over every
actor and both nodes). The agent alternates a question to the user with a tool call chosen and filled from
(task, turn): the samples of a task make the same calls in the same order, so they race on the same mapping keys
from different actors and nodes. Every step needs the model unless the mapping already answers it.

Prints (JSON):
- ``calls_per_s`` and ``ratio``: model calls/s seen by the servers while every episode is live, over the ideal
  ``episodes / latency`` (each live episode always waiting on one model call); target >= 0.9. Beside it the CPU
  each part used in that window (driver, actors, servers, Redis, the whole machine), to say what limits it.
- ``identical_calls``: calls (task, tool, canonical arguments) made more than once, by more than one actor and
  on both nodes, and the fraction answered identically; target 100%. ``store_disagreements``: responses an
  episode saw that differ from the stored entry (target 0).
- with ``--kill``: one actor (Ray restarts it and replays its episodes) and one simulator server (SIGKILL) are
  killed mid-run: ``acknowledged_entries_lost`` (entries in Redis just before the kill that are gone or changed
  after the run; target 0) and ``episodes_missing`` (target 0).

    OMP_NUM_THREADS=1 python -m benchmarks.scale_out [--episodes 256] [--group 16] [--workers 4] [--servers 4]
        [--latency 0.5] [--max-turns 16] [--repeats 3] [--kill] [--quick]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # before ray is imported: every node on 127.0.0.1

import httpx

from benchmarks.llm_concurrency import _cpu_seconds, _wait_until_up
from synthagent_env.mapping_key import CallKey, canonical_json
from synthagent_env.schema_sampling import instance_of
from tests.redis_server import RedisServer

REPLY = "tests.world_model:ScriptedWorldModel"
QUESTION = "Could you tell me your booking reference and anything else I should know?"


class LockstepAgent:
    """Odd turns ask the user; even turns call a tool chosen and filled from (salt, task, turn). Never answers,
    never says goodbye: every episode runs to ``max_turns``. A new ``salt`` makes a round of new calls."""

    def __init__(self, salt: int = 0):
        self.salt = salt

    def reset(self, info: dict[str, Any]) -> None:
        self._task, self._tools, self._turn = info["task_id"], info["tools"], 0

    def act(self, observation: str, info: dict[str, Any]) -> str:
        self._turn += 1
        if self._turn % 2:
            return QUESTION
        rng = random.Random(f"{self.salt}/{self._task}/{self._turn}")
        fn = rng.choice(self._tools)["function"]
        call = {"name": fn["name"], "arguments": instance_of(fn["parameters"], rng, fn["name"])}
        return f"<tool_call>{json.dumps(call)}</tool_call>"


class WarmUp:
    """Holds its thread for a moment and answers at once: one round of these makes every actor thread's env
    (and its store connection) before the measured run, with no model call and no mapping entry."""

    def reset(self, info: dict[str, Any]) -> None:
        time.sleep(1.0)

    def act(self, observation: str, info: dict[str, Any]) -> str:
        return "<answer>warm</answer>"


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "synthagent_env.llm.loopback_server", "--port", "0",
                             "--latency", str(latency), "--reply", REPLY], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    _wait_until_up(url)
    return proc, url


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


def machine_busy() -> tuple[float, float]:
    """``(busy, total)`` CPU jiffies of the whole machine (/proc/stat)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += _cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def snapshot(url: str) -> dict[CallKey, str]:
    """Every entry in the Redis mapping, read by a fresh store (no memory cache)."""
    from synthagent_env import store_pool

    store = store_pool.open_store(url)
    try:
        return {e.key(t): e.response for t in store.task_ids() for e in store.entries(t)}
    finally:
        store.close()


def consistency(results: list[tuple[int, dict[str, Any]]], stored: dict[CallKey, str]) -> dict[str, Any]:
    """Identical calls across actors and nodes, and whether they were answered identically (and as stored)."""
    seen: dict[CallKey, list[tuple[int, str, str]]] = defaultdict(list)
    disagree_store = 0
    for worker, r in results:
        for e in r["info"].get("trajectory", []):
            if e["type"] == "tool_call" and e["status"] == "ok":
                key = CallKey(r["task_id"], e["name"], canonical_json(e["arguments"]))
                seen[key].append((worker, r["node"], e["response"]))
                disagree_store += stored.get(key) != e["response"]
    groups = [calls for calls in seen.values() if len({w for w, _, _ in calls}) > 1 and len({n for _, n, _ in calls}) > 1]
    agree = sum(len(c) for c in groups if len({resp for _, _, resp in c}) == 1)
    calls = sum(len(c) for c in groups)
    return {"keys": len(groups), "calls": calls, "answered_identically": round(agree / calls, 4) if calls else None,
            "store_disagreements": disagree_store}


class Bench:
    """Redis, the simulator servers, the two-node cluster and the actor pool, made once for every round."""

    def __init__(self, args: argparse.Namespace, tmp: Path, stack: ExitStack):
        import ray
        from ray.cluster_utils import Cluster

        from synthagent_env import load_tasks
        from synthagent_env.ray_pool import EpisodeSpec, RayEnvPool

        self.args, self.ray = args, ray
        self.redis = RedisServer(tmp)
        self.redis.start()
        stack.callback(self.redis.stop)
        self.servers = [start_server(args.latency) for _ in range(args.servers)]
        for proc, _ in self.servers:
            stack.callback(stop_process, proc)
        self.urls, self.alive = [u for _, u in self.servers], [True] * len(self.servers)
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
        cluster.add_node(num_cpus=2)
        cluster.wait_for_nodes()
        stack.callback(cluster.shutdown)
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors need the agents below
        ray.init(address=cluster.address, log_to_driver=False)
        stack.callback(ray.shutdown)
        tasks = [t.id for t in load_tasks(args.tasks)][: args.episodes // args.group]
        env_kwargs = {"tasks": args.tasks, "mapping_path": self.redis.url, "max_turns": args.max_turns,
                      "simulator": {"backend": "openai", "base_url": self.urls, "model": "test-model"}}
        self.pool = RayEnvPool("synthagent/ToolUse-v0", env_kwargs, num_workers=args.workers,
                               episodes_per_worker=-(-args.episodes // args.workers))
        stack.callback(self.pool.close)
        self.nodes = self.pool.nodes()
        self.actor_pids = ray.get([w.__ray_call__.remote(lambda self: os.getpid()) for w in self.pool.workers])
        self.specs = [EpisodeSpec(t, sample=s, seed=s) for t in tasks for s in range(args.group)]
        self.placed = [i % args.workers for i in range(len(self.specs))]  # a task's samples on every actor
        ray.get(self.play(WarmUp))

    def play(self, agent: Any) -> list[Any]:
        return [self.pool.workers[w].play.remote(spec, agent) for w, spec in zip(self.placed, self.specs)]

    def served(self) -> int:
        """Chat requests the live servers have seen so far."""
        return sum(httpx.get(u.removesuffix("/v1") + "/stats", timeout=5).json().get("requests", 0)
                   for u, up in zip(self.urls, self.alive) if up)

    def cpu(self) -> list[float]:
        return [time.process_time(), cpu_of(self.actor_pids), cpu_of([p.pid for p, _ in self.servers]),
                cpu_of([self.redis.proc.pid]), *machine_busy()]

    def window(self, refs: list[Any]) -> dict[str, Any]:
        """Model calls/s while every episode is live: from when all have started to when the first ends."""
        args = self.args
        while self.served() < len(self.specs):
            time.sleep(0.05)
        time.sleep(args.latency)
        t0, n0, cpu0 = time.perf_counter(), self.served(), self.cpu()
        self.ray.wait(refs, num_returns=1, timeout=args.max_turns * args.latency * 4)
        t1, n1, cpu1 = time.perf_counter(), self.served(), self.cpu()
        seconds, calls = t1 - t0, n1 - n0
        used = [(b - a) / seconds for a, b in zip(cpu0, cpu1)]
        rate, ideal = calls / seconds, args.episodes / args.latency
        per_call = sum(used[:4]) / max(rate, 1e-9)  # our processes' CPU seconds per model call
        return {"seconds": round(seconds, 2), "model_calls": calls, "calls_per_s": round(rate, 1),
                "ideal_calls_per_s": round(ideal, 1), "ratio": round(rate / ideal, 3),
                "cores_used": {"driver": round(used[0], 2), "actors": round(used[1], 2), "servers": round(used[2], 2),
                               "redis": round(used[3], 2),
                               "machine": round(used[4] / max(used[5], 1e-9) * (os.cpu_count() or 1), 2),
                               "machine_cores": os.cpu_count()},
                "cpu_ms_per_call": {"actors": round(used[1] / max(rate, 1e-9) * 1000, 2),
                                    "servers": round(used[2] / max(rate, 1e-9) * 1000, 2),
                                    "all_ours": round(per_call * 1000, 2)},
                "cores_needed_at_ideal": round(per_call * ideal, 2)}

    def kill(self, started: float) -> tuple[dict[str, Any], dict[CallKey, str]]:
        """Kill one actor (Ray restarts it and retries its episodes) and one server; the entries just before."""
        before = snapshot(self.redis.url)
        self.ray.kill(self.pool.workers[0], no_restart=False)
        os.kill(self.servers[0][0].pid, signal.SIGKILL)
        self.alive[0] = False
        return {"actor": 0, "actor_node": self.nodes[0], "server": self.urls[0], "entries_before": len(before),
                "at_s": round(time.perf_counter() - started, 2)}, before

    def round(self, salt: int, kill: bool) -> dict[str, Any]:
        args = self.args
        n_start, started = self.served(), time.perf_counter()
        refs = self.play(functools.partial(LockstepAgent, salt=salt))
        report: dict[str, Any] = {}
        if kill:
            while self.served() < len(self.specs):
                time.sleep(0.05)
            time.sleep(args.max_turns * args.latency / 3)
            report["killed"], before = self.kill(started)
        else:
            report["window"] = self.window(refs)
        results: list[tuple[int, dict[str, Any]]] = []
        errors: list[str] = []
        ended: list[float] = []  # seconds from the round's start to each episode's result
        worker_of = {ref: w for ref, w in zip(refs, self.placed)}
        waiting = list(refs)
        while waiting:
            done, waiting = self.ray.wait(waiting, num_returns=1, timeout=600)
            if not done:
                errors += ["no result within 600 s"] * len(waiting)
                break
            ended.append(time.perf_counter() - started)
            try:
                results.append((worker_of[done[0]], self.ray.get(done[0])))
            except Exception as err:  # noqa: BLE001  (an episode that raised is counted, not fatal)
                errors.append(f"{type(err).__name__}: {str(err)[:300]}")
        elapsed = time.perf_counter() - started
        after = snapshot(self.redis.url)
        got = {(r["task_id"], r["sample"]) for _, r in results}
        reasons: dict[str, int] = defaultdict(int)
        for _, r in results:
            reasons[str(r["info"].get("end_reason"))] += 1
        report.update({
            "episodes_missing": sum((s.task_id, s.sample) not in got for s in self.specs),
            "episode_errors": len(errors), "first_errors": errors[:3], "end_reasons": dict(reasons),
            "entries_after": len(after), "run_seconds": round(elapsed, 2),
            "episode_end_s_min_median_max": [round(ended[0], 2), round(statistics.median(ended), 2),
                                             round(ended[-1], 2)] if ended else None,
            "run_ratio": None if kill else round((self.served() - n_start) * args.latency / args.episodes / elapsed, 3),
            "identical_calls": consistency(results, after), "load_average_1min": round(os.getloadavg()[0], 2)})
        if kill:
            report["acknowledged_entries_lost"] = sum(after.get(k) != v for k, v in before.items())
        return report


def run(args: argparse.Namespace, tmp: Path, stack: ExitStack) -> dict[str, Any]:
    bench = Bench(args, tmp, stack)
    rounds = [bench.round(salt, kill=False) for salt in range(args.repeats)]
    report: dict[str, Any] = {
        "episodes": len(bench.specs), "group": args.group, "workers": args.workers, "nodes": len(set(bench.nodes)),
        "servers": args.servers, "latency_s": args.latency, "max_turns": args.max_turns, "rounds": rounds}
    if rounds:
        ratios = sorted(r["window"]["ratio"] for r in rounds)
        agree = [r["identical_calls"]["answered_identically"] for r in rounds]
        report["ratio_min_median_max"] = [ratios[0], statistics.median(ratios), ratios[-1]]
        report["identical_calls_answered_identically_min"] = min(a for a in agree if a is not None)
    if args.kill:
        report["kill_round"] = bench.round(args.repeats, kill=True)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--episodes", type=int, default=256, help="concurrent episodes in all")
    p.add_argument("--group", type=int, default=16, help="samples per task (GRPO's group)")
    p.add_argument("--workers", type=int, default=4, help="Ray env actors, spread over the two nodes")
    p.add_argument("--servers", type=int, default=4, help="loopback simulator servers in the client's pool")
    p.add_argument("--latency", type=float, default=0.5, help="seconds each server takes per call")
    p.add_argument("--max-turns", type=int, default=16)
    p.add_argument("--tasks", default="tooluse-v0")
    p.add_argument("--repeats", type=int, default=3, help="measured rounds (new calls each) on one cluster")
    p.add_argument("--kill", action="store_true", help="then a round that kills one actor and one server mid-run")
    p.add_argument("--quick", action="store_true", help="32 episodes, 2 workers, 0.2 s, 16 turns, 2 rounds: about a minute")
    args = p.parse_args(argv)
    if args.quick:
        args.episodes, args.group, args.workers, args.latency, args.max_turns, args.repeats = 32, 8, 2, 0.2, 16, 2
    if args.episodes % args.group or args.workers < 2 or args.servers < 2:
        p.error("--episodes must be a multiple of --group; --workers and --servers at least 2 (one is killed)")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:  # the stack (Redis) ends first
        report = run(args, Path(tmp), stack)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
