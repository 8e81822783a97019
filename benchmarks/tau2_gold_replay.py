"""Gold replay on every τ²-bench task: ``synthagent/Tau2-v0`` with ``GoldReplayAgent`` vs τ²'s own run.

For each task of each domain the gold plan (``synthagent_env.tau2.gold.gold_plan``: the task's gold actions, the
user's part done by ``GoldUser`` on a loopback server, then the task's ``communicate_info``) is played through
the env and through τ²'s own orchestrator, and both are scored by τ²'s evaluator (``EvaluationType.ALL``).
Expected: the env scores 1.0 on every task whose gold τ² itself scores 1.0, and agrees with τ² on every task.

Usage: ``python -m benchmarks.tau2_gold_replay [--domains airline retail telecom] [--split base] [--limit N]``;
exits non-zero on any disagreement.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.tau2_fidelity import run_on_tau2
from synthagent_env.llm import LLMTestServer
from synthagent_env.tau2 import GoldReplayAgent, GoldUser, Tau2Env, load_tasks
from synthagent_env.tau2.gold import gold_plan


def replay_on_env(env: Tau2Env, domain: str, task_id: str) -> float:
    """The gold agent as any agent would be run: reset, then act until the episode ends."""
    agent = GoldReplayAgent()
    obs, info = env.reset(options={"task_id": task_id})
    agent.reset(info)
    reward, done = 0.0, False
    while not done:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs, info))
        done = terminated or truncated
    return float(reward)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domains", nargs="+", default=["airline", "retail", "telecom"])
    parser.add_argument("--split", default="base")
    parser.add_argument("--limit", type=int, default=None, help="first N tasks per domain")
    args = parser.parse_args(argv)
    bad = 0
    with LLMTestServer(reply=GoldUser()) as server:
        for domain in args.domains:
            tasks = load_tasks(domain, args.split)[: args.limit]
            env = Tau2Env(domain=domain, task_split=args.split, user=server.url)
            start = time.perf_counter()
            tau_ones = env_ones = agree = 0
            for task in tasks:
                env_reward = replay_on_env(env, domain, task.id)
                tau_reward, tau_end, _ = run_on_tau2(domain, task, gold_plan(task), server.url)
                tau_ones += tau_reward == 1.0
                env_ones += env_reward == 1.0
                if env_reward == tau_reward:
                    agree += 1
                else:
                    bad += 1
                    print(f"DISAGREE {domain} {task.id}: env {env_reward} tau2 {tau_reward} ({tau_end})", flush=True)
            env.close()
            print(f"{domain}/{args.split}: {len(tasks)} tasks; tau2 scores gold 1.0 on {tau_ones}, the env on "
                  f"{env_ones}; agree on {agree}/{len(tasks)} ({time.perf_counter() - start:.0f} s)", flush=True)
    print("all agree" if not bad else f"{bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
