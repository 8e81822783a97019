"""Training logs as a CSV (one row per logging event, columns = every metric seen) and a console progress line.

Both are ``TrainerCallback``s fed by TRL's ``on_log``, so whatever TRL reports (reward, loss, KL, our rubric rates,
evaluation results) lands in the CSV next to the reporters it already feeds (TensorBoard, W&B, ...).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback


class CsvMetricsLogger(TrainerCallback):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.rows: list[dict[str, Any]] = []
        if self.path.exists():  # resuming: keep what earlier runs logged
            with self.path.open(newline="") as f:
                self.rows = list(csv.DictReader(f))

    def on_train_begin(self, args: Any, state: Any, control: Any, **_: Any) -> None:
        # On resume, rows logged after the checkpoint were never part of this run's history.
        self.rows = [r for r in self.rows if float(r["step"]) <= state.global_step]

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **_: Any) -> None:
        if not logs or not state.is_world_process_zero:
            return
        self.rows.append({"step": state.global_step,
                          **{k: v for k, v in logs.items() if isinstance(v, (int, float))}})
        columns = list(dict.fromkeys(k for r in self.rows for k in r))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(self.rows)
        tmp.replace(self.path)


class ProgressPrinter(TrainerCallback):
    """One line per log event: step, reward and the rubric rates, so a CLI run shows it is learning."""

    KEYS = ("reward", "rubric/sub_goal_pass", "rubric/interaction_pass", "loss", "eval/reward")

    def __init__(self) -> None:
        self.start = time.monotonic()

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **_: Any) -> None:
        if not logs or not state.is_world_process_zero:
            return
        parts = [f"{k.split('/')[-1] if k != 'eval/reward' else 'eval_reward'}={logs[k]:.3f}"
                 for k in self.KEYS if isinstance(logs.get(k), (int, float))]
        if parts:
            elapsed = time.monotonic() - self.start
            print(f"step {state.global_step}/{state.max_steps} [{elapsed:.0f}s] " + " ".join(parts), flush=True)
