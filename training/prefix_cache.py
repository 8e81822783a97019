"""Keep each episode's KV cache between turns, so a turn prefills only the tokens added since the last one.

Without it every turn re-encodes the whole conversation, and that prefill is the part of a turn batching cannot
speed up (it is compute-bound: eight contexts cost eight times one). Entries are keyed by the exact tokens they cover;
a new prompt reuses the longest entry that is a prefix of it. Rows of a batch are laid out as
``[pad][cached tokens][pad][new tokens]``: positions come from the attention mask, so interior padding is harmless.
Only the entries written by the latest call are kept (a finished or superseded episode's cache is dropped), and a
cache is only valid for the weights that made it: make a new ``HFGenerator`` after each optimizer step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Entry:
    tokens: list[int]  # the tokens whose keys/values are cached
    layers: list[tuple[Any, Any]]  # per layer: keys, values of shape (heads, len(tokens), head_dim)


@dataclass
class Layout:
    """One batched call: the padded inputs, the cache to start from, and where each row's real tokens sit."""

    input_ids: Any
    attention_mask: Any
    cache_layers: list[tuple[Any, Any]] | None  # per layer (keys, values) for the first ``cached_width`` columns
    cached_width: int


class PrefixCache:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def _best(self, prompt: list[int]) -> Entry | None:
        best = None
        for entry in self.entries:
            n = len(entry.tokens)
            if n < len(prompt) and (best is None or n > len(best.tokens)) and prompt[:n] == entry.tokens:
                best = entry
        return best

    def layout(self, prompts: list[list[int]], pad_id: int) -> Layout:
        import torch

        hits = [self._best(p) for p in prompts]
        cached = [len(h.tokens) if h else 0 for h in hits]
        width_c = max(cached)
        if width_c == 0 or any(h is None for h in hits):  # a cold row: plain left padding, no cache
            width_c, cached, hits = 0, [0] * len(prompts), [None] * len(prompts)
        width_n = max(len(p) - c for p, c in zip(prompts, cached))
        ids = torch.full((len(prompts), width_c + width_n), pad_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, (prompt, c) in enumerate(zip(prompts, cached)):
            new = prompt[c:]
            ids[row, width_c - c: width_c] = torch.tensor(prompt[:c], dtype=torch.long)
            ids[row, width_c + width_n - len(new):] = torch.tensor(new, dtype=torch.long)
            mask[row, width_c - c: width_c] = 1
            mask[row, width_c + width_n - len(new):] = 1
        layers: list[tuple[Any, Any]] | None = None
        if width_c:
            layers = []
            for layer in range(len(hits[0].layers)):
                keys, values = [], []
                for hit, c in zip(hits, cached):
                    k, v = hit.layers[layer]
                    keys.append(torch.nn.functional.pad(k, (0, 0, width_c - c, 0)))
                    values.append(torch.nn.functional.pad(v, (0, 0, width_c - c, 0)))
                layers.append((torch.stack(keys), torch.stack(values)))
        return Layout(ids, mask, layers, width_c)

    def store(self, layout: Layout, past: Any, prompts: list[list[int]], kept: list[list[int]]) -> None:
        """Keep, per row, the cache of its prompt plus the generated tokens it kept (all but the last are cached)."""
        import torch

        self.entries = []
        layers = [(layer.keys, layer.values) for layer in getattr(past, "layers", [])]
        if not layers or any(type(layer).__name__ != "DynamicLayer" for layer in past.layers):
            return  # sliding-window or other special caches: no reuse
        width = layout.input_ids.shape[1]
        cached_len = layers[0][0].shape[2]
        for row, (prompt, ids) in enumerate(zip(prompts, kept)):
            generated = min(len(ids), cached_len - width)
            cols = torch.cat([layout.attention_mask[row].nonzero()[:, 0], torch.arange(width, width + generated)])
            self.entries.append(Entry(prompt + ids[:generated],
                                      [(k[row][:, cols], v[row][:, cols]) for k, v in layers]))
