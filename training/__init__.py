"""GRPO training of any Hugging Face causal LM in the synthagent environments, on TRL.

``train(TrainOptions(model=..., tasks=...))`` plays G episodes per task in ``synthagent/ToolUse-v0`` (the policy
writes every assistant turn, the env answers with tool results and simulated-user replies), trains on the whole
episode with environment tokens masked out, and uses the env's rubric reward. Heavy imports happen on use.

Bringing your own ``GRPOTrainer``: ``rollout_func(env, tokenizer)`` plays whole episodes in our envs,
``env_reward`` is the reward function that reads their rubric rewards, ``task_dataset(tasks)`` is the dataset of
task ids; sampling settings come from your ``GRPOConfig`` (see docs/training.md).
"""

from __future__ import annotations

from typing import Any

from .options import TrainOptions

__all__ = ["EnvRolloutFunc", "TrainOptions", "TrainResult", "build_trainer", "env_reward", "rollout_func",
           "task_dataset", "train"]

_LAZY = {"TrainResult": "trainer", "build_trainer": "trainer", "train": "trainer", "EnvRolloutFunc": "trl_rollout",
         "env_reward": "trl_rollout", "rollout_func": "trl_rollout", "task_dataset": "trl_rollout"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
