"""Every knob of a training run in one dataclass, and its translation to TRL's ``GRPOConfig``.

Defaults follow the paper's recipe where it has one (KL coefficient 0, up to 16 turns, 16 rollouts per task is the
paper's G; 8 here keeps the default run affordable) and TRL's otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TrainOptions:
    model: str  # a local Hugging Face model folder (or hub id where the hub is reachable)
    tasks: str = "tooluse-v0"  # bundled pack name or JSONL path
    output_dir: str = "runs/grpo"
    # environment: every option of the env is reachable (``env_kwargs`` overrides and extends the named ones)
    env_id: str = "synthagent/ToolUse-v0"
    simulator: str | dict[str, Any] = "offline"
    mapping_path: str | None = None
    max_turns: int = 16
    max_context_chars: int | None = None  # None: the env's default
    max_tool_output_chars: int | None = None  # None: the env's default (4096, as in the paper)
    reward_config: dict[str, Any] | None = None  # e.g. {"formula": "paper_code"}; None: the env's default
    judge: str | dict[str, Any] | None = None  # LLM judge spec for undecided rubric items; None: the env's default
    env_kwargs: dict[str, Any] = field(default_factory=dict)  # any other env option, passed to gym.make
    # rollouts
    group_size: int = 8  # G: episodes per task per step (GRPO's num_generations)
    tasks_per_step: int = 1  # groups per optimizer step
    max_completion_tokens: int = 2048  # model + environment tokens of one episode
    max_turn_tokens: int = 512  # tokens of one assistant turn
    temperature: float = 1.0  # the one source: GRPOConfig.temperature, which the rollout samples at
    top_p: float = 1.0
    top_k: int = 0
    # optimisation
    learning_rate: float = 1e-6
    kl_coef: float = 0.0  # GRPO beta; 0 as in the paper's script (no reference model is loaded)
    max_steps: int = 200
    gradient_accumulation_steps: int = 1
    loss_type: str = "dapo"
    mask_truncated_completions: bool = True  # episodes cut by the token budget teach nothing about finishing
    bf16: bool | None = None  # None: on where the GPU supports it
    gradient_checkpointing: bool = False
    lora: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    lora_target_modules: list[str] | str = "all-linear"
    seed: int = 0
    # bookkeeping
    logging_steps: int = 1
    save_steps: int = 50
    save_total_limit: int | None = 3
    resume: bool | str = False  # True: the latest checkpoint in output_dir; a path: that checkpoint
    report_to: list[str] = field(default_factory=lambda: ["none"])  # TRL/transformers reporters, e.g. wandb
    eval_steps: int = 0  # 0: no periodic evaluation
    eval_tasks: str | None = None  # default: the training pack
    eval_episodes: int = 8
    eval_temperature: float = 0.0  # greedy
    # env workers on a Ray cluster (docs/scale.md): env steps, simulator calls and scoring run in actors
    ray: bool = False
    ray_address: str | None = None  # None with ray=True: $RAY_ADDRESS, else a new local cluster
    ray_workers: int = 2
    # generation through a TRL vLLM server (``trl vllm-serve --model ...``)
    use_vllm: bool = False
    vllm_server_url: str | None = None

    def __post_init__(self) -> None:
        if self.temperature <= 0:
            raise ValueError("temperature must be > 0 for training (TRL divides logits by it); "
                             "greedy decoding is for evaluation: eval_temperature")
        if self.group_size < 2:
            raise ValueError("group_size must be at least 2 (GRPO compares episodes within a group)")
        episodes = self.group_size * self.tasks_per_step
        if episodes % self.gradient_accumulation_steps:
            raise ValueError("group_size * tasks_per_step must be divisible by gradient_accumulation_steps")

    @property
    def output_path(self) -> Path:
        return Path(self.output_dir)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def env_options(self, tasks: Any) -> dict[str, Any]:
        """The ``gym.make(env_id, **...)`` keyword arguments for a pack of ``tasks``."""
        named = {"simulator": self.simulator, "mapping_path": self.mapping_path, "max_turns": self.max_turns,
                 "max_context_chars": self.max_context_chars, "max_tool_output_chars": self.max_tool_output_chars,
                 "reward_config": self.reward_config, "judge": self.judge}
        return {"tasks": tasks, **{k: v for k, v in named.items() if v is not None}, **self.env_kwargs}

    def grpo_config(self) -> Any:
        """The TRL ``GRPOConfig``; generation happens in our rollout, TRL owns the loss, logging and checkpoints."""
        import torch
        from trl import GRPOConfig

        bf16 = self.bf16
        if bf16 is None:
            bf16 = bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
        extra: dict[str, Any] = {}
        if self.use_vllm:
            extra = {"use_vllm": True, "vllm_mode": "server"}
            if self.vllm_server_url:
                extra["vllm_server_base_url"] = self.vllm_server_url
        return GRPOConfig(
            output_dir=self.output_dir,
            num_generations=self.group_size,
            per_device_train_batch_size=self.group_size * self.tasks_per_step // self.gradient_accumulation_steps,
            gradient_accumulation_steps=self.gradient_accumulation_steps,
            max_completion_length=self.max_completion_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            learning_rate=self.learning_rate,
            beta=self.kl_coef,
            max_steps=self.max_steps,
            loss_type=self.loss_type,
            mask_truncated_completions=self.mask_truncated_completions,
            bf16=bf16,
            gradient_checkpointing=self.gradient_checkpointing,
            seed=self.seed,
            logging_steps=self.logging_steps,
            save_strategy="steps" if self.save_steps > 0 else "no",
            save_steps=max(self.save_steps, 1),
            save_total_limit=self.save_total_limit,
            report_to=self.report_to,
            remove_unused_columns=False,
            shuffle_dataset=True,
            disable_tqdm=True,
            **extra,
        )

    def peft_config(self) -> Any | None:
        if not self.lora:
            return None
        from peft import LoraConfig

        return LoraConfig(r=self.lora_r, lora_alpha=self.lora_alpha, lora_dropout=self.lora_dropout,
                          target_modules=self.lora_target_modules, task_type="CAUSAL_LM")
