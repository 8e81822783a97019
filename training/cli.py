"""``synthagent train``: GRPO on a task pack with a local model folder; prints progress and where results went."""

from __future__ import annotations

import argparse
import dataclasses

from synthagent_env.cli import command

from .options import TrainOptions

# CLI flag -> TrainOptions field, for the options a user tunes from the shell (all others keep their defaults).
_FLAGS: dict[str, tuple[str, type, str]] = {
    "--output-dir": ("output_dir", str, "where checkpoints, metrics.csv, the plot and final/ go"),
    "--simulator": ("simulator", str, "simulator backend for tools and user (default: offline)"),
    "--mapping": ("mapping_path", str, "mapping store path (default: a temporary one)"),
    "--max-turns": ("max_turns", int, "assistant turns per episode"),
    "--group-size": ("group_size", int, "episodes per task per step (GRPO's G)"),
    "--tasks-per-step": ("tasks_per_step", int, "groups per optimizer step"),
    "--max-completion-tokens": ("max_completion_tokens", int, "model + env tokens per episode"),
    "--max-turn-tokens": ("max_turn_tokens", int, "tokens per assistant turn"),
    "--temperature": ("temperature", float, "sampling temperature of rollouts"),
    "--lr": ("learning_rate", float, "learning rate"),
    "--kl": ("kl_coef", float, "KL coefficient (GRPO beta; default 0 as in the paper)"),
    "--max-steps": ("max_steps", int, "optimizer steps"),
    "--grad-accum": ("gradient_accumulation_steps", int, "gradient accumulation steps"),
    "--loss-type": ("loss_type", str, "TRL loss type (dapo, grpo, dr_grpo, ...)"),
    "--lora-r": ("lora_r", int, "LoRA rank (with --lora)"),
    "--save-steps": ("save_steps", int, "checkpoint every N steps (0: only the final model)"),
    "--eval-steps": ("eval_steps", int, "evaluate every N steps (0: never)"),
    "--eval-tasks": ("eval_tasks", str, "task pack for evaluation (default: the training pack)"),
    "--eval-episodes": ("eval_episodes", int, "episodes per evaluation"),
    "--vllm-server-url": ("vllm_server_url", str, "URL of a `trl vllm-serve` server (implies --vllm)"),
    "--seed": ("seed", int, "random seed"),
}
_SWITCHES = {"--lora": "lora", "--vllm": "use_vllm", "--bf16": "bf16",
             "--gradient-checkpointing": "gradient_checkpointing"}


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="local Hugging Face model folder")
    p.add_argument("--tasks", default="tooluse-v0", help="task pack: bundled name or JSONL path")
    for flag, (_, kind, help_text) in _FLAGS.items():
        p.add_argument(flag, type=kind, default=None, help=help_text)
    for flag in _SWITCHES:
        p.add_argument(flag, action="store_true", default=None)
    p.add_argument("--resume", nargs="?", const=True, default=False,
                   help="resume from the latest checkpoint in --output-dir, or from the given checkpoint folder")
    p.add_argument("--report-to", nargs="*", default=None, help="TRL/transformers reporters, e.g. wandb tensorboard")


def options_from_args(args: argparse.Namespace) -> TrainOptions:
    values = {"model": args.model, "tasks": args.tasks, "resume": args.resume}
    for flag, (field, _, _) in _FLAGS.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            values[field] = value
    for flag, field in _SWITCHES.items():
        if getattr(args, flag[2:].replace("-", "_")):
            values[field] = True
    if args.report_to is not None:
        values["report_to"] = args.report_to or ["none"]
    if values.get("vllm_server_url"):
        values["use_vllm"] = True
    known = {f.name for f in dataclasses.fields(TrainOptions)}
    return TrainOptions(**{k: v for k, v in values.items() if k in known})


@command("train", "GRPO-train a local Hugging Face model on a task pack in the synthagent environments", _configure)
def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    from .trainer import train

    print(f"training {options.model} on {options.tasks}: G={options.group_size}, {options.max_steps} steps, "
          f"output {options.output_dir}", flush=True)
    result = train(options)
    reward = result.final_metrics.get("reward")
    print(f"done. final mean reward {reward:.3f}" if reward is not None else "done.")
    print(f"model:   {result.model_dir}")
    print(f"metrics: {result.metrics_csv}")
    print(f"plot:    {result.plot}")
    return 0
