"""Periodic evaluation: every ``eval_steps`` the current policy plays fresh episodes (greedy by default).

It plays through the same ``RolloutRunner`` as training, so an evaluation episode is exactly a training episode
without the update; results go through ``trainer.log`` to every reporter and to the CSV, and each episode is
written as an eval record to ``OUTPUT_DIR/eval/step-N/episodes.jsonl`` (what ``synthagent view`` reads).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from .rollout import RolloutRunner
from .stats import episode_metrics


class EvalCallback(TrainerCallback):
    def __init__(self, runner: RolloutRunner, task_ids: list[str], every: int, episodes: int,
                 make_generator: Any, seed: int = 0, out_dir: str | Path | None = None, run_config: dict | None = None):
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.run_config = run_config or {}
        self.runner, self.task_ids, self.every, self.episodes = runner, task_ids, every, episodes
        self.make_generator = make_generator  # (trainer) -> context manager yielding a Generator
        self.seed = seed
        self.trainer: Any = None  # set after the trainer exists (callbacks are created first)

    def evaluate(self) -> dict[str, float]:
        picks = [self.task_ids[i % len(self.task_ids)] for i in range(self.episodes)]
        with self.make_generator(self.trainer) as generator:
            episodes = self.runner.play(picks, generator, seed=self.seed)
        self._write(episodes)
        return episode_metrics([e.summary() for e in episodes], prefix="eval/")

    def _write(self, episodes: list[Any]) -> None:
        if self.out_dir is None or self.trainer is None:
            return
        from synthagent_env.evaluation.loop import episode_record
        from synthagent_env.evaluation.records import EpisodeLog

        step_dir = self.out_dir / "eval" / f"step-{self.trainer.state.global_step}"
        step_dir.mkdir(parents=True, exist_ok=True)
        (step_dir / "run.json").write_text(json.dumps({"config": self.run_config}), encoding="utf-8")
        log = EpisodeLog(step_dir / "episodes.jsonl")
        try:
            for i, episode in enumerate(episodes):
                log.append(episode_record(episode.state, sample=i // max(1, len(self.task_ids)), label="policy",
                                          elapsed=0.0))
        finally:
            log.close()

    def _run(self, state: Any) -> None:
        if self.trainer is None or not state.is_world_process_zero:
            return
        # transformers' Trainer.log, not GRPOTrainer.log: the latter would fold in (and clear) the train metrics that
        # TRL is about to log for this step. Logging clears ``should_log``, which the step's own log still needs.
        from transformers import Trainer

        should_log = self.trainer.control.should_log
        Trainer.log(self.trainer, self.evaluate())
        self.trainer.control.should_log = should_log

    def on_train_begin(self, args: Any, state: Any, control: Any, **_: Any) -> None:
        if state.global_step == 0:
            self._run(state)

    def on_step_end(self, args: Any, state: Any, control: Any, **_: Any) -> None:
        if self.every > 0 and state.global_step % self.every == 0:
            self._run(state)
