"""Play every BFCL-v4 multi-turn entry's ground truth through ``synthagent/BFCL-v0`` and report BFCL's scores.

The gold-replay agent should score exactly what BFCL's own checker gives the ground truth (all 800 entries
pass): any entry where the env and the reference disagree, or that fails, is listed with the checker's reason.
Usage: ``python -m benchmarks.bfcl_gold_replay [--categories base miss_func] [--limit 20] [--format hermes]``;
exits non-zero when the env disagrees with the reference anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import gymnasium as gym  # noqa: E402

import synthagent_env  # noqa: E402,F401
from synthagent_env.bfcl import CATEGORIES, GoldReplayAgent  # noqa: E402
from synthagent_env.bfcl.checker import check  # noqa: E402
from synthagent_env.bfcl.data import BFCLEntry  # noqa: E402
from synthagent_env.bfcl.report import format_summary, summarize  # noqa: E402
from synthagent_env.episode import play_episode  # noqa: E402


def reference_verdict(entry: BFCLEntry) -> dict[str, Any]:
    """BFCL's checker on the ground truth itself (one step per turn), with no env in between."""
    return check(entry, [[turn] if turn else [] for turn in entry.ground_truth])


def run_category(category: str, limit: int | None, fmt: str) -> list[dict[str, Any]]:
    env = gym.make("synthagent/BFCL-v0", category=category)
    agent = GoldReplayAgent(fmt=fmt)  # type: ignore[arg-type]
    rows = []
    for entry in env.unwrapped.tasks[:limit]:
        result = play_episode(env, agent, task_id=entry.id)
        details = result.info["reward_details"]
        rows.append({
            "task_id": entry.id, "category": category, "reward": result.reward,
            "error_type": details["error_type"], "error_message": details["error_message"],
            "details": details["details"], "reference_valid": reference_verdict(entry)["valid"],
        })
    env.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", nargs="+", default=list(CATEGORIES), choices=CATEGORIES)
    parser.add_argument("--limit", type=int, default=None, help="only the first N entries of each category")
    parser.add_argument("--format", default="openai", choices=["openai", "hermes"], help="how the agent writes calls")
    parser.add_argument("--json", default=None, help="write every entry's result to this file")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    for category in args.categories:
        start = time.perf_counter()
        rows += (new := run_category(category, args.limit, args.format))
        print(f"{category}: {sum(r['reward'] == 1.0 for r in new)}/{len(new)} in {time.perf_counter() - start:.1f}s",
              file=sys.stderr)

    print("BFCL-v4 multi-turn, gold replay through synthagent/BFCL-v0")
    print(format_summary(summarize(rows)))
    reference = summarize({"task_id": r["task_id"], "reward": float(r["reference_valid"])} for r in rows)
    print("\nBFCL's checker on the ground truth directly (reference)")
    print(format_summary(reference))
    failing = [r for r in rows if r["reward"] != 1.0]
    disagree = [r for r in rows if (r["reward"] == 1.0) != r["reference_valid"]]
    print(f"\nfailing entries: {len(failing)}")
    for r in failing:
        print(f"  {r['task_id']}: {r['error_type']}: {r['error_message']} {r['details'][:300]}")
    print(f"entries where the env and the reference disagree: {len(disagree)}")
    for r in disagree:
        print(f"  {r['task_id']}: env reward {r['reward']}, reference {'pass' if r['reference_valid'] else 'fail'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": summarize(rows), "reference": reference, "entries": rows}, f, indent=1)
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
