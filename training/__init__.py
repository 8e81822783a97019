"""GRPO training of any Hugging Face causal LM in the synthagent environments, on TRL.

``train(TrainOptions(model=..., tasks=...))`` plays G episodes per task in ``synthagent/ToolUse-v0`` (the policy
writes every assistant turn, the env answers with tool results and simulated-user replies), trains on the whole
episode with environment tokens masked out, and uses the env's rubric reward. Heavy imports happen on use.
"""

from __future__ import annotations

from typing import Any

from .options import TrainOptions

__all__ = ["TrainOptions", "TrainResult", "build_trainer", "train"]


def __getattr__(name: str) -> Any:
    if name in ("TrainResult", "build_trainer", "train"):
        from . import trainer

        return getattr(trainer, name)
    raise AttributeError(name)
