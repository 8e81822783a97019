"""Batched next-turn generation: one call samples the next assistant turn of every live episode.

Two backends behind one small protocol: a local Hugging Face model (``HFGenerator``, left-padded ``generate``) and a
TRL vLLM server (``VLLMServerGenerator``, one ``/v1/completions`` request for all prompts). Both return the exact
sampled token ids and their log-probabilities, so the trainer never re-tokenises model text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass
class Sample:
    """One generated turn: sampled token ids (ending with EOS when the model closed its turn) and their log-probs."""

    ids: list[int]
    logprobs: list[float]
    ended: bool  # the model emitted an end-of-turn token (else it hit its token budget)


class Generator(Protocol):
    def generate(self, prompts: list[list[int]], max_new_tokens: list[int]) -> list[Sample]: ...


class _LogprobRecorder:
    """A logits processor that keeps log p(token) of each sampled token under softmax(logits / temperature).

    It sees the logits before HF's warpers (custom processors run first) and, one step later, reads which token was
    sampled from ``input_ids``. That matches how TRL recomputes the policy's log-probs (logits / temperature) while
    holding one (batch, vocab) tensor instead of the whole score history.
    """

    def __init__(self, temperature: float):
        self.temperature = temperature if temperature > 0 else 1.0
        self.pending = None
        self.steps: list[Any] = []

    def __call__(self, input_ids, scores):
        self._collect(input_ids[:, -1])
        self.pending = (scores.float() / self.temperature).log_softmax(-1)
        return scores

    def _collect(self, tokens) -> None:
        if self.pending is not None:
            self.steps.append(self.pending.gather(1, tokens[:, None])[:, 0])
            self.pending = None

    def finish(self, last_tokens):
        import torch

        self._collect(last_tokens)
        return torch.stack(self.steps, dim=1) if self.steps else torch.zeros(last_tokens.shape[0], 0)


class HFGenerator:
    """Samples with a local transformers model; ``temperature=0`` means greedy (for evaluation).

    With ``reuse_cache`` each episode's KV cache carries over to its next turn (see ``prefix_cache``); a generator
    is meant to live for one rollout, i.e. one set of weights.
    """

    def __init__(self, model: Any, tokenizer: Any, temperature: float = 1.0, top_p: float = 1.0, top_k: int = 0,
                 stop_ids: list[int] | None = None, reuse_cache: bool = True):
        from .prefix_cache import PrefixCache

        self.model, self.tokenizer = model, tokenizer
        self.cache = PrefixCache() if reuse_cache else None
        self.temperature, self.top_p, self.top_k = temperature, top_p, top_k
        self.stop_ids = stop_ids or [tokenizer.eos_token_id]
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.stop_ids[0]

    def generate(self, prompts: list[list[int]], max_new_tokens: list[int]) -> list[Sample]:
        import torch
        from transformers import DynamicCache, GenerationConfig, LogitsProcessorList

        from .prefix_cache import PrefixCache

        device = next(self.model.parameters()).device
        # left padding (every row's next token sits in the last column), after any cached prefix
        layout = (self.cache or PrefixCache()).layout(prompts, self.pad_id)
        width = layout.input_ids.shape[1]
        sampling = self.temperature > 0
        config = GenerationConfig(
            max_new_tokens=max(max_new_tokens), do_sample=sampling, eos_token_id=self.stop_ids,
            pad_token_id=self.pad_id, use_cache=True, return_dict_in_generate=True,
            **({"temperature": self.temperature, "top_p": self.top_p, "top_k": self.top_k} if sampling
               else {"temperature": None, "top_p": None, "top_k": None}),
        )
        recorder = _LogprobRecorder(self.temperature)
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                cache = None
                if layout.cache_layers is not None:
                    cache = DynamicCache(ddp_cache_data=[(k.to(device), v.to(device)) for k, v in layout.cache_layers])
                out = self.model.generate(
                    input_ids=layout.input_ids.to(device), attention_mask=layout.attention_mask.to(device),
                    cache=cache, generation_config=config,
                    logits_processor=LogitsProcessorList([recorder]))
        finally:
            self.model.train(was_training)
        sequences = out.sequences
        new = sequences[:, width:].cpu()
        logps = recorder.finish(sequences[:, -1]).cpu()
        samples = [self._trim(new[row].tolist(), logps[row].tolist(), budget) for row, budget in enumerate(max_new_tokens)]
        if self.cache is not None:
            self.cache.store(layout, out.cache, prompts, [s.ids for s in samples])
        return samples

    def _trim(self, ids: list[int], logps: list[float], budget: int) -> Sample:
        for i, token in enumerate(ids[:budget]):
            if token in self.stop_ids:
                return Sample(ids[: i + 1], logps[: i + 1], ended=True)
        return Sample(ids[:budget], logps[:budget], ended=False)


class VLLMServerGenerator:
    """Samples through a ``trl vllm-serve`` server (TRL syncs the trained weights to it before each rollout)."""

    def __init__(self, client: Any, temperature: float = 1.0, top_p: float = 1.0, top_k: int = 0,
                 stop_ids: list[int] | None = None):
        self.client = client
        self.temperature, self.top_p, self.top_k = temperature, top_p, top_k
        self.stop_ids = stop_ids or []

    def generate(self, prompts: list[list[int]], max_new_tokens: list[int]) -> list[Sample]:
        out = self.client.generate(
            prompts=prompts, n=1, temperature=self.temperature, top_p=self.top_p, top_k=self.top_k,
            max_tokens=max(max_new_tokens), logprobs=0,
            generation_kwargs={"stop_token_ids": self.stop_ids} if self.stop_ids else None,
        )
        samples = []
        for ids, logps, budget in zip(out["completion_ids"], out["logprobs"] or [None] * len(prompts), max_new_tokens):
            flat = [lp[0] if lp and lp[0] is not None else float("nan") for lp in logps] if logps else [0.0] * len(ids)
            ids, flat = ids[:budget], flat[:budget]
            samples.append(Sample(ids, flat, ended=bool(ids) and ids[-1] in self.stop_ids))
        return samples
