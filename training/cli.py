"""``synthagent train``: GRPO on a task pack with a local model folder; prints progress and where results went.

``synthagent tiny-model OUT_DIR``: build the tiny local model the tests use (offline, seconds), to try ``train`` or
the ``hf`` agent with no download.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from synthagent_env.cli import command

from .options import TrainOptions

# CLI flag -> TrainOptions field, for the options a user tunes from the shell (all others keep their defaults).
_FLAGS: dict[str, tuple[str, type, str]] = {
    "--output-dir": ("output_dir", str, "where checkpoints, metrics.csv, the plot and final/ go"),
    "--env": ("env_id", str, "gym id of the environment (default: synthagent/ToolUse-v0)"),
    "--simulator": ("simulator", str, "simulator backend for tools and user (default: offline)"),
    "--mapping": ("mapping_path", str, "mapping store path (default: a temporary one)"),
    "--max-turns": ("max_turns", int, "assistant turns per episode"),
    "--max-context-chars": ("max_context_chars", int, "context limit of an episode (default: the env's)"),
    "--max-tool-output-chars": ("max_tool_output_chars", int, "tool output cut-off (default: the env's, 4096)"),
    "--reward-config": ("reward_config", json.loads, 'JSON reward options, e.g. \'{"formula": "paper_code"}\''),
    "--judge": ("judge", str, "LLM judge for rubric items the trajectory cannot decide (default: the env's)"),
    "--env-kwargs": ("env_kwargs", json.loads, "JSON object of any other env option, passed to gym.make"),
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
    "--ray-address": ("ray_address", str, "Ray cluster address for env workers (implies --ray)"),
    "--ray-workers": ("ray_workers", int, "env actors on the Ray cluster (with --ray; default 2)"),
    "--seed": ("seed", int, "random seed"),
}
_SWITCHES: dict[str, tuple[str, str]] = {
    "--lora": ("lora", "train LoRA adapters instead of the whole model"),
    "--vllm": ("use_vllm", "generate rollouts with a `trl vllm-serve` server"),
    "--bf16": ("bf16", "bfloat16 training (default: on where the GPU supports it)"),
    "--gradient-checkpointing": ("gradient_checkpointing", "trade compute for memory"),
    "--ray": ("ray", "step episodes in env actors on a Ray cluster (docs/scale.md)"),
}


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="local Hugging Face model folder")
    p.add_argument("--tasks", default="tooluse-v0", help="task pack: bundled name or JSONL path")
    for flag, (_, kind, help_text) in _FLAGS.items():
        p.add_argument(flag, type=kind, default=None, help=help_text)
    for flag, (_, help_text) in _SWITCHES.items():
        p.add_argument(flag, action="store_true", default=None, help=help_text)
    p.add_argument("--resume", nargs="?", const=True, default=False,
                   help="resume from the latest checkpoint in --output-dir, or from the given checkpoint folder")
    p.add_argument("--report-to", nargs="*", default=None, help="TRL/transformers reporters, e.g. wandb tensorboard")


def options_from_args(args: argparse.Namespace) -> TrainOptions:
    values = {"model": args.model, "tasks": args.tasks, "resume": args.resume}
    for flag, (field, _, _) in _FLAGS.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            values[field] = value
    for flag, (field, _) in _SWITCHES.items():
        if getattr(args, flag[2:].replace("-", "_")):
            values[field] = True
    if args.report_to is not None:
        values["report_to"] = args.report_to or ["none"]
    if values.get("vllm_server_url"):
        values["use_vllm"] = True
    if values.get("ray_address"):
        values["ray"] = True
    known = {f.name for f in dataclasses.fields(TrainOptions)}
    return TrainOptions(**{k: v for k, v in values.items() if k in known})


def _check_options(options: TrainOptions) -> None:
    for name in ("reward_config", "env_kwargs"):
        if getattr(options, name) is not None and not isinstance(getattr(options, name), dict):
            raise ValueError(f"--{name.replace('_', '-')} must be a JSON object")
    looks_like_path = options.model.startswith((".", "/", "~")) or options.model.count("/") > 1
    if looks_like_path and not Path(options.model).expanduser().is_dir():
        raise ValueError(f"--model {options.model}: no such model folder (try `synthagent tiny-model DIR` to build "
                         "a tiny local one)")


@command("train", "GRPO-train a local Hugging Face model on a task pack in the synthagent environments", _configure)
def run(args: argparse.Namespace) -> int:
    try:
        options = options_from_args(args)
        _check_options(options)
    except ValueError as err:
        print(f"synthagent train: error: {err}", file=sys.stderr)
        return 2
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


def _tiny_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out_dir", help="folder to write the model and tokenizer to")
    p.add_argument("--hidden-size", type=int, default=64, help="hidden size (default: 64)")
    p.add_argument("--layers", type=int, default=2, help="transformer layers (default: 2)")
    p.add_argument("--vocab-size", type=int, default=512, help="BPE vocabulary size (default: 512)")
    p.add_argument("--seed", type=int, default=0, help="weight initialisation seed (default: 0)")


@command("tiny-model", "build a tiny random Qwen2-style model with a real chat template, offline (for trying "
                       "train or the hf agent)", _tiny_args)
def tiny_model(args: argparse.Namespace) -> int:
    from synthagent_env.testing.tiny_model import build_tiny_model

    missing = [m for m in ("torch", "transformers", "tokenizers", "trl") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"synthagent tiny-model: error: needs {', '.join(missing)}: pip install -e \".[train]\" "
              "(on a CPU machine install the CPU build of torch first, see docs/training.md)", file=sys.stderr)
        return 2
    out: Any = build_tiny_model(args.out_dir, hidden_size=args.hidden_size, num_layers=args.layers,
                                vocab_size=args.vocab_size, seed=args.seed)
    print(f"tiny model written to {out} (random weights: it will not solve tasks, it runs the pipeline)")
    return 0
