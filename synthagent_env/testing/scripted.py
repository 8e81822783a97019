"""A generator that writes scripted assistant turns, for testing rollouts and trainers without sampling luck.

It speaks the trainer's generator protocol (token ids in, ``Sample`` out) and records every call, so tests can check
both what the environment did with each turn and that all live episodes were generated in one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ScriptedGenerator:
    def __init__(self, tokenizer: Any, reply: Callable[[str], str], close_turn: bool = True):
        """``reply(context_text) -> assistant text``; ``close_turn=False`` leaves turns unfinished (no EOS)."""
        self.tokenizer, self.reply, self.close_turn = tokenizer, reply, close_turn
        self.batch_sizes: list[int] = []

    def generate(self, prompts: list[list[int]], max_new_tokens: list[int]) -> list[Any]:
        from synthagent_training.generation import Sample

        self.batch_sizes.append(len(prompts))
        samples = []
        for ids, budget in zip(prompts, max_new_tokens):
            text = self.reply(self.tokenizer.decode(ids))
            out = self.tokenizer(text, add_special_tokens=False)["input_ids"]
            out = (out + [self.tokenizer.eos_token_id] if self.close_turn else out)[:budget]
            ended = bool(out) and out[-1] == self.tokenizer.eos_token_id
            samples.append(Sample(out, [0.0] * len(out), ended=ended))
        return samples
