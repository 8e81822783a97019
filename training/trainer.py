"""Assemble and run a GRPO training job: model, envs, rollout, TRL trainer, logs, evaluation and the final plot."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .options import TrainOptions

CSV_NAME, PLOT_NAME, FINAL_DIR = "metrics.csv", "training_curves.png", "final"


@dataclass
class TrainResult:
    model_dir: Path
    metrics_csv: Path
    plot: Path | None
    final_metrics: dict[str, float]


def _env_factory(options: TrainOptions, tasks: Any, pools: list[Any] | None = None) -> Any:
    """Local envs, or with ``options.ray`` a ``RayEnvPool``'s remote episode slots (the pool goes to ``pools``)."""
    if options.ray:
        from synthagent_env.ray_pool import DEFAULT_EPISODES_PER_WORKER, RayEnvPool

        episodes = max(options.group_size * options.tasks_per_step, options.eval_episodes)
        per_worker = max(DEFAULT_EPISODES_PER_WORKER, -(-episodes // options.ray_workers))  # a batch steps at once
        pool = RayEnvPool(options.env_id, options.env_options(tasks), num_workers=options.ray_workers,
                          episodes_per_worker=per_worker, address=options.ray_address)
        if pools is not None:
            pools.append(pool)
        return pool.make_env
    from .trl_rollout import env_maker

    return env_maker(options.env_id, options.env_options(tasks))


def _closer(pools: list[Any]) -> Any:
    """A callback that closes the run's env-worker pools when training ends (an exception ends them with the
    driver: Ray kills a driver's actors when it exits)."""
    from transformers import TrainerCallback

    class ClosePools(TrainerCallback):
        def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            for pool in pools:
                pool.close()
            pools.clear()

    return ClosePools()


def build_trainer(options: TrainOptions, model: Any = None, tokenizer: Any = None) -> Any:
    """The configured ``GRPOTrainer`` (``model``/``tokenizer`` default to loading ``options.model``)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, PrinterCallback
    from trl import GRPOTrainer

    from synthagent_env import load_tasks

    from .chat_format import ChatFormat
    from .evaluation import EvalCallback
    from .generation import HFGenerator, VLLMServerGenerator
    from .metrics_log import CsvMetricsLogger, ProgressPrinter
    from .rollout import RolloutLimits, RolloutRunner
    from .trl_rollout import EnvRolloutFunc, end_of_turn_ids, env_reward, task_dataset

    tokenizer = tokenizer or AutoTokenizer.from_pretrained(options.model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = model or AutoModelForCausalLM.from_pretrained(options.model)
    tasks = load_tasks(options.tasks)
    limits = RolloutLimits(max_completion_tokens=options.max_completion_tokens, max_turn_tokens=options.max_turn_tokens)
    chat = ChatFormat(tokenizer)
    stop_ids = end_of_turn_ids(tokenizer, model)
    pools: list[Any] = []  # Ray env-worker pools, closed when training ends
    rollout = EnvRolloutFunc(RolloutRunner(_env_factory(options, tasks, pools), chat),
                             max_turn_tokens=options.max_turn_tokens,
                             max_completion_tokens=options.max_completion_tokens, stop_ids=stop_ids)

    callbacks: list[Any] = [CsvMetricsLogger(options.output_path / CSV_NAME), ProgressPrinter()]
    evaluator = None
    if options.eval_steps > 0:
        eval_tasks = load_tasks(options.eval_tasks) if options.eval_tasks else tasks

        @contextlib.contextmanager
        def eval_generator(trainer: Any):
            if trainer.use_vllm:
                yield VLLMServerGenerator(rollout.client(trainer), options.eval_temperature, stop_ids=stop_ids)
                return
            with rollout.model_context(trainer) as unwrapped:
                yield HFGenerator(unwrapped, tokenizer, options.eval_temperature, stop_ids=stop_ids)

        evaluator = EvalCallback(RolloutRunner(_env_factory(options, eval_tasks, pools), chat, limits),
                                 [t.id for t in eval_tasks], options.eval_steps, options.eval_episodes,
                                 eval_generator, seed=options.seed + 12345, out_dir=options.output_dir,
                                 run_config={"env_id": options.env_id, "env_kwargs": {"tasks": str(options.tasks)}})
        callbacks.append(evaluator)
    callbacks.append(_closer(pools))  # last: the evaluator may still play at train end
    config = options.grpo_config()
    trainer = GRPOTrainer(
        model=model, reward_funcs=[env_reward], args=config, processing_class=tokenizer,
        train_dataset=task_dataset([t.id for t in tasks], min_rows=options.tasks_per_step),
        rollout_func=rollout, peft_config=options.peft_config(), callbacks=callbacks,
    )
    if evaluator is not None:
        evaluator.trainer = trainer
    trainer.remove_callback(PrinterCallback)  # ProgressPrinter prints a readable line instead of raw dicts
    return trainer


def _resume_arg(options: TrainOptions) -> bool | str | None:
    if options.resume is True:
        has_checkpoint = any(options.output_path.glob("checkpoint-*"))
        return True if has_checkpoint else None
    return options.resume or None


def train(options: TrainOptions, model: Any = None, tokenizer: Any = None) -> TrainResult:
    """Run GRPO to ``options.max_steps``; save the final model (adapter with LoRA) and the curves plot."""
    from .plot import plot_metrics

    trainer = build_trainer(options, model, tokenizer)
    trainer.train(resume_from_checkpoint=_resume_arg(options))
    final = options.output_path / FINAL_DIR
    trainer.save_model(str(final))
    trainer.processing_class.save_pretrained(str(final))
    csv_path = options.output_path / CSV_NAME
    plot = plot_metrics(csv_path, options.output_path / PLOT_NAME) if csv_path.exists() else None
    logged = [h for h in trainer.state.log_history if "reward" in h]
    return TrainResult(final, csv_path, plot, {k: v for k, v in (logged[-1] if logged else {}).items()
                                               if isinstance(v, (int, float))})
