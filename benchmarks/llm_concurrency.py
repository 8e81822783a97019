"""Concurrency: N episodes at once against a loopback OpenAI-compatible server with a fixed latency.

Every agent step needs one model call (a question to the simulated user, or a tool call never seen
before), so the ideal rate is N / latency calls per second; the benchmark prints the measured rate and
its ratio to the ideal (target >= 0.9 at N=64, 50 ms). The server (the stand-in model playing user and
tools: the loopback server, ``synthagent_env.llm.loopback_server``) runs in its own process, as a real model server
would, unless ``--in-process``; ``--servers N`` starts N of them and the client routes over the pool. The episodes are
spread over ``--processes`` client processes, as async vector-env workers would be. Each model call costs CPU on
both sides (measured Dec 1 on this 2-core VM: ~1.7-1.9 ms in the client for HTTP, prompts, guards, validation and
the env; ~0.55-0.65 ms in the loopback server with httptools), so at 1,280 calls/s (64 episodes, 50 ms) the run
needs about 3 cores and is CPU-bound on 2: the ratio here measures CPU per call as much as concurrency.

    OMP_NUM_THREADS=1 python -m benchmarks.llm_concurrency [--episodes 64] [--processes 4] [--latency 0.05] \\
        [--servers 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import gymnasium as gym

import synthagent_env  # noqa: F401  (registers the env)
from synthagent_env import load_tasks
from synthagent_env.llm import LLMTestServer, OpenAIClient
from synthagent_env.schema_sampling import instance_of
from synthagent_env.simulators.llm import llm_simulator
from synthagent_env.stores import SqliteStore
from tests.world_model import ScriptedWorldModel

REPLY = "tests.world_model:ScriptedWorldModel"  # the stand-in model (run from the checkout)


class ChattyAgent:
    """Alternates a question to the user with a call of a random tool with fresh arguments (a mapping miss)."""

    def __init__(self, seed: int):
        self._rng = random.Random(seed)
        self._turn = 0
        self._tools: list[dict[str, Any]] = []

    def reset(self, info: dict[str, Any]) -> None:
        self._turn, self._tools = 0, info["tools"]

    def act(self, observation: str, info: dict[str, Any]) -> str:
        self._turn += 1
        if self._turn % 2 or not self._tools:
            return "Could you tell me your order number and anything else I should know?"
        fn = self._rng.choice(self._tools)["function"]
        arguments = instance_of(fn["parameters"], self._rng, fn["name"])
        return f"<tool_call>{json.dumps({'name': fn['name'], 'arguments': arguments})}</tool_call>"


SERVER_CPU: list[float] = []  # CPU seconds each loopback server process used, read when it stops


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process from /proc (Linux), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_url(latency: float, in_process: bool) -> Iterator[str]:
    if in_process:
        with LLMTestServer(ScriptedWorldModel(), latency=latency, record=False) as server:
            yield server.url
        return
    proc = subprocess.Popen([sys.executable, "-m", "synthagent_env.llm.loopback_server", "--port", "0",
                             "--latency", str(latency), "--reply", REPLY], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        _wait_until_up(url)
        yield url
        SERVER_CPU.append(_cpu_seconds(proc.pid))
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_until_up(url: str) -> None:
    import httpx

    for _ in range(200):
        try:
            httpx.get(url + "/models", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"the loopback server at {url} did not come up")


def run_episodes(url: str, tasks_source: str, episodes: int, first_seed: int, seconds: float,
                 mapping_dir: str) -> dict[str, float]:
    """Play ``episodes`` concurrent episodes (threads) for a 1 s warm-up plus ``seconds``; count model calls."""
    tasks = load_tasks(tasks_source)
    stop = threading.Event()
    errors: list[BaseException] = []
    client = OpenAIClient(url, model="test-model", max_concurrency=episodes)
    simulator = llm_simulator(client)

    def worker(i: int) -> None:
        env = gym.make("synthagent/ToolUse-v0", tasks=tasks, simulator=simulator,
                       mapping_path=Path(mapping_dir) / "mapping.sqlite", max_turns=16)
        agent = ChattyAgent(seed=i)
        try:
            while not stop.is_set():
                obs, info = env.reset(seed=i)
                agent.reset(info)
                done = False
                while not done and not stop.is_set():
                    obs, _, terminated, truncated, info = env.step(agent.act(obs, info))
                    done = terminated or truncated
        except BaseException as err:
            errors.append(err)
        finally:
            env.close()

    threads = [threading.Thread(target=worker, args=(first_seed + i,), daemon=True) for i in range(episodes)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    before, t0, cpu0 = client.usage.snapshot(), time.perf_counter(), time.process_time()
    time.sleep(seconds)
    after, t1, cpu1 = client.usage.snapshot(), time.perf_counter(), time.process_time()
    stop.set()
    for t in threads:
        t.join()
    client.close()
    if errors:
        raise errors[0]
    return {"calls": after["requests"] - before["requests"], "seconds": t1 - t0, "cpu": cpu1 - cpu0,
            "all_calls": client.usage["attempts"],
            "failures": after["failures"] - before["failures"], "retries": after["retries"] - before["retries"]}


def _in_process(args: tuple) -> dict[str, float]:
    return run_episodes(*args)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--episodes", type=int, default=64, help="concurrent episodes in all")
    p.add_argument("--processes", type=int, default=4,
                   help="client processes sharing the episodes (as async vector-env workers would)")
    p.add_argument("--latency", type=float, default=0.05, help="server latency per call, seconds")
    p.add_argument("--seconds", type=float, default=6.0, help="measurement window after a 1 s warm-up")
    p.add_argument("--tasks", default="tooluse-v0")
    p.add_argument("--in-process", action="store_true", help="run the server in a thread of this process")
    p.add_argument("--servers", type=int, default=1, help="loopback servers in the client's pool")
    args = p.parse_args(argv)
    shares = [args.episodes // args.processes + (i < args.episodes % args.processes) for i in range(args.processes)]
    with ExitStack() as stack:
        url = ",".join(stack.enter_context(server_url(args.latency, args.in_process)) for _ in range(args.servers))
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        SqliteStore(Path(tmp) / "mapping.sqlite").close()  # created once, before the workers open it together
        jobs = [(url, args.tasks, n, sum(shares[:i]), args.seconds, tmp) for i, n in enumerate(shares)]
        if args.processes == 1:
            parts = [run_episodes(*jobs[0])]
        else:
            with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
                parts = pool.map(_in_process, jobs)
    calls = sum(int(x["calls"]) for x in parts)
    all_calls = sum(int(x["all_calls"]) for x in parts)
    rate = sum(x["calls"] / x["seconds"] for x in parts)
    ideal = args.episodes / args.latency
    print(json.dumps({
        "episodes": args.episodes, "processes": args.processes, "latency_s": args.latency,
        "server": "in-process" if args.in_process else "subprocess", "servers": args.servers,
        "model_calls": calls, "calls_per_s": round(rate, 1), "ideal_calls_per_s": round(ideal, 1),
        "ratio": round(rate / ideal, 3),
        "client_cpu_ms_per_call": round(sum(x["cpu"] for x in parts) / max(calls, 1) * 1000, 3),
        "server_cpu_ms_per_call": round(sum(SERVER_CPU) / max(all_calls, 1) * 1000, 3) if SERVER_CPU else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "failures": sum(int(x["failures"]) for x in parts), "retries": sum(int(x["retries"]) for x in parts),
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
