"""Learning curve: a tiny model learns, with GRPO through our env, to make the one tool call that earns the reward.

The pack (built here, ``synthagent_env.testing.weather_tasks``) has 4 differently worded weather questions over the
same 4 argument-free tools; a task is solved by one well-formed ``get_weather`` call, and calling another tool is
forbidden. A tiny Qwen2 built on the spot gets a few seconds of format warm-up (every tool equally often, so it starts
near chance), then ``training.train`` runs GRPO on CPU. Prints the mean reward at the start and end, saves the plot.

    OMP_NUM_THREADS=1 python -m benchmarks.learning_curve --steps 60 --out runs/learning_curve
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--tasks-per-step", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--window", type=int, default=5, help="steps averaged for the start and end figures")
    parser.add_argument("--out", default="runs/learning_curve")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    import torch

    torch.set_num_threads(1)
    from synthagent_env import save_tasks
    from synthagent_env.testing import build_tiny_model, warm_start, weather_tasks
    from synthagent_training import TrainOptions, train

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    tasks = weather_tasks()
    pack = save_tasks(tasks, out / "weather.jsonl")
    model_dir = warm_start(build_tiny_model(out / "tiny-base", seed=args.seed), tasks, out / "tiny-warm")
    print(f"tiny model ready in {time.monotonic() - started:.0f}s: {model_dir}")
    options = TrainOptions(
        model=str(model_dir), tasks=str(pack), output_dir=str(out / "grpo"), max_turns=1, group_size=args.group_size,
        tasks_per_step=args.tasks_per_step, max_completion_tokens=64, max_turn_tokens=48, learning_rate=args.lr,
        max_steps=args.steps, save_steps=0, seed=args.seed,
    )
    result = train(options)
    rewards = [float(h["reward"]) for h in _train_logs(result.metrics_csv)]
    start, end = _mean(rewards[: args.window]), _mean(rewards[-args.window:])
    print(f"mean reward: start {start:.3f} (first {args.window} steps) -> end {end:.3f} (last {args.window} steps)")
    print(f"plot: {result.plot}   metrics: {result.metrics_csv}   total {time.monotonic() - started:.0f}s")
    return 0


def _train_logs(csv_path: Path) -> list[dict[str, str]]:
    import csv

    with csv_path.open(newline="") as f:
        return [row for row in csv.DictReader(f) if row.get("reward") not in (None, "")]


if __name__ == "__main__":
    raise SystemExit(main())
